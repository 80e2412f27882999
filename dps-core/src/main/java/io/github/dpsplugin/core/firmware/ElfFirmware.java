package io.github.dpsplugin.core.firmware;

import io.github.dpsplugin.core.common.DpsException;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the two measured ranges straight from the linked firmware ELF, as an alternative to the
 * {@code .bin} + {@code .map} pair (spec, "Reading the map": "an ELF symbol table, where present,
 * says the same thing more reliably than the map text").
 *
 * <p>The four symbols {@code __start/__stop_riot_core/fw} come from {@code .symtab}; each range's
 * bytes come from the one allocated {@code PROGBITS} section whose addresses contain it (on the
 * DevKit, {@code .text} in flash, so these are the bytes objcopy writes into the {@code .bin}).
 * Only 32-bit little-endian executables are accepted (ARM Cortex-M firmware such as the DevKit's).
 *
 * <p>Hostile input is expected (a wrong file, a truncated download): every offset and size read
 * from the file is checked against the file's size before it is used, tables and ranges are
 * capped, and only the parts needed are read (header, section headers, symbol and string table,
 * the two ranges), so memory stays bounded by the caps whatever the file says. Every problem is a
 * {@link DpsException} for the field {@code firmwareElf} naming the file.
 */
public final class ElfFirmware {

    static final String FIELD = "firmwareElf";
    /** Largest ELF accepted; DevKit ELFs with full debug information are tens of MB. */
    static final long MAX_ELF_SIZE = 1L << 30;
    /** Largest symbol or string table read. */
    static final long MAX_TABLE_SIZE = 64L << 20;

    // ELF32 layout (System V ABI, "ELF Header", "Sections", "Symbol Table")
    private static final int EHDR_SIZE = 52;
    private static final int SHDR_SIZE = 40;
    private static final int SYM_SIZE = 16;
    private static final byte ELFCLASS32 = 1;
    private static final byte ELFCLASS64 = 2;
    private static final byte ELFDATA2LSB = 1;
    private static final byte ELFDATA2MSB = 2;
    private static final int ET_REL = 1;
    private static final int ET_EXEC = 2;
    private static final int EM_ARM = 40;
    private static final int SHT_PROGBITS = 1;
    private static final int SHT_SYMTAB = 2;
    private static final int SHT_STRTAB = 3;
    private static final int SHT_NOBITS = 8;
    private static final int SHF_ALLOC = 0x2;
    private static final int SHN_UNDEF = 0;
    private static final int SHN_LORESERVE = 0xff00;

    private static final String[] SYMBOLS = {
        LinkMap.START_RIOT_CORE, LinkMap.STOP_RIOT_CORE, LinkMap.START_RIOT_FW, LinkMap.STOP_RIOT_FW
    };
    private static final byte[][] SYMBOL_BYTES = new byte[SYMBOLS.length][];

    static {
        for (int i = 0; i < SYMBOLS.length; i++) {
            SYMBOL_BYTES[i] = SYMBOLS[i].getBytes(StandardCharsets.US_ASCII);
        }
    }

    private final Input in;
    private final String source;
    private final long size;
    private List<Section> sections;
    private ByteBuffer sectionNames;

    private ElfFirmware(Input in, String source) {
        this.in = in;
        this.source = source;
        this.size = in.size();
    }

    /** Reads the riot_core and riot_fw ranges of the linked firmware {@code elf}. */
    public static FirmwareImage read(Path elf) {
        if (elf == null) {
            throw new DpsException(FIELD, "no ELF file given; expected the linked firmware .elf");
        }
        if (Files.isDirectory(elf)) {
            throw new DpsException(FIELD, elf + " is a directory; expected the linked firmware .elf file");
        }
        try (FileChannel ch = FileChannel.open(elf, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > MAX_ELF_SIZE) {
                throw new DpsException(FIELD, elf + " has " + size + " bytes; an ELF larger than "
                        + (MAX_ELF_SIZE >> 20) + " MiB is not a DevKit firmware");
            }
            return new ElfFirmware(new FileInput(ch, size), elf.toString()).parse();
        } catch (NoSuchFileException e) {
            throw new DpsException(FIELD, elf + " does not exist");
        } catch (AccessDeniedException e) {
            throw new DpsException(FIELD, elf + " is not readable (permission denied)");
        } catch (IOException e) {
            throw DpsException.environment(FIELD, "cannot read " + elf + ": " + e.getMessage(), e);
        }
    }

    /** Parses an ELF image held in memory; {@code source} names it in messages. */
    static FirmwareImage parse(byte[] elf, String source) {
        try {
            return new ElfFirmware(new ArrayInput(elf), source).parse();
        } catch (IOException e) {
            throw new IllegalStateException(e); // not thrown by an in-memory input
        }
    }

    private FirmwareImage parse() throws IOException {
        try {
            readHeader();
            long[] value = symbols();
            byte[] core = range("riot_core", 0, value);
            if (core.length < FirmwareImage.MIN_RIOT_CORE_SIZE) {
                throw new DpsException(FIELD, source + ": the riot_core range is " + core.length + " bytes; the"
                        + " device refuses to measure a RIoT core shorter than " + FirmwareImage.MIN_RIOT_CORE_SIZE
                        + " bytes");
            }
            byte[] fw = range("riot_fw", 2, value);
            return FirmwareImage.ofRanges(core, fw);
        } catch (BufferUnderflowException | IndexOutOfBoundsException | ArithmeticException e) {
            // a safety net: every read is bounds-checked first, so this means a check is missing
            throw new DpsException(FIELD, source + " is not a valid ELF file (" + e + ")", e);
        }
    }

    /** Checks the identification and type, and reads the section header table. */
    private void readHeader() throws IOException {
        if (size < 4) {
            throw new DpsException(FIELD, source + " has " + size + " bytes; not an ELF file");
        }
        ByteBuffer ident = in.read(0, 4);
        if (ident.get(0) != 0x7f || ident.get(1) != 'E' || ident.get(2) != 'L' || ident.get(3) != 'F') {
            throw new DpsException(FIELD, source + " is not an ELF file (it does not start with 7f 'E' 'L' 'F');"
                    + " expected the linked firmware .elf");
        }
        if (size < 6) {
            throw truncated("the ELF identification", 0, 6);
        }
        ByteBuffer id = in.read(0, 6);
        byte cls = id.get(4);
        byte data = id.get(5);
        String only = "; only 32-bit little-endian ELF files (ARM Cortex-M firmware such as the DevKit's) are"
                + " supported";
        if (cls == ELFCLASS64) {
            throw new DpsException(FIELD, source + " is a 64-bit ELF" + only);
        }
        if (cls != ELFCLASS32) {
            throw new DpsException(FIELD, source + " has an invalid ELF class byte 0x" + hex2(cls) + only);
        }
        if (data == ELFDATA2MSB) {
            throw new DpsException(FIELD, source + " is a big-endian ELF" + only);
        }
        if (data != ELFDATA2LSB) {
            throw new DpsException(FIELD, source + " has an invalid ELF data-encoding byte 0x" + hex2(data) + only);
        }
        ByteBuffer h = region(0, EHDR_SIZE, "the ELF header");
        int type = u16(h, 16);
        int machine = u16(h, 18);
        long shoff = u32(h, 32);
        int shentsize = u16(h, 46);
        int shnum = u16(h, 48);
        int shstrndx = u16(h, 50);
        if (type == ET_REL) {
            throw new DpsException(FIELD, source + " is a relocatable object (.o), whose symbols have no final"
                    + " addresses yet; give the linked firmware .elf");
        }
        if (type != ET_EXEC) {
            throw new DpsException(FIELD, source + " is not an executable (ELF type " + type + "); give the linked"
                    + " firmware .elf");
        }
        if (machine != EM_ARM) {
            throw new DpsException(FIELD, source + " is built for ELF machine " + machine + ", not ARM (40); give the"
                    + " DevKit firmware .elf (ARM Cortex-M)");
        }
        if (shoff == 0 || shnum == 0) {
            throw new DpsException(FIELD, source + " has no section header table" + (shoff != 0 && shnum == 0
                    ? " (or uses extended section numbering, which firmware never needs)" : "")
                    + "; it cannot have a symbol table. Give the unstripped .elf the linker wrote, or use"
                    + " firmwareBin + firmwareMap");
        }
        if (shentsize != SHDR_SIZE) {
            throw new DpsException(FIELD, source + " declares section headers of " + shentsize + " bytes; an ELF32"
                    + " section header has " + SHDR_SIZE + ". The file is damaged");
        }
        ByteBuffer table = region(shoff, (long) shnum * SHDR_SIZE, "the section header table");
        List<Section> list = new ArrayList<>(shnum);
        for (int i = 0; i < shnum; i++) {
            list.add(new Section(i, table, i * SHDR_SIZE));
        }
        sections = list;
        if (shstrndx != SHN_UNDEF && shstrndx < shnum) {
            Section names = sections.get(shstrndx);
            // section names only label messages; a damaged name table leaves them as "#index"
            if (names.type == SHT_STRTAB && names.size <= MAX_TABLE_SIZE && fits(names.offset, names.size)) {
                sectionNames = in.read(names.offset, (int) names.size);
            }
        }
    }

    /** The values of the four symbols, in {@link #SYMBOLS} order, from the one {@code SHT_SYMTAB}. */
    private long[] symbols() throws IOException {
        Section symtab = null;
        for (Section s : sections) {
            if (s.type == SHT_SYMTAB) {
                symtab = s;
                break;
            }
        }
        if (symtab == null) {
            throw new DpsException(FIELD, source + " has no symbol table (.symtab): was it stripped? Give the"
                    + " unstripped .elf the linker wrote, or use firmwareBin + firmwareMap");
        }
        if (symtab.entsize != SYM_SIZE || symtab.size % SYM_SIZE != 0) {
            throw new DpsException(FIELD, source + ": the symbol table " + symtab.label() + " has entries of "
                    + symtab.entsize + " bytes and size " + symtab.size + "; an ELF32 symbol has " + SYM_SIZE
                    + " bytes. The file is damaged");
        }
        if (symtab.link <= 0 || symtab.link >= sections.size() || sections.get((int) symtab.link).type != SHT_STRTAB) {
            throw new DpsException(FIELD, source + ": the symbol table " + symtab.label() + " links to section "
                    + symtab.link + ", which is not a string table. The file is damaged");
        }
        Section strtab = sections.get((int) symtab.link);
        ByteBuffer syms = table(symtab, "the symbol table");
        ByteBuffer strings = table(strtab, "the symbol string table");
        int count = (int) (symtab.size / SYM_SIZE);
        long[] value = new long[SYMBOLS.length];
        boolean[] found = new boolean[SYMBOLS.length];
        for (int n = 0; n < count; n++) {
            int at = n * SYM_SIZE;
            long name = u32(syms, at);
            int shndx = u16(syms, at + 14);
            if (shndx == SHN_UNDEF || name == 0) {
                continue; // undefined or nameless: not a definition of any of ours
            }
            if (name >= strings.limit()) {
                throw new DpsException(FIELD, source + ": symbol " + n + " has its name at offset " + name
                        + ", outside the string table (" + strings.limit() + " bytes). The file is damaged");
            }
            int i = which(strings, (int) name);
            if (i < 0) {
                continue;
            }
            long v = u32(syms, at + 4);
            if (found[i] && value[i] != v) {
                throw new DpsException(FIELD, String.format(Locale.ROOT, "%s defines %s twice (0x%08x and 0x%08x); which range"
                        + " the device measures is unclear", source, SYMBOLS[i], value[i], v));
            }
            found[i] = true;
            value[i] = v;
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < SYMBOLS.length; i++) {
            if (!found[i]) {
                missing.add(SYMBOLS[i]);
            }
        }
        if (!missing.isEmpty()) {
            throw new DpsException(FIELD, source + " does not define " + String.join(", ", missing) + " in its symbol"
                    + " table; missing symbol" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing)
                    + " (the linker script must place .riot_core and .riot_fw between these symbols)");
        }
        return value;
    }

    /** Index in {@link #SYMBOLS} of the NUL-terminated name at {@code at}, or -1. */
    private static int which(ByteBuffer strings, int at) {
        for (int i = 0; i < SYMBOL_BYTES.length; i++) {
            byte[] want = SYMBOL_BYTES[i];
            int end = at + want.length; // want + NUL must fit
            if (end >= strings.limit() || strings.get(end) != 0) {
                continue;
            }
            boolean same = true;
            for (int k = 0; k < want.length && same; k++) {
                same = strings.get(at + k) == want[k];
            }
            if (same) {
                return i;
            }
        }
        return -1;
    }

    /** The bytes of range {@code [value[first], value[first + 1])} from the PROGBITS section holding it. */
    private byte[] range(String name, int first, long[] value) throws IOException {
        String startSymbol = SYMBOLS[first];
        String stopSymbol = SYMBOLS[first + 1];
        long start = value[first];
        long stop = value[first + 1];
        if (stop < start) {
            throw new DpsException(FIELD, String.format(Locale.ROOT, "%s: %s (0x%08x) is below %s (0x%08x); the %s range would be"
                    + " negative", source, stopSymbol, stop, startSymbol, start, name));
        }
        long length = stop - start;
        if (length > FirmwareImage.MAX_BIN_SIZE) {
            throw new DpsException(FIELD, String.format(Locale.ROOT, "%s: the %s range [0x%08x, 0x%08x) is %d bytes; a measured"
                    + " range larger than %d MiB is not DevKit firmware", source, name, start, stop, length,
                    FirmwareImage.MAX_BIN_SIZE >> 20));
        }
        Section holder = null;
        for (Section s : sections) {
            if (s.type == SHT_PROGBITS && (s.flags & SHF_ALLOC) != 0 && s.contains(start, stop)) {
                holder = s;
                break;
            }
        }
        if (holder == null) {
            throw new DpsException(FIELD, String.format(Locale.ROOT, "%s: the %s range [0x%08x, 0x%08x) (%s to %s) %s", source,
                    name, start, stop, startSymbol, stopSymbol, whyNotInOneSection(start, stop)));
        }
        if (!fits(holder.offset, holder.size)) {
            throw truncated("section " + holder.label(), holder.offset, holder.size);
        }
        ByteBuffer bytes = in.read(holder.offset + (start - holder.addr), (int) length);
        byte[] out = new byte[(int) length];
        bytes.get(out);
        return out;
    }

    /** Why no single allocated PROGBITS section holds {@code [start, stop)}, for the message. */
    private String whyNotInOneSection(long start, long stop) {
        for (Section s : sections) {
            if ((s.flags & SHF_ALLOC) != 0 && s.contains(start, stop) && s.type == SHT_NOBITS) {
                return "lies in " + s.label() + ", which has no bytes in the file (NOBITS); the device measures"
                        + " code and constants in flash";
            }
        }
        for (Section s : sections) {
            if (s.type == SHT_PROGBITS && (s.flags & SHF_ALLOC) != 0 && s.overlaps(start, stop)) {
                return String.format(Locale.ROOT, "is not inside one PROGBITS section: it overlaps %s [0x%08x, 0x%08x) but does"
                        + " not fit in it", s.label(), s.addr, s.addr + s.size);
            }
        }
        return "is outside every loadable section of the file; do the symbols belong to this firmware?";
    }

    /** A whole section's contents, within the table cap. */
    private ByteBuffer table(Section s, String what) throws IOException {
        if (s.size > MAX_TABLE_SIZE) {
            throw new DpsException(FIELD, source + ": " + what + " " + s.label() + " declares " + s.size
                    + " bytes, more than the " + (MAX_TABLE_SIZE >> 20) + " MiB accepted. The file is damaged");
        }
        return region(s.offset, s.size, what + " " + s.label());
    }

    /** {@code length} bytes at {@code offset}, after checking that they are inside the file. */
    private ByteBuffer region(long offset, long length, String what) throws IOException {
        if (!fits(offset, length)) {
            throw truncated(what, offset, length);
        }
        return in.read(offset, (int) length);
    }

    private boolean fits(long offset, long length) {
        // offsets and sizes are unsigned 32-bit values, so the sum cannot overflow a long
        return offset >= 0 && length >= 0 && length <= Integer.MAX_VALUE && offset + length <= size;
    }

    private DpsException truncated(String what, long offset, long length) {
        return new DpsException(FIELD, String.format(Locale.ROOT, "%s is truncated or damaged: %s (%d bytes at offset %d) ends"
                + " beyond the end of the file (%d bytes)", source, what, length, offset, size));
    }

    private String sectionName(long nameOffset) {
        ByteBuffer names = sectionNames;
        if (names == null || nameOffset <= 0 || nameOffset >= names.limit()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = (int) nameOffset; i < names.limit() && sb.length() < 64; i++) {
            byte b = names.get(i);
            if (b == 0) {
                return sb.toString();
            }
            sb.append(b >= 0x20 && b < 0x7f ? (char) b : '?');
        }
        return null;
    }

    private static int u16(ByteBuffer b, int at) {
        return Short.toUnsignedInt(b.getShort(at));
    }

    private static long u32(ByteBuffer b, int at) {
        return Integer.toUnsignedLong(b.getInt(at));
    }

    private static String hex2(byte b) {
        return String.format(Locale.ROOT, "%02x", b & 0xff);
    }

    /** One ELF32 section header ({@code Elf32_Shdr}). */
    private final class Section {
        final int index;
        final long name;
        final long type;
        final long flags;
        final long addr;
        final long offset;
        final long size;
        final long link;
        final long entsize;

        Section(int index, ByteBuffer b, int at) {
            this.index = index;
            this.name = u32(b, at);
            this.type = u32(b, at + 4);
            this.flags = u32(b, at + 8);
            this.addr = u32(b, at + 12);
            this.offset = u32(b, at + 16);
            this.size = u32(b, at + 20);
            this.link = u32(b, at + 24);
            this.entsize = u32(b, at + 36);
        }

        /** Whether {@code [start, stop)} lies in this section's addresses (an empty range may sit at its end). */
        boolean contains(long start, long stop) {
            return start >= addr && stop <= addr + size;
        }

        boolean overlaps(long start, long stop) {
            return start < addr + size && stop > addr;
        }

        String label() {
            String n = sectionName(name);
            return n == null || n.isEmpty() ? "#" + index : n;
        }
    }

    /** Where the bytes come from: a file channel, or an array in tests. */
    private interface Input {
        long size();

        /** Exactly {@code length} bytes at {@code offset} (already checked to be inside), little-endian. */
        ByteBuffer read(long offset, int length) throws IOException;
    }

    private static final class FileInput implements Input {
        private final FileChannel ch;
        private final long size;

        FileInput(FileChannel ch, long size) {
            this.ch = ch;
            this.size = size;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public ByteBuffer read(long offset, int length) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(length);
            while (b.hasRemaining()) {
                if (ch.read(b, offset + b.position()) < 0) {
                    throw new IOException("the file became shorter while it was read");
                }
            }
            return b.flip().order(ByteOrder.LITTLE_ENDIAN);
        }
    }

    private static final class ArrayInput implements Input {
        private final byte[] data;

        ArrayInput(byte[] data) {
            this.data = data;
        }

        @Override
        public long size() {
            return data.length;
        }

        @Override
        public ByteBuffer read(long offset, int length) {
            return ByteBuffer.wrap(data, (int) offset, length).slice().order(ByteOrder.LITTLE_ENDIAN);
        }
    }
}
