package io.github.dpsplugin.core.firmware;

import io.github.dpsplugin.core.DpsException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The five addresses dps-core needs from a GNU ld link map (spec, section "Reading the map"):
 * the FLASH origin and the {@code __start/__stop_riot_core/fw} symbols.
 *
 * <p>Accepts LF and CRLF line endings and 8- or 16-digit addresses (32- and 64-bit host
 * binutils). When a symbol's line occurs more than once the last occurrence counts, as in the
 * reference tool; {@link #notes()} says so. Input is read as a stream of bounded lines, so a
 * binary or endless file is rejected instead of read whole.
 */
public final class LinkMap {

    /** Longest line accepted; real map lines (long mangled names included) are far shorter. */
    static final int MAX_LINE_LENGTH = 64 * 1024;
    /** Largest map accepted; DevKit maps are a few MB. */
    static final long MAX_MAP_SIZE = 512L * 1024 * 1024;
    /** Notes kept about repeated symbol lines; a hostile map could repeat one millions of times. */
    static final int MAX_NOTES = 8;

    private static final String FIELD = "firmwareMap";

    public static final String START_RIOT_CORE = "__start_riot_core";
    public static final String STOP_RIOT_CORE = "__stop_riot_core";
    public static final String START_RIOT_FW = "__start_riot_fw";
    public static final String STOP_RIOT_FW = "__stop_riot_fw";

    private static final String[] SYMBOLS = {START_RIOT_CORE, STOP_RIOT_CORE, START_RIOT_FW, STOP_RIOT_FW};
    private static final Pattern[] SYMBOL_LINES = new Pattern[SYMBOLS.length];

    static {
        for (int i = 0; i < SYMBOLS.length; i++) {
            SYMBOL_LINES[i] = Pattern.compile("(?<![A-Za-z0-9_])" + SYMBOLS[i] + " = \\.");
        }
    }

    private static final Pattern HEX = Pattern.compile("0[xX]([0-9a-fA-F]{1,16})(?![0-9a-fA-F])");
    private static final Pattern FLASH_ROW = Pattern.compile("^FLASH\\s+0[xX]([0-9a-fA-F]{1,16})\\s");

    private final long flashOrigin;
    private final long[] symbols;
    private final List<String> notes;

    private LinkMap(long flashOrigin, long[] symbols, List<String> notes) {
        this.flashOrigin = flashOrigin;
        this.symbols = symbols;
        this.notes = Collections.unmodifiableList(notes);
    }

    /** Reads the map file at {@code path}. */
    public static LinkMap read(Path path) {
        if (path == null) {
            throw new DpsException(FIELD, "no link map file given; expected the GNU ld .map of the firmware link");
        }
        if (Files.isDirectory(path)) {
            throw new DpsException(FIELD, path + " is a directory; expected the GNU ld .map file");
        }
        try (InputStream in = Files.newInputStream(path)) {
            return parse(in, path.toString());
        } catch (AccessDeniedException e) {
            throw new DpsException(FIELD, path + " is not readable (permission denied); expected a file this build"
                    + " may read");
        } catch (NoSuchFileException e) {
            throw new DpsException(FIELD, path + " does not exist; expected the GNU ld map of the firmware link");
        } catch (IOException e) {
            throw DpsException.environment(FIELD, "cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    /** Parses a map from a stream; {@code source} names it in messages. Does not close {@code in}. */
    public static LinkMap parse(InputStream in, String source) throws IOException {
        return parse(in, source, MAX_MAP_SIZE);
    }

    /** As {@link #parse(InputStream, String)} with another size bound (tests reach it without 512 MiB). */
    static LinkMap parse(InputStream in, String source, long maxSize) throws IOException {
        Long origin = null;
        long[] found = new long[SYMBOLS.length];
        int[] foundLine = new int[SYMBOLS.length];
        List<String> notes = new ArrayList<>();
        long repeats = 0;
        boolean inMemoryConfiguration = false;

        LineReader lines = new LineReader(new BufferedInputStream(in, 64 * 1024), source, maxSize);
        String line;
        while ((line = lines.next()) != null) {
            int lineNo = lines.lineNumber();
            if (line.startsWith("Memory Configuration")) {
                inMemoryConfiguration = true;
                continue;
            }
            if (line.startsWith("Linker script and memory map")) {
                inMemoryConfiguration = false;
            }
            if (inMemoryConfiguration && origin == null) {
                Matcher m = FLASH_ROW.matcher(line);
                if (m.find()) {
                    origin = Long.parseUnsignedLong(m.group(1), 16);
                }
            }
            if (line.indexOf("__st") < 0) {
                continue;
            }
            for (int i = 0; i < SYMBOLS.length; i++) {
                if (!SYMBOL_LINES[i].matcher(line).find()) {
                    continue;
                }
                Matcher hex = HEX.matcher(line);
                if (!hex.find()) {
                    continue; // the reference requires the address on the same line
                }
                long address = Long.parseUnsignedLong(hex.group(1), 16);
                if (foundLine[i] != 0 && ++repeats <= MAX_NOTES) {
                    notes.add(String.format(Locale.ROOT, "%s: symbol %s appears again on line %d (0x%x), replacing"
                            + " line %d (0x%x); the last occurrence counts, as in the reference tool",
                            source, SYMBOLS[i], lineNo, address, foundLine[i], found[i]));
                }
                found[i] = address;
                foundLine[i] = lineNo;
            }
        }
        if (repeats > MAX_NOTES) {
            notes.add(String.format(Locale.ROOT, "%s: %d more repeated symbol lines; the last occurrence of each"
                    + " counts", source, repeats - MAX_NOTES));
        }
        if (lines.lineNumber() == 0) {
            throw new DpsException(FIELD, source + " is empty; expected the GNU ld map of the firmware link"
                    + " (written with -Wl,-Map=<file>.map)");
        }
        // a map cut off by a full disk or an interrupted copy ends inside a line: say so, it explains
        // a missing FLASH row or symbol better than the absence alone
        String truncated = lines.endedMidLine() ? "; the file ends in the middle of a line: is it truncated?" : "";
        if (origin == null) {
            throw new DpsException(FIELD, source + " has no FLASH region in its Memory Configuration table"
                    + " (a line 'FLASH  0x<origin> 0x<length> ...'); is it a GNU ld map of the firmware link?"
                    + truncated);
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < SYMBOLS.length; i++) {
            if (foundLine[i] == 0) {
                missing.add(SYMBOLS[i]);
            }
        }
        if (!missing.isEmpty()) {
            throw new DpsException(FIELD, source + " has no line '<address> " + String.join(" = .', '", missing)
                    + " = .'; missing symbol" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                    + " (the linker script must place .riot_core and .riot_fw between these symbols)" + truncated);
        }
        return new LinkMap(origin, found, notes);
    }

    public long flashOrigin() {
        return flashOrigin;
    }

    public long startRiotCore() {
        return symbols[0];
    }

    public long stopRiotCore() {
        return symbols[1];
    }

    public long startRiotFw() {
        return symbols[2];
    }

    public long stopRiotFw() {
        return symbols[3];
    }

    /** Remarks worth a debug line, e.g. a symbol defined twice. */
    public List<String> notes() {
        return notes;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "LinkMap[FLASH=0x%08x, riot_core=[0x%08x,0x%08x), riot_fw=[0x%08x,0x%08x)]",
                flashOrigin, symbols[0], symbols[1], symbols[2], symbols[3]);
    }

    /** Splits a byte stream into lines (LF or CRLF) of at most {@link #MAX_LINE_LENGTH} bytes. */
    private static final class LineReader {
        private final InputStream in;
        private final String source;
        private final long maxSize;
        private final StringBuilder sb = new StringBuilder(256);
        private int lineNumber;
        private long total;
        private boolean endedMidLine;

        LineReader(InputStream in, String source, long maxSize) {
            this.in = in;
            this.source = source;
            this.maxSize = maxSize;
        }

        int lineNumber() {
            return lineNumber;
        }

        /** Whether the input ended without a line break after its last line. */
        boolean endedMidLine() {
            return endedMidLine;
        }

        String next() throws IOException {
            sb.setLength(0);
            int c;
            boolean any = false;
            while ((c = in.read()) >= 0) {
                any = true;
                if (++total > maxSize) {
                    throw new DpsException(FIELD, source + " is larger than " + (maxSize >> 20)
                            + " MiB; not a link map");
                }
                if (c == '\n') {
                    break;
                }
                if (c == 0) {
                    // text maps never hold a NUL; the .bin or .elf given in its place always does
                    throw new DpsException(FIELD, source + " is binary (a NUL byte on line " + (lineNumber + 1)
                            + "); expected the GNU ld text map (-Wl,-Map=<file>.map), not the .elf or .bin");
                }
                if (sb.length() >= MAX_LINE_LENGTH) {
                    throw new DpsException(FIELD, source + " line " + (lineNumber + 1) + " is longer than "
                            + MAX_LINE_LENGTH + " characters; not a GNU ld map file");
                }
                sb.append((char) c); // ISO-8859-1: every byte is one char, binary input cannot fail decoding
            }
            if (!any) {
                return null;
            }
            endedMidLine = c != '\n';
            lineNumber++;
            int len = sb.length();
            if (len > 0 && sb.charAt(len - 1) == '\r') {
                sb.setLength(len - 1);
            }
            return sb.toString();
        }
    }
}
