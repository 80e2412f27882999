package io.github.dpsplugin.core.batch;

import io.github.dpsplugin.core.DpsException;
import io.github.dpsplugin.core.dice.Uds;
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
 * A fleet's secret UDS file: CSV lines {@code registrationId,uds}, keyed by the device's final
 * registration ID (explicit or derived); an optional header line {@code registrationId,uds},
 * blank lines and {@code #} comments are skipped. The file's content never appears in a message,
 * registration IDs included (a line with swapped columns holds a UDS in the ID column): errors give
 * its name, the line number and what is wrong. The UDS values are held as bytes,
 * cleared by {@link #close()}.
 */
public final class UdsFile implements AutoCloseable {

    private static final String FIELD = "udsFile";
    static final int MAX_LINE_LENGTH = 1024;
    static final long MAX_SIZE = 1L << 31;

    private final String source;
    private final Map<String, Line> byId;

    /** A device's UDS and the line it was read from (for the message about a repeated ID). */
    private static final class Line {
        final byte[] uds;
        final int number;

        Line(byte[] uds, int number) {
            this.uds = uds;
            this.number = number;
        }
    }

    private UdsFile(String source, Map<String, Line> byId) {
        this.source = source;
        this.byId = byId;
    }

    public static UdsFile read(Path file) {
        if (Files.isDirectory(file)) {
            throw new DpsException(FIELD, file + " is a directory; expected a CSV file of registrationId,uds lines");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return parse(in, file.getFileName().toString());
        } catch (AccessDeniedException e) {
            throw new DpsException(FIELD, file + " is not readable (permission denied); expected a file this build"
                    + " may read");
        } catch (NoSuchFileException e) {
            throw new DpsException(FIELD, file + " does not exist; expected a CSV file of registrationId,uds lines");
        } catch (IOException e) {
            throw DpsException.environment(FIELD, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    static UdsFile parse(InputStream in, String source) throws IOException {
        Map<String, Line> map = new HashMap<>();
        // line of each ID, for duplicates: messages give line numbers, never this file's text, since a
        // line with its columns swapped would put a UDS where the ID belongs
        try (BoundedLineReader lines = new BoundedLineReader(in, FIELD, source, MAX_LINE_LENGTH, MAX_SIZE, false)) {
            int n;
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
                int comma = -1;
                for (int i = start; i < end; i++) {
                    if (c[i] == ',') {
                        comma = i;
                        break;
                    }
                }
                // built only for a message: 100 000 lines must not each pay for a string nobody reads
                java.util.function.Supplier<String> at = () -> source + ":" + lines.lineNumber() + ": ";
                if (comma < 0) {
                    throw new DpsException(FIELD, at.get() + "expected registrationId,uds (two columns separated by a"
                            + " comma)");
                }
                String id = new String(c, start, comma - start).strip();
                int udsStart = comma + 1;
                while (udsStart < end && c[udsStart] == ' ') {
                    udsStart++;
                }
                if (map.isEmpty() && id.equals("registrationId")) {
                    continue; // header
                }
                if (id.isEmpty()) {
                    throw new DpsException(FIELD, at.get() + "the registrationId column is empty; expected"
                            + " registrationId,uds");
                }
                char[] hex = Arrays.copyOfRange(c, udsStart, end);
                try (Uds uds = Uds.fromHex(hex)) {
                    Line first = map.get(id);
                    if (first != null) {
                        throw new DpsException(FIELD, at.get() + "the registrationId of this line is already on line "
                                + first.number + "; expected one line per device");
                    }
                    map.put(id, new Line(uds.copyBytes(), lines.lineNumber()));
                } catch (DpsException e) {
                    if (FIELD.equals(e.field())) {
                        throw e;
                    }
                    String swapped = looksLikeUds(id) ? " (the first column looks like a UDS: are the columns"
                            + " swapped? expected registrationId,uds)" : "";
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

    /** The UDS source of a device, or {@code null} if the file has no line for it. */
    public UdsSource lookup(String registrationId) {
        Line line = byId.get(registrationId);
        if (line == null) {
            return null;
        }
        byte[] bytes = line.uds;
        return new UdsSource() {
            @Override
            public Uds open() {
                return Uds.fromBytes(bytes);
            }

            @Override
            public String toString() {
                return source + " (" + registrationId + ")";
            }
        };
    }

    public int size() {
        return byId.size();
    }

    @Override
    public void close() {
        byId.values().forEach(b -> Arrays.fill(b.uds, (byte) 0));
    }

    @Override
    public String toString() {
        return "UdsFile[" + source + ", " + byId.size() + " entries]";
    }
}
