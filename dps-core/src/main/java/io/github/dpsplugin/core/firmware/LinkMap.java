package io.github.dpsplugin.core.firmware;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.io.BoundedLineReader;
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
    private static final Pattern FLASH_ROW =
            Pattern.compile("^FLASH\\s+0[xX]([0-9a-fA-F]{1,16})(?:\\s+0[xX]([0-9a-fA-F]{1,16}))?\\s");
    /** An output section header with its addresses: {@code .text  0x0800c000  0x1630 [load address 0x…]}. */
    private static final Pattern SECTION_HEADER = Pattern.compile("(\\S+)\\s+0[xX]([0-9a-fA-F]{1,16})\\s+"
            + "0[xX]([0-9a-fA-F]{1,16})(?:\\s+load address 0[xX]([0-9a-fA-F]{1,16}))?\\s*");
    /** The addresses of a header whose name stood alone on the line before. */
    private static final Pattern SECTION_ADDRESSES = Pattern.compile("\\s+0[xX]([0-9a-fA-F]{1,16})\\s+"
            + "0[xX]([0-9a-fA-F]{1,16})(?:\\s+load address 0[xX]([0-9a-fA-F]{1,16}))?\\s*");
    /** A section name alone on a line (the addresses follow on the next line). */
    private static final Pattern SECTION_NAME = Pattern.compile("\\.?[A-Za-z0-9_.$]+\\s*");
    /**
     * Sections that take no bytes of the .bin even when their load address is in FLASH: NOBITS
     * (.bss, noinit, heap and stack reservations) and sections that are not loaded (debug info).
     */
    private static final Pattern NOT_IN_IMAGE = Pattern.compile("(?i)bss|noinit|no_init|heap|stack|^COMMON$"
            + "|^\\.debug|^\\.zdebug|^\\.comment$|^\\.stab|^\\.ARM\\.attributes$|^\\.gnu\\.attributes$");

    private final long flashOrigin;
    private final long[] symbols;
    private final List<String> notes;
    private final List<String> warnings;
    private final Image image;

    /** An output section of the memory map: its run address, size and load address. */
    private record Section(String name, long vma, long size, long lma) {
    }

    /** The flash image the map describes: its length from the FLASH origin, its end, and its sections. */
    private record Image(long length, long end, String sections) {
    }

    private LinkMap(long flashOrigin, long[] symbols, List<String> notes, List<String> warnings, Image image) {
        this.flashOrigin = flashOrigin;
        this.symbols = symbols;
        this.notes = Collections.unmodifiableList(notes);
        this.warnings = Collections.unmodifiableList(warnings);
        this.image = image;
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
        long flashLength = -1;
        long[] found = new long[SYMBOLS.length];
        int[] foundLine = new int[SYMBOLS.length];
        List<String> warnings = new ArrayList<>();
        boolean[] warned = new boolean[SYMBOLS.length];
        List<String> notes = new ArrayList<>();
        long repeats = 0;
        boolean inMemoryConfiguration = false;
        boolean inMemoryMap = false;
        List<Section> sections = new ArrayList<>();
        String pendingSection = null;

        BoundedLineReader lines = new BoundedLineReader(in, FIELD, source, MAX_LINE_LENGTH, maxSize, false)
                .expecting("a GNU ld map file")
                // text maps never hold a NUL; the .bin or .elf given in its place always does
                .refusingBinary("expected the GNU ld text map (-Wl,-Map=<file>.map), not the .elf or .bin");
        while (lines.next() >= 0) {
            String line = lines.line();
            int lineNo = lines.lineNumber();
            if (line.startsWith("Memory Configuration")) {
                inMemoryConfiguration = true;
                continue;
            }
            if (line.startsWith("Linker script and memory map")) {
                inMemoryConfiguration = false;
                inMemoryMap = true;
                continue;
            }
            if (inMemoryConfiguration && origin == null) {
                Matcher m = FLASH_ROW.matcher(line);
                if (m.find()) {
                    origin = Long.parseUnsignedLong(m.group(1), 16);
                    flashLength = m.group(2) == null ? -1 : Long.parseUnsignedLong(m.group(2), 16);
                }
            }
            if (line.startsWith("Cross Reference Table")) {
                inMemoryMap = false; // symbol names and files (--cref), no more sections
            }
            if (inMemoryMap) {
                pendingSection = outputSection(line, pendingSection, sections);
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
                if (foundLine[i] != 0 && found[i] != address && !warned[i]) {
                    // the reference tool takes the last line, and so does the device's measurement: but a map
                    // holding two addresses for one symbol is likely two links concatenated, or edited
                    warned[i] = true;
                    warnings.add(String.format(Locale.ROOT, "firmwareMap: %s: symbol %s is at 0x%x on line %d and at"
                            + " 0x%x on line %d; the last line counts (as in the reference tool) and decides the"
                            + " measurement: check that this map belongs to this firmware's link", source, SYMBOLS[i],
                            found[i], foundLine[i], address, lineNo));
                }
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
        Image image = image(source, origin, flashLength, sections, notes);
        return new LinkMap(origin, found, notes, warnings, image);
    }

    /**
     * Reads an output section's header line of the memory map: {@code .name 0x<vma> 0x<size>
     * [load address 0x<lma>]} at the start of a line, or the name alone with the addresses on the
     * next line (long names). Input sections (indented) and statements are not headers. Returns the
     * name waiting for its addresses, or null.
     */
    private static String outputSection(String line, String pending, List<Section> sections) {
        if (pending != null) {
            Matcher m = SECTION_ADDRESSES.matcher(line);
            if (m.matches()) {
                sections.add(section(pending, m, 1));
                return null;
            }
        }
        if (line.isEmpty() || Character.isWhitespace(line.charAt(0))) {
            return null;
        }
        Matcher m = SECTION_HEADER.matcher(line);
        if (m.matches()) {
            sections.add(section(m.group(1), m, 2));
            return null;
        }
        return SECTION_NAME.matcher(line).matches() ? line.strip() : null;
    }

    private static Section section(String name, Matcher m, int group) {
        long vma = Long.parseUnsignedLong(m.group(group), 16);
        long size = Long.parseUnsignedLong(m.group(group + 1), 16);
        String lma = m.group(group + 2);
        return new Section(name, vma, size, lma == null ? vma : Long.parseUnsignedLong(lma, 16));
    }

    /**
     * The image the map describes, as {@code objcopy -O binary} writes it: the bytes of the output
     * sections loaded into FLASH, from the FLASH origin to the end of the last one. Sections that
     * occupy no bytes in the file (.bss, noinit, heap and stack reservations; debug and other
     * non-loaded sections) do not count. Null, with a note, when the layout cannot be understood.
     */
    private static Image image(String source, long origin, long flashLength, List<Section> sections,
            List<String> notes) {
        List<Section> loaded = new ArrayList<>();
        for (Section s : sections) {
            boolean inFlash = Long.compareUnsigned(s.lma(), origin) >= 0
                    && (flashLength < 0 || Long.compareUnsigned(s.lma() - origin, flashLength) < 0);
            if (s.size() != 0 && inFlash && !NOT_IN_IMAGE.matcher(s.name()).find()) {
                loaded.add(s);
            }
        }
        if (loaded.isEmpty()) {
            notes.add(source + ": no output section loaded into FLASH found in the memory map; the length of the"
                    + " .bin is not checked against it");
            return null;
        }
        long start = loaded.get(0).lma();
        long end = start;
        for (Section s : loaded) {
            start = Long.compareUnsigned(s.lma(), start) < 0 ? s.lma() : start;
            long sEnd = s.lma() + s.size();
            if (Long.compareUnsigned(sEnd, s.lma()) < 0) {
                notes.add(source + ": section " + s.name() + " wraps around the address space; the length of the .bin"
                        + " is not checked against the map");
                return null;
            }
            end = Long.compareUnsigned(sEnd, end) > 0 ? sEnd : end;
        }
        if (start != origin) {
            notes.add(String.format(Locale.ROOT, "%s: the first section loaded into FLASH starts at 0x%x, not at the"
                    + " FLASH origin 0x%x; the length of the .bin is not checked against the map", source, start, origin));
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (Section s : loaded) {
            sb.append(sb.length() == 0 ? "" : ", ").append(s.name())
                    .append(s.lma() == s.vma() ? " at " : " loaded at ")
                    .append(String.format(Locale.ROOT, "0x%x (0x%x bytes)", s.lma(), s.size()));
        }
        return new Image(end - origin, end, sb.toString());
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

    /**
     * The length of the raw image ({@code objcopy -O binary}) this map describes, from the FLASH
     * origin to the end of the last section loaded into FLASH; -1 when the layout could not be
     * understood (then {@link #notes()} says why).
     */
    public long imageLength() {
        return image == null ? -1 : image.length();
    }

    /** The sections that make up the image, e.g. {@code .text at 0x800c000 (0x1630 bytes), ...}; null when unknown. */
    public String imageSections() {
        return image == null ? null : image.sections();
    }

    /** The address where the image ends; -1 when unknown. */
    public long imageEnd() {
        return image == null ? -1 : image.end();
    }

    /** Remarks worth a warning: a symbol defined twice with different addresses. */
    public List<String> warnings() {
        return warnings;
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
}
