package io.github.dpsplugin.core.fleet;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.dice.UdsSource;
import io.github.dpsplugin.core.id.MacAddress;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.io.BoundedLineReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A fleet's secret UDS file. Two layouts: {@code registrationId,macAddress,uds} (what
 * {@code generate-uds} writes: a line names its device by registration ID <em>or</em> by MAC
 * address, the other column empty) and {@code registrationId,uds}; the header line is optional
 * for the latter. Blank lines and {@code #} comments are skipped.
 *
 * <p>A device whose ID the DevKit derives from its MAC ({@code az-<mac>v<x>v<y>v<z>}) is found by
 * its MAC under whatever version it reports: its UDS is its secret for life, so the line made
 * before the first release serves every later one. A line keyed by such a derived ID counts as a
 * line for its MAC, and two lines for one MAC are refused, naming both.
 *
 * <p>The file's content never appears in a message, registration IDs included (a line with swapped
 * columns holds a UDS in the ID column): errors give its name, the line number and what is wrong;
 * a MAC address that was read as one may be named. The UDS values are held as bytes, cleared by
 * {@link #close()}.
 */
public final class UdsFile implements AutoCloseable {

    private static final String FIELD = "udsFile";
    /** The header of the layout that names a device by registration ID or MAC address. */
    public static final String HEADER = "registrationId,macAddress,uds";
    /** The header of the layout keyed by registration ID only. */
    public static final String ID_HEADER = "registrationId,uds";
    static final int MAX_LINE_LENGTH = 1024;
    static final long MAX_SIZE = 1L << 31;

    private final String source;
    private final Map<String, Line> byKey;

    /** A device's UDS and the line it was read from (for the messages about a device listed twice). */
    static final class Line {
        final byte[] uds;
        final int number;

        Line(byte[] uds, int number) {
            this.uds = uds;
            this.number = number;
        }
    }

    private UdsFile(String source, Map<String, Line> byKey) {
        this.source = source;
        this.byKey = byKey;
    }

    public static UdsFile read(Path file) {
        return read(file, file.getFileName() == null ? file.toString() : file.getFileName().toString());
    }

    /** Reads {@code file}, naming it {@code label} in messages. */
    static UdsFile read(Path file, String label) {
        if (Files.isDirectory(file)) {
            throw new DpsException(FIELD, file + " is a directory; expected a CSV file of registrationId,uds lines");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, label);
        } catch (AccessDeniedException e) {
            throw new DpsException(FIELD, file + " is not readable (permission denied); expected a file this build"
                    + " may read");
        } catch (NoSuchFileException e) {
            throw new DpsException(FIELD, file + " does not exist; expected a CSV file of registrationId,uds lines");
        } catch (IOException e) {
            throw DpsException.environment(FIELD, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The key under which a device's line is kept: its MAC address when its ID is of the derived
     * form (so any version finds it), else the ID itself.
     */
    static String keyOf(String registrationId) {
        MacAddress mac = RegistrationId.derivedMac(registrationId);
        return mac != null ? macKey(mac) : "id " + registrationId;
    }

    private static String macKey(MacAddress mac) {
        return "mac " + mac.value();
    }

    /** How a message names the device of a key: its MAC address, never an ID (it may be a misplaced UDS). */
    static String describe(String key) {
        return key.startsWith("mac ") ? "the device with MAC address " + MacAddress.parse(key.substring(4))
                : "the registrationId of this line";
    }

    static UdsFile parse(InputStream in, String source) throws IOException {
        Map<String, Line> map = new HashMap<>();
        // line of each device, for duplicates: messages give line numbers, never this file's text, since a
        // line with its columns swapped would put a UDS where the ID belongs
        try (BoundedLineReader lines = new BoundedLineReader(in, FIELD, source, MAX_LINE_LENGTH, MAX_SIZE, false)) {
            int n;
            boolean first = true;
            boolean withMac = false;
            while ((n = lines.next()) >= 0) {
                char[] c = lines.chars();
                int start = 0;
                int end = n;
                while (start < end && Character.isWhitespace(c[start])) {
                    start++;
                }
                while (end > start && Character.isWhitespace(c[end - 1])) {
                    end--;
                }
                if (start == end || c[start] == '#') {
                    continue;
                }
                int comma = indexOf(c, ',', start, end);
                // built only for a message: 100 000 lines must not each pay for a string nobody reads
                java.util.function.Supplier<String> at = () -> source + ":" + lines.lineNumber() + ": ";
                String expected = withMac ? HEADER : ID_HEADER;
                if (comma < 0) {
                    throw new DpsException(FIELD, at.get() + "expected " + expected + (withMac ? " (three columns"
                            + " separated by commas)" : " (two columns separated by a comma)"));
                }
                String id = new String(c, start, comma - start).strip();
                if (first) {
                    first = false;
                    if (id.equals("registrationId")) {
                        String rest = new String(c, comma + 1, end - comma - 1).replace(" ", "");
                        if (rest.equals("macAddress,uds")) {
                            withMac = true;
                        } else if (!rest.equals("uds")) {
                            throw new DpsException(FIELD, at.get() + "the header names unknown columns; expected "
                                    + HEADER + " or " + ID_HEADER);
                        }
                        continue; // header
                    }
                }
                int udsStart = comma + 1;
                String key;
                if (withMac) {
                    int second = indexOf(c, ',', comma + 1, end);
                    if (second < 0) {
                        throw new DpsException(FIELD, at.get() + "expected " + HEADER + " (three columns separated"
                                + " by commas)");
                    }
                    String macText = new String(c, comma + 1, second - comma - 1).strip();
                    udsStart = second + 1;
                    if (id.isEmpty() == macText.isEmpty()) {
                        throw new DpsException(FIELD, at.get() + (id.isEmpty() ? "both the registrationId and the"
                                + " macAddress column are empty" : "has both a registrationId and a macAddress")
                                + "; expected one of them (the other column empty)");
                    }
                    if (id.isEmpty()) {
                        try {
                            key = macKey(MacAddress.parse(macText));
                        } catch (DpsException e) {
                            throw new DpsException(FIELD, at.get() + "the macAddress column is not a MAC address;"
                                    + " expected 6 bytes in hex such as c893464a1b2c"
                                    + (looksLikeUds(macText) ? " (it looks like a UDS: are the columns swapped?"
                                            + " expected " + HEADER + ")" : ""));
                        }
                    } else {
                        key = keyOf(id);
                    }
                } else {
                    if (id.isEmpty()) {
                        throw new DpsException(FIELD, at.get() + "the registrationId column is empty; expected"
                                + " registrationId,uds");
                    }
                    key = keyOf(id);
                }
                while (udsStart < end && c[udsStart] == ' ') {
                    udsStart++;
                }
                char[] hex = Arrays.copyOfRange(c, udsStart, end);
                try (Uds uds = Uds.fromHex(hex)) {
                    Line earlier = map.get(key);
                    if (earlier != null) {
                        throw duplicate(key, source, earlier.number, at.get());
                    }
                    map.put(key, new Line(uds.copyBytes(), lines.lineNumber()));
                } catch (DpsException e) {
                    if (FIELD.equals(e.field())) {
                        throw e;
                    }
                    String swapped = looksLikeUds(id) ? " (the first column looks like a UDS: are the columns"
                            + " swapped? expected " + expected + ")" : "";
                    throw new DpsException(FIELD, at.get() + "uds column: " + detail(e) + swapped);
                } finally {
                    Arrays.fill(hex, '\0');
                }
            }
        } catch (DpsException e) {
            map.values().forEach(b -> Arrays.fill(b.uds, (byte) 0));
            throw e;
        }
        return new UdsFile(source, map);
    }

    private static DpsException duplicate(String key, String source, int earlier, String at) {
        if (key.startsWith("mac ")) {
            return new DpsException(FIELD, at + describe(key) + " is already on " + source + ":" + earlier
                    + "; expected one line per device (a device whose ID is derived from its MAC keeps one UDS under"
                    + " every firmware version: remove one of the two lines)");
        }
        return new DpsException(FIELD, at + "the registrationId of this line is already on line " + earlier
                + "; expected one line per device");
    }

    private static int indexOf(char[] c, char x, int from, int end) {
        for (int i = from; i < end; i++) {
            if (c[i] == x) {
                return i;
            }
        }
        return -1;
    }

    /** 64 hex digits: what a UDS looks like (and no registration ID anybody would choose). */
    private static boolean looksLikeUds(String s) {
        if (s.length() != 2 * Uds.LENGTH) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static String detail(DpsException e) {
        String m = e.getMessage();
        return m.startsWith("uds: ") ? m.substring(5) : m;
    }

    /**
     * The UDS source of a device by its registration ID, or {@code null} if the file has no line
     * for it. An ID the DevKit derives from a MAC address finds the line of that MAC, whatever the
     * version in the ID and whether the line names the MAC or a derived ID.
     */
    public UdsSource lookup(String registrationId) {
        Line line = byKey.get(keyOf(registrationId));
        return line == null ? null : source(line);
    }

    private UdsSource source(Line line) {
        byte[] bytes = line.uds;
        return new UdsSource() {
            @Override
            public Uds open() {
                return Uds.fromBytes(bytes);
            }

            @Override
            public String toString() {
                return source + ":" + line.number; // built for a message only, not for each device of a fleet
            }
        };
    }

    /** The file's name as messages give it. */
    String source() {
        return source;
    }

    /** Every device's line by its key ({@link #keyOf}). */
    Map<String, Line> lines() {
        return byKey;
    }

    public int size() {
        return byKey.size();
    }

    @Override
    public void close() {
        byKey.values().forEach(b -> Arrays.fill(b.uds, (byte) 0));
    }

    @Override
    public String toString() {
        return "UdsFile[" + source + ", " + byKey.size() + " entries]";
    }
}
