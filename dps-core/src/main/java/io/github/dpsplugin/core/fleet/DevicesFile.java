package io.github.dpsplugin.core.fleet;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.UdsSource;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.io.BoundedLineReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A fleet's devices file: CSV with a header line naming its columns, {@code registrationId}, or
 * {@code macAddress} with an optional {@code firmwareVersion}. Blank lines and {@code #} comments
 * are skipped; a UTF-8 byte order mark and CRLF endings are accepted. Read as a stream: a fleet
 * of any size costs one line of memory. Errors name the file and line.
 */
public final class DevicesFile implements Closeable {

    private static final String FIELD = "devicesFile";
    static final int MAX_LINE_LENGTH = 4096;
    static final long MAX_SIZE = 1L << 32;

    private final BoundedLineReader lines;
    private final String source;
    private final String defaultFirmwareVersion;
    private final Function<String, UdsSource> udsLookup;
    private UnaryOperator<RegistrationId> fallbackId;
    private int colId = -1;
    private int colMac = -1;
    private int colVersion = -1;
    private int columns;
    private final List<String> headerNames = new ArrayList<>();
    private DeviceSpec next;
    /** The file's size in bytes, or -1 when read from a stream. */
    private long size = -1;

    private DevicesFile(BoundedLineReader lines, String source, String defaultFirmwareVersion,
            Function<String, UdsSource> udsLookup) throws IOException {
        this.lines = lines;
        this.source = source;
        this.defaultFirmwareVersion = defaultFirmwareVersion;
        this.udsLookup = udsLookup;
        readHeader();
    }

    /**
     * Opens a devices file.
     *
     * @param udsLookup gives the UDS source of a device by its final registration ID, or
     *     {@code null} when it has none (reported as an error naming the device)
     */
    public static DevicesFile open(Path file, String defaultFirmwareVersion, Function<String, UdsSource> udsLookup) {
        if (Files.isDirectory(file)) {
            throw new DpsException(FIELD, file + " is a directory; expected a CSV file");
        }
        InputStream in;
        try {
            in = Files.newInputStream(file);
        } catch (AccessDeniedException e) {
            throw new DpsException(FIELD, file + " is not readable (permission denied); expected a file this build"
                    + " may read");
        } catch (NoSuchFileException e) {
            throw new DpsException(FIELD, file + " does not exist; expected a CSV file with a header line");
        } catch (IOException e) {
            throw DpsException.environment(FIELD, "cannot read " + file + ": " + e.getMessage(), e);
        }
        try {
            DevicesFile devices = open(in, file.toString(), file.getFileName().toString(), defaultFirmwareVersion,
                    udsLookup);
            devices.size = Files.size(file);
            return devices;
        } catch (IOException e) {
            closeQuietly(in);
            throw DpsException.environment(FIELD, "cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(in);
            throw e;
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // the header was bad; the read-only stream has nothing to flush
        }
    }

    /**
     * The share of the file read so far, 0 to 1, for an estimate of the devices still to come
     * (the run reads the file once, while it generates); -1 when the size is unknown.
     */
    double fractionRead() {
        return size <= 0 ? -1 : Math.min(1.0, (double) lines.bytesRead() / size);
    }

    /**
     * Reads a devices file from a stream (closed by {@link #close()}); {@code path} names it in size
     * errors, {@code name} in line errors ({@code name:line}).
     */
    static DevicesFile open(InputStream in, String path, String name, String defaultFirmwareVersion,
            Function<String, UdsSource> udsLookup) {
        try {
            return new DevicesFile(new BoundedLineReader(in, FIELD, path, MAX_LINE_LENGTH, MAX_SIZE, true), name,
                    defaultFirmwareVersion, udsLookup);
        } catch (IOException e) {
            throw DpsException.environment(FIELD, "cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    private void readHeader() throws IOException {
        String header = nextContentLine();
        if (header == null) {
            throw new DpsException(FIELD, source + " is empty; expected a header line such as"
                    + " 'registrationId' or 'macAddress,firmwareVersion'");
        }
        List<String> names = split(header);
        columns = names.size();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i).strip();
            headerNames.add(n);
            switch (n) {
                case "registrationId":
                    colId = i;
                    break;
                case "macAddress":
                    colMac = i;
                    break;
                case "firmwareVersion":
                    colVersion = i;
                    break;
                default:
                    throw new DpsException(FIELD, at() + "unknown column " + DpsException.quote(n)
                            + " in the header; expected registrationId, macAddress, firmwareVersion");
            }
        }
        if (colId < 0 && colMac < 0) {
            throw new DpsException(FIELD, at() + "the header has neither a registrationId nor a macAddress column");
        }
    }

    private String at() {
        return source + ":" + lines.lineNumber() + ": ";
    }

    /** The next non-blank, non-comment line, or null. */
    private String nextContentLine() throws IOException {
        while (lines.next() >= 0) {
            String line = lines.line();
            if (line.indexOf('\r') >= 0) {
                // a CR inside a line: the file breaks lines with CR alone (old Mac), so this "line" is many
                throw new DpsException(FIELD, at() + "line breaks are CR only; expected LF or CRLF line endings");
            }
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                return line;
            }
        }
        return null;
    }

    /** True if another device follows; reads and validates it. */
    public boolean hasNext() {
        if (next != null) {
            return true;
        }
        try {
            String line = nextContentLine();
            if (line == null) {
                return false;
            }
            List<String> fields = split(line);
            String label = source + ":" + lines.lineNumber();
            if (fields.size() != columns) {
                throw new DpsException(FIELD, "has " + fields.size() + " field" + (fields.size() == 1 ? "" : "s")
                        + " where the header has " + columns + " (" + String.join(",", headerNames) + "); expected one"
                        + " value per column, an empty value as nothing between two commas").forDevice(label);
            }
            String id = get(fields, colId);
            String mac = get(fields, colMac);
            String version = get(fields, colVersion);
            if (version == null) {
                version = defaultFirmwareVersion;
            }
            // the UDS source is looked up by the final ID, which may be derived from the MAC
            try {
                next = DeviceSpec.parse(label, id, mac, version, udsLookup, fallbackId, "udsFile", "has no line for this"
                        + " device; every device of the devices file needs a line in the UDS files, by its"
                        + " registrationId, or by its macAddress when its ID is derived from it (make one with"
                        + " generate-uds)");
            } catch (DpsException e) {
                if (version == null && "firmwareVersion".equals(e.field())) {
                    // said once for the many lines that lack it: the fix is the same for all
                    throw new DpsException("firmwareVersion", "is not set; a device given by macAddress needs the"
                            + " firmware version it reports (N.N.N) to derive its registration ID: give firmwareVersion"
                            + " (the version of every device) or a firmwareVersion column in " + source)
                            .forDevice(e.device());
                }
                throw e;
            }
            return true;
        } catch (IOException e) {
            throw DpsException.environment(FIELD, "cannot read " + source + " after line " + lines.lineNumber() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Also looks a device's UDS up under {@code fallbackId}'s answer for its ID when the lookup has
     * nothing under the ID itself (see {@link DeviceSpec#parse(String, String, String, String,
     * Function, java.util.function.UnaryOperator, String, String)}); returns this file.
     */
    public DevicesFile withFallbackId(UnaryOperator<RegistrationId> fallbackId) {
        this.fallbackId = fallbackId;
        return this;
    }

    /** The next device. */
    public DeviceSpec next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        DeviceSpec d = next;
        next = null;
        return d;
    }

    private static String get(List<String> fields, int col) {
        if (col < 0) {
            return null;
        }
        String v = fields.get(col).strip();
        return v.isEmpty() ? null : v;
    }

    /** Splits on commas; a field may be double-quoted (with "" for a quote). */
    private List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder sb = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        sb.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    sb.append(c);
                }
            } else if (c == '"' && sb.toString().isBlank()) {
                quoted = true;
                sb.setLength(0);
            } else if (c == ',') {
                out.add(sb.toString());
                sb.setLength(0);
            } else {
                sb.append(c);
            }
        }
        if (quoted) {
            throw new DpsException(FIELD, at() + "unterminated quote");
        }
        out.add(sb.toString());
        return out;
    }


    @Override
    public void close() {
        try {
            lines.close();
        } catch (IOException ignored) {
            // read-only file
        }
    }
}
