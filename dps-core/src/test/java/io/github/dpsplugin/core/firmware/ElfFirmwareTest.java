package io.github.dpsplugin.core.firmware;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dpsplugin.core.DeviceCertificateGenerator;
import io.github.dpsplugin.core.DeviceCertificates;
import io.github.dpsplugin.core.Vectors;
import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.FirmwareMeasurement;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.id.FirmwareVersion;
import io.github.dpsplugin.core.id.MacAddress;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.pem.Pem;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ELF input: the vectors' ELF files give the same measured bytes and certificates as their
 * .bin + .map, and every kind of damaged or foreign file is a {@link DpsException} for
 * {@code firmwareElf}, never another exception, a hang or an unbounded allocation.
 */
class ElfFirmwareTest {

    private static final Path FW_A_ELF = Vectors.file("firmware/fw-a.ino.elf");

    @TempDir
    Path tmp;

    // ---- the real files ----

    static Stream<String> firmwaresWithElf() {
        List<String> names = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = Vectors.json().get("firmwares").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().get("elf").isNull()) {
                names.add(e.getKey());
            }
        }
        assertEquals(List.of("fw-a", "fw-b", "fw-c"), names);
        return names.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("firmwaresWithElf")
    void elfGivesTheSameBytesAsBinAndMap(String name) {
        JsonNode fw = Vectors.json().get("firmwares").get(name);
        FirmwareImage fromMap = FirmwareImage.read(Vectors.file(fw.get("bin").asText()), Vectors.file(fw.get("map").asText()));
        FirmwareImage fromElf = FirmwareImage.readElf(Vectors.file(fw.get("elf").asText()));
        assertArrayEquals(fromMap.riotCore(), fromElf.riotCore(), "riot_core");
        assertArrayEquals(fromMap.riotFw(), fromElf.riotFw(), "riot_fw");
        assertEquals(fw.get("riotCoreSize").asInt(), fromElf.riotCoreSize());
        assertEquals(fw.get("riotFwSize").asInt(), fromElf.riotFwSize());
    }

    static Stream<Vectors.Case> casesWithElf() {
        return Vectors.cases().stream().filter(c -> !c.firmware.get("elf").isNull());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("casesWithElf")
    void elfGivesTheVectorCertificates(Vectors.Case c) throws IOException {
        FirmwareImage image = FirmwareImage.readElf(Vectors.file(c.firmware.get("elf").asText()));
        FirmwareMeasurement m = FirmwareMeasurement.of(image);
        assertEquals(c.text("riotCoreDigest"), HexFormat.of().formatHex(m.riotCoreDigest()));
        assertEquals(c.text("fwid"), m.fwidHex());
        RegistrationId id = "auto".equals(c.text("registrationIdSource"))
                ? RegistrationId.derive(MacAddress.parse(c.text("mac")), FirmwareVersion.parse(c.text("firmwareVersion")))
                : RegistrationId.of(c.text("registrationId"));
        DeviceCertificates certs;
        try (Uds uds = Uds.fromHex(c.text("uds"))) {
            certs = DeviceCertificateGenerator.forFirmware(image, NoncePolicy.DEVKIT).generate(id, uds);
        }
        assertArrayEquals(Pem.decode(Pem.CERTIFICATE, Files.readString(c.path("aliasCertFile"))),
                certs.aliasCertificateDer(), "alias certificate");
        assertArrayEquals(Pem.decode(Pem.CERTIFICATE, Files.readString(c.path("deviceIdCertFile"))),
                certs.deviceIdCertificateDer(), "DeviceID certificate");
    }

    @Test
    void coversTheVectorsWithAnElf() {
        List<String> ids = casesWithElf().map(Vectors.Case::id).toList();
        assertTrue(ids.containsAll(List.of("P01", "P06", "P07")), ids.toString());
    }

    // ---- files that are not what they should be ----

    private static byte[] fwA() {
        try {
            return Files.readAllBytes(FW_A_ELF);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Parses {@code elf}; it must fail with a firmwareElf error whose message contains every {@code expected}. */
    private static DpsException refused(byte[] elf, String... expected) {
        DpsException e = assertThrows(DpsException.class, () -> ElfFirmware.parse(elf, "test.elf"));
        assertEquals("firmwareElf", e.field(), e.getMessage());
        assertTrue(e.getMessage().startsWith("firmwareElf: "), e.getMessage());
        for (String s : expected) {
            assertTrue(e.getMessage().contains(s), "'" + s + "' not in: " + e.getMessage());
        }
        return e;
    }

    private static byte[] edited(Consumer<Elf> edit) {
        Elf elf = new Elf(fwA());
        edit.accept(elf);
        return elf.bytes;
    }

    @Test
    void theUneditedTestCopyParses() {
        // guards the edits below: they change one thing of a file that is otherwise fine
        FirmwareImage image = ElfFirmware.parse(fwA(), "test.elf");
        assertEquals(587, image.riotCoreSize());
        assertEquals(236, image.riotFwSize());
    }

    @Test
    void readsTheFileAndNamesItInErrors() throws IOException {
        Path copy = Files.write(tmp.resolve("app.ino.elf"), fwA());
        assertArrayEquals(FirmwareImage.readElf(FW_A_ELF).riotFw(), FirmwareImage.readElf(copy).riotFw());
        Path bin = Vectors.file("firmware/fw-a.ino.bin");
        DpsException e = assertThrows(DpsException.class, () -> FirmwareImage.readElf(bin));
        assertEquals("firmwareElf", e.field());
        assertTrue(e.getMessage().contains(bin.toString()) && e.getMessage().contains("not an ELF file"), e.getMessage());
    }

    @Test
    void missingFileDirectoryAndNull() {
        Path missing = tmp.resolve("nope.elf");
        assertTrue(assertThrows(DpsException.class, () -> FirmwareImage.readElf(missing)).getMessage()
                .contains(missing + " does not exist"));
        assertTrue(assertThrows(DpsException.class, () -> FirmwareImage.readElf(tmp)).getMessage()
                .contains("is a directory"));
        assertEquals("firmwareElf", assertThrows(DpsException.class, () -> FirmwareImage.readElf(null)).field());
    }

    @Test
    void emptyAndTinyFiles() {
        refused(new byte[0], "0 bytes", "not an ELF file");
        refused(new byte[] {0x7f, 'E', 'L'}, "not an ELF file");
        refused(new byte[] {0x7f, 'E', 'L', 'F'}, "truncated");
        refused(Arrays.copyOf(fwA(), 51), "truncated", "the ELF header");
    }

    @Test
    void notAnElf() {
        refused("MZ this is a Windows executable".getBytes(StandardCharsets.US_ASCII), "not an ELF file");
        refused(Arrays.copyOf("Memory Configuration\n".getBytes(StandardCharsets.US_ASCII), 200), "not an ELF file");
    }

    @Test
    void sixtyFourBitElf() {
        refused(edited(e -> e.bytes[4] = 2), "is a 64-bit ELF", "only 32-bit little-endian ELF");
    }

    @Test
    void bigEndianElf() {
        refused(edited(e -> e.bytes[5] = 2), "is a big-endian ELF", "only 32-bit little-endian ELF");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 3, 0x7f, 0xff})
    void invalidClassOrDataByte(int value) {
        refused(edited(e -> e.bytes[4] = (byte) value), "invalid ELF class byte", "only 32-bit little-endian ELF");
        refused(edited(e -> e.bytes[5] = (byte) value), "invalid ELF data-encoding byte");
    }

    @Test
    void relocatableObjectSharedObjectAndOtherMachine() {
        refused(edited(e -> e.u16(16, 1)), "relocatable object");
        refused(edited(e -> e.u16(16, 3)), "not an executable (ELF type 3)");
        refused(edited(e -> e.u16(18, 3)), "machine 3, not ARM");
    }

    @Test
    void strippedFileHasNoSymbolTable() {
        // what strip does to the section list: no SHT_SYMTAB left
        refused(edited(e -> e.u32(e.sectionHeader(e.symtab()) + 4, 0)), "no symbol table (.symtab)", "stripped",
                "firmwareBin + firmwareMap");
    }

    @Test
    void noSectionHeaders() {
        refused(edited(e -> e.u32(32, 0)), "no section header table");
        refused(edited(e -> e.u16(48, 0)), "no section header table", "extended section numbering");
    }

    @Test
    void zeroedSymbolTableMissesAllFourSymbols() {
        byte[] elf = edited(e -> {
            int at = (int) e.sectionU32(e.symtab(), 16);
            Arrays.fill(e.bytes, at, at + (int) e.sectionU32(e.symtab(), 20), (byte) 0);
        });
        refused(elf, "missing symbols __start_riot_core, __stop_riot_core, __start_riot_fw, __stop_riot_fw");
    }

    @Test
    void missingSymbol() {
        // rename __stop_riot_fw to __stop_riot_fX
        byte[] elf = edited(e -> e.bytes[e.nameOffset("__stop_riot_fw") + "__stop_riot_f".length()] = 'X');
        refused(elf, "missing symbol __stop_riot_fw", "test.elf");
    }

    @Test
    void undefinedSymbolDoesNotCount() {
        refused(edited(e -> e.u16(e.symbol("__start_riot_core") + 14, 0)), "missing symbol __start_riot_core");
    }

    @Test
    void symbolDefinedTwiceWithDifferentValues() {
        byte[] elf = edited(e -> {
            int other = e.symbol("riot_core_measure");
            e.u32(other, e.u32(e.symbol("__stop_riot_fw"))); // give it the same name
        });
        refused(elf, "defines __stop_riot_fw twice");
    }

    @Test
    void symbolNameOutsideTheStringTable() {
        refused(edited(e -> e.u32(e.symbol("riot_core_measure"), 0x7fffffff)), "outside the string table");
    }

    @Test
    void stopBelowStart() {
        refused(edited(e -> e.u32(e.symbol("__stop_riot_fw") + 4, 0x0800d500)),
                "__stop_riot_fw (0x0800d500) is below __start_riot_fw (0x0800d540)");
    }

    @Test
    void riotCoreShorterThanEightBytes() {
        refused(edited(e -> e.u32(e.symbol("__stop_riot_core") + 4, 0x0800d2f5 + 7)), "riot_core range is 7 bytes");
    }

    @Test
    void riotCoreOfEightBytesIsAccepted() {
        FirmwareImage image = ElfFirmware.parse(edited(e -> e.u32(e.symbol("__stop_riot_core") + 4, 0x0800d2f5 + 8)),
                "test.elf");
        assertArrayEquals(Arrays.copyOf(FirmwareImage.readElf(FW_A_ELF).riotCore(), 8), image.riotCore());
    }

    @Test
    void emptyRiotFwIsValid() {
        FirmwareImage image = ElfFirmware.parse(edited(e -> e.u32(e.symbol("__stop_riot_fw") + 4, 0x0800d540)),
                "test.elf");
        assertEquals(0, image.riotFwSize());
    }

    @Test
    void rangeRunningPastTheEndOfItsSection() {
        // .text is [0x0800c000, 0x0800d630)
        refused(edited(e -> e.u32(e.symbol("__stop_riot_fw") + 4, 0x0800d700)),
                "riot_fw range [0x0800d540, 0x0800d700)", "not inside one PROGBITS section", ".text");
    }

    @Test
    void rangeInBss() {
        refused(edited(e -> {
            e.u32(e.symbol("__start_riot_fw") + 4, 0x20000250);
            e.u32(e.symbol("__stop_riot_fw") + 4, 0x20000260);
        }), "lies in .bss", "NOBITS");
    }

    @Test
    void rangeOutsideEverySection() {
        refused(edited(e -> {
            e.u32(e.symbol("__start_riot_core") + 4, 0x10000000);
            e.u32(e.symbol("__stop_riot_core") + 4, 0x10000100);
        }), "riot_core range [0x10000000, 0x10000100)", "outside every loadable section");
    }

    @Test
    void hugeRange() {
        refused(edited(e -> e.u32(e.symbol("__stop_riot_fw") + 4, 0xffffffffL)), "larger than 64 MiB");
    }

    @Test
    void sectionDataBeyondTheEndOfTheFile() {
        refused(edited(e -> e.u32(e.sectionHeader(1) + 16, 0xfffff000L)), "truncated or damaged", "section .text");
    }

    @Test
    void garbageTableSizes() {
        refused(edited(e -> e.u32(e.sectionHeader(e.symtab()) + 20, 0xfffffff0L)), "more than the 64 MiB");
        refused(edited(e -> e.u32(e.sectionHeader(e.symtab()) + 20, 0x00100000)), "truncated or damaged",
                "the symbol table .symtab");
        refused(edited(e -> e.u32(e.sectionHeader(e.symtab()) + 36, 24)), "entries of 24 bytes");
        refused(edited(e -> e.u32(e.sectionHeader(e.symtab()) + 24, 1)), "not a string table");
        refused(edited(e -> e.u32(e.sectionHeader(e.symtab()) + 24, 0xffffffffL)), "not a string table");
        refused(edited(e -> e.u16(48, 0xffff)), "truncated or damaged", "the section header table");
        refused(edited(e -> e.u32(32, 0xffffffffL)), "truncated or damaged", "the section header table");
        refused(edited(e -> e.u16(46, 64)), "section headers of 64 bytes");
    }

    @Test
    void damagedSectionNameTableOnlyLosesNames() {
        byte[] elf = edited(e -> {
            e.u16(50, 0xfff0); // shstrndx out of range
            e.u32(e.symbol("__stop_riot_fw") + 4, 0x0800d700);
        });
        refused(elf, "overlaps #1");
    }

    @Test
    void truncatedAnywhere() {
        byte[] elf = fwA();
        // the section header table sits at the end of the file, so every cut is detected; cut at
        // every byte of the headers and the symbol table, and every 97th byte elsewhere
        Elf info = new Elf(elf);
        int symtab = (int) info.sectionU32(info.symtab(), 16);
        for (int n = 0; n < elf.length; n++) {
            boolean dense = n < 64 || n >= elf.length - 800 || (n >= symtab && n < symtab + 64);
            if (!dense && n % 97 != 0) {
                continue;
            }
            byte[] cut = Arrays.copyOf(elf, n);
            try {
                ElfFirmware.parse(cut, "cut.elf");
                fail("a file cut to " + n + " bytes was accepted");
            } catch (DpsException e) {
                assertEquals("firmwareElf", e.field());
                assertTrue(!e.getMessage().contains("is not a valid ELF file ("), "safety net reached at " + n + ": "
                        + e.getMessage());
            }
        }
    }

    @Test
    void randomBytes() {
        Random random = new Random(6);
        for (int i = 0; i < 2000; i++) {
            byte[] junk = new byte[random.nextInt(4096)];
            random.nextBytes(junk);
            if (i % 2 == 0 && junk.length >= 4) {
                junk[0] = 0x7f;
                junk[1] = 'E';
                junk[2] = 'L';
                junk[3] = 'F';
                if (junk.length > 6) {
                    junk[4] = 1;
                    junk[5] = 1;
                }
            }
            assertOnlyDpsException(junk, "random " + i);
        }
    }

    @Test
    void randomlyDamagedHeadersAndTables() {
        // flip bytes where the reader looks: ELF header, section headers, symbol table
        byte[] original = fwA();
        Elf info = new Elf(original);
        int shoff = (int) info.u32(32);
        int symtab = (int) info.sectionU32(info.symtab(), 16);
        int symtabSize = (int) info.sectionU32(info.symtab(), 20);
        Random random = new Random(42);
        int accepted = 0;
        for (int i = 0; i < 3000; i++) {
            byte[] elf = original.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                int region = random.nextInt(3);
                int at = region == 0 ? random.nextInt(52)
                        : region == 1 ? shoff + random.nextInt(elf.length - shoff)
                        : symtab + random.nextInt(symtabSize);
                elf[at] = (byte) random.nextInt(256);
            }
            if (assertOnlyDpsException(elf, "damaged " + i)) {
                accepted++;
            }
        }
        assertTrue(accepted > 0 && accepted < 3000, "accepted " + accepted); // many flips hit unused fields
    }

    /** True when accepted; a refusal must be a firmwareElf DpsException. */
    private static boolean assertOnlyDpsException(byte[] elf, String what) {
        try {
            ElfFirmware.parse(elf, "fuzz.elf");
            return true;
        } catch (DpsException e) {
            assertEquals("firmwareElf", e.field(), what + ": " + e.getMessage());
            return false;
        } catch (RuntimeException | Error e) {
            throw new AssertionError(what + ": " + e, e);
        }
    }

    /** A writable copy of an ELF32 LE file with the lookups the edits need (independent of the reader). */
    private static final class Elf {
        final byte[] bytes;
        final ByteBuffer b;

        Elf(byte[] bytes) {
            this.bytes = bytes;
            this.b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }

        long u32(int at) {
            return Integer.toUnsignedLong(b.getInt(at));
        }

        void u32(int at, long v) {
            b.putInt(at, (int) v);
        }

        void u16(int at, int v) {
            b.putShort(at, (short) v);
        }

        int sectionHeader(int index) {
            return (int) u32(32) + 40 * index;
        }

        long sectionU32(int index, int field) {
            return u32(sectionHeader(index) + field);
        }

        int symtab() {
            int n = Short.toUnsignedInt(b.getShort(48));
            for (int i = 0; i < n; i++) {
                if (sectionU32(i, 4) == 2) {
                    return i;
                }
            }
            throw new AssertionError("no symtab");
        }

        /** File offset of the symbol named {@code name}. */
        int symbol(String name) {
            int sym = symtab();
            int strtab = (int) sectionU32((int) sectionU32(sym, 24), 16);
            int at = (int) sectionU32(sym, 16);
            int end = at + (int) sectionU32(sym, 20);
            for (; at < end; at += 16) {
                if (name.equals(string(strtab + (int) u32(at)))) {
                    return at;
                }
            }
            throw new AssertionError("no symbol " + name);
        }

        /** File offset of the name of the symbol named {@code name}. */
        int nameOffset(String name) {
            int strtab = (int) sectionU32((int) sectionU32(symtab(), 24), 16);
            return strtab + (int) u32(symbol(name));
        }

        String string(int at) {
            int end = at;
            while (bytes[end] != 0) {
                end++;
            }
            return new String(bytes, at, end - at, StandardCharsets.US_ASCII);
        }
    }
}
