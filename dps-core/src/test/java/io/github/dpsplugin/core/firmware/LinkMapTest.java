package io.github.dpsplugin.core.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dpsplugin.core.Vectors;
import io.github.dpsplugin.core.common.DpsException;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class LinkMapTest {

    private static final List<String> SYMBOLS = List.of(LinkMap.START_RIOT_CORE, LinkMap.STOP_RIOT_CORE,
            LinkMap.START_RIOT_FW, LinkMap.STOP_RIOT_FW);

    @TempDir
    Path tmp;

    static Stream<Arguments> firmwares() {
        List<Arguments> out = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> it = Vectors.json().get("firmwares").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.add(Arguments.of(e.getKey(), e.getValue()));
        }
        return out.stream();
    }

    private static long address(JsonNode fw, String field) {
        String text = fw.get(field).asText();
        assertTrue(text.startsWith("0x"), text);
        return Long.parseUnsignedLong(text.substring(2), 16);
    }

    @Test
    void theVectorsHaveEveryMapVariant() {
        List<String> names = new ArrayList<>();
        firmwares().forEach(a -> names.add((String) a.get()[0]));
        assertTrue(names.containsAll(List.of("fw-a", "fw-a-crlf", "fw-a-map64", "fw-b-dupsym", "fw-c-emptyfw",
                "fw-a-core8")), names.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("firmwares")
    void readsTheAddressesOfEveryVectorMap(String name, JsonNode fw) throws IOException {
        Path file = Vectors.file(fw.get("map").asText());
        LinkMap map = LinkMap.read(file);
        assertEquals(address(fw, "flashOrigin"), map.flashOrigin(), "FLASH origin");
        assertEquals(address(fw, "startRiotCore"), map.startRiotCore(), "__start_riot_core");
        assertEquals(address(fw, "stopRiotCore"), map.stopRiotCore(), "__stop_riot_core");
        assertEquals(address(fw, "startRiotFw"), map.startRiotFw(), "__start_riot_fw");
        assertEquals(address(fw, "stopRiotFw"), map.stopRiotFw(), "__stop_riot_fw");
        assertEquals(fw.get("riotCoreSize").asLong(), map.stopRiotCore() - map.startRiotCore());
        assertEquals(fw.get("riotFwSize").asLong(), map.stopRiotFw() - map.startRiotFw());
        // the stream parser gives the same as the file reader
        try (InputStream in = Files.newInputStream(file)) {
            LinkMap parsed = LinkMap.parse(in, name);
            assertEquals(map.toString(), parsed.toString());
        }
        if (name.equals("fw-b-dupsym")) {
            assertEquals(1, map.notes().size(), map.notes().toString());
            String note = map.notes().get(0);
            assertTrue(note.contains(LinkMap.STOP_RIOT_FW), note);
            assertTrue(note.contains("last"), note);
        } else {
            assertEquals(List.of(), map.notes(), name);
        }
    }

    @Test
    void crlfMapReallyHasCrlfAndGivesTheSameAddresses() throws IOException {
        Path crlf = Vectors.file("firmware/fw-a-crlf.ino.map");
        String text = Files.readString(crlf, StandardCharsets.ISO_8859_1);
        assertTrue(text.contains("__stop_riot_fw = .\r\n"));
        assertEquals(LinkMap.read(MapText.FW_A_MAP).toString(), LinkMap.read(crlf).toString());
    }

    @Test
    void duplicatedSymbolLastOccurrenceWins(@TempDir Path dir) {
        String text = MapText.fwA() + "                0x0800d600                        __start_riot_fw = .\n";
        LinkMap map = LinkMap.read(MapText.write(dir, "dup.map", text));
        assertEquals(0x0800d600L, map.startRiotFw());
        assertEquals(1, map.notes().size());
        assertTrue(map.notes().get(0).contains(LinkMap.START_RIOT_FW), map.notes().get(0));
        assertTrue(map.notes().get(0).contains("0x800d600"), map.notes().get(0));
    }

    @Test
    void aSymbolRepeatedWithAnotherAddressIsAWarningNamingBothLines(@TempDir Path dir) {
        String text = MapText.fwA() + "                0x0800d600                        __start_riot_core = .\n"
                + "                0x0800d610                        __start_riot_core = .\n";
        Path file = MapText.write(dir, "dup.map", text);
        LinkMap map = LinkMap.read(file);
        assertEquals(0x0800d610L, map.startRiotCore(), "the last line counts, as in the reference tool");
        int first = (int) MapText.fwA().lines().takeWhile(l -> !l.contains("__start_riot_core = .")).count() + 1;
        int repeated = (int) text.lines().count() - 1;
        assertEquals(List.of(String.format(Locale.ROOT, "firmwareMap: %s: symbol __start_riot_core is at 0x%x on"
                + " line %d and at 0x800d600 on line %d; the last line counts (as in the reference tool) and decides"
                + " the measurement: check that this map belongs to this firmware's link", file,
                LinkMap.read(MapText.write(dir, "a.map", MapText.fwA())).startRiotCore(), first, repeated)),
                map.warnings());
        // the same address again is no news
        assertEquals(List.of(), LinkMap.read(MapText.write(dir, "same.map", MapText.fwA() + MapText.fwA().lines()
                .filter(l -> l.contains("__start_riot_core = .")).findFirst().orElseThrow() + "\n")).warnings());
    }

    @Test
    void aSymbolRepeatedManyTimesKeepsAFewNotesNotOneEach() throws IOException {
        StringBuilder sb = new StringBuilder(MapText.fwA());
        for (int i = 0; i < 100_000; i++) {
            sb.append(String.format(Locale.ROOT, "                0x%08x                        __stop_riot_fw = .%n", 0x0800d600 + (i & 0x1f)));
        }
        LinkMap map = LinkMap.parse(new ByteArrayInputStream(sb.toString().getBytes(StandardCharsets.ISO_8859_1)), "rep");
        assertEquals(LinkMap.MAX_NOTES + 1, map.notes().size());
        assertEquals("rep: " + (100_000 - LinkMap.MAX_NOTES) + " more repeated symbol lines; the last occurrence of"
                + " each counts", map.notes().get(LinkMap.MAX_NOTES));
        assertEquals(0x0800d600L + (99_999 & 0x1f), map.stopRiotFw());
    }

    private static DpsException assertMapError(Path file) {
        DpsException e = assertThrows(DpsException.class, () -> LinkMap.read(file));
        assertEquals("firmwareMap", e.field());
        assertTrue(e.getMessage().startsWith("firmwareMap:"), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
        return e;
    }

    @Test
    void emptyFile() throws IOException {
        Path file = Files.createFile(tmp.resolve("empty.map"));
        String message = assertMapError(file).getMessage();
        assertTrue(message.contains(" is empty; expected the GNU ld map"), message);
    }

    @Test
    void aLineOfNothingButABreakIsNotEmptyButHasNoFlash() throws IOException {
        Path file = Files.writeString(tmp.resolve("newline.map"), "\n");
        String message = assertMapError(file).getMessage();
        assertTrue(message.contains("no FLASH region"), message);
        assertFalse(message.contains("truncated"), message);
    }

    @Test
    void binaryGarbage() throws IOException {
        byte[] garbage = new byte[1 << 20];
        new Random(1234).nextBytes(garbage);
        Path file = Files.write(tmp.resolve("garbage.map"), garbage);
        DpsException e = assertMapError(file);
        assertTrue(e.getMessage().contains("is binary (a NUL byte on line "), e.getMessage());
    }

    @Test
    void binaryGarbageWithoutNulIsNoMapEither() throws IOException {
        byte[] garbage = new byte[1 << 16];
        new Random(99).nextBytes(garbage);
        for (int i = 0; i < garbage.length; i++) {
            if (garbage[i] == 0) {
                garbage[i] = 1;
            }
        }
        DpsException e = assertMapError(Files.write(tmp.resolve("garbage-no-nul.map"), garbage));
        assertTrue(e.getMessage().contains("no FLASH region"), e.getMessage());
    }

    @Test
    void theElfIsRecognisedAsBinary() {
        DpsException e = assertMapError(Vectors.file("firmware/fw-a.ino.elf"));
        assertTrue(e.getMessage().contains("fw-a.ino.elf is binary (a NUL byte on line 1)"), e.getMessage());
        assertTrue(e.getMessage().contains("not the .elf or .bin"), e.getMessage());
    }

    @Test
    void theFirmwareImageIsNotAMap() {
        assertMapError(MapText.FW_A_BIN);
    }

    @Test
    void flashLineMissing() {
        String text = MapText.replaceOnce(MapText.fwA(), "FLASH            0x0800c000", "ROM              0x0800c000");
        DpsException e = assertMapError(MapText.write(tmp, "noflash.map", text));
        assertTrue(e.getMessage().contains("FLASH"), e.getMessage());
        for (String symbol : SYMBOLS) {
            assertFalse(e.getMessage().contains(symbol), e.getMessage());
        }
    }

    @Test
    void flashLineOutsideTheMemoryConfigurationDoesNotCount() {
        String text = MapText.replaceOnce(MapText.fwA(), "FLASH            0x0800c000", "ROM              0x0800c000");
        text = text + "FLASH            0x0800c000         0x000f4000         xr\n";
        assertMapError(MapText.write(tmp, "lateflash.map", text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"__start_riot_core", "__stop_riot_core", "__start_riot_fw", "__stop_riot_fw"})
    void symbolMissing(String symbol) {
        String text = MapText.withoutLinesContaining(MapText.fwA(), symbol + " = .");
        DpsException e = assertMapError(MapText.write(tmp, "no" + symbol + ".map", text));
        assertTrue(e.getMessage().contains(symbol), e.getMessage());
        for (String other : SYMBOLS) {
            if (!other.equals(symbol)) {
                assertFalse(e.getMessage().contains(other), "names only the missing symbol: " + e.getMessage());
            }
        }
    }

    @Test
    void allSymbolsMissing() {
        String text = MapText.fwA();
        for (String symbol : SYMBOLS) {
            text = MapText.withoutLinesContaining(text, symbol + " = .");
        }
        DpsException e = assertMapError(MapText.write(tmp, "nosymbols.map", text));
        for (String symbol : SYMBOLS) {
            assertTrue(e.getMessage().contains(symbol), e.getMessage());
        }
    }

    @Test
    void symbolWithoutAddressOnItsLineIsMissing() {
        String text = MapText.replaceOnce(MapText.fwA(),
                "                0x0800d540                        __start_riot_fw = .",
                "                                                  __start_riot_fw = .");
        DpsException e = assertMapError(MapText.write(tmp, "noaddress.map", text));
        assertTrue(e.getMessage().contains(LinkMap.START_RIOT_FW), e.getMessage());
    }

    @Test
    void mapTruncatedInsideTheLastSymbolLine() {
        String text = MapText.fwA();
        int cut = text.indexOf(LinkMap.STOP_RIOT_FW + " = .") + LinkMap.STOP_RIOT_FW.length();
        String truncated = text.substring(0, cut);
        assertTrue(truncated.endsWith("0x0800d62c                        __stop_riot_fw"), truncated.substring(cut - 60));
        DpsException e = assertMapError(MapText.write(tmp, "truncated.map", truncated));
        assertTrue(e.getMessage().contains(LinkMap.STOP_RIOT_FW), e.getMessage());
        assertFalse(e.getMessage().contains(LinkMap.START_RIOT_FW), e.getMessage());
        assertTrue(e.getMessage().endsWith("the file ends in the middle of a line: is it truncated?"), e.getMessage());
    }

    @Test
    void aMissingSymbolInAMapThatEndsWithALineBreakHasNoTruncationHint() {
        String text = MapText.withoutLinesContaining(MapText.fwA(), LinkMap.STOP_RIOT_FW + " = .");
        assertTrue(text.endsWith("\n"));
        DpsException e = assertMapError(MapText.write(tmp, "nostop.map", text));
        assertFalse(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void aCompleteMapWithoutFinalLineBreakIsFine() {
        // the vectors' fw-b-dupsym map ends without a line break and is valid
        LinkMap map = LinkMap.read(Vectors.file("firmware/fw-b-dupsym.ino.map"));
        assertEquals(0x0800d684L, map.stopRiotFw());
    }

    @Test
    void longerSymbolNamesDoNotMatch() {
        // e.g. a user symbol 'my__start_riot_core = .' must not be taken for the real one
        String text = MapText.withoutLinesContaining(MapText.fwA(), "__start_riot_core = .");
        text = text + "                0x0800d2f5                        my__start_riot_core = .\n";
        DpsException e = assertMapError(MapText.write(tmp, "prefixed.map", text));
        assertTrue(e.getMessage().contains(LinkMap.START_RIOT_CORE), e.getMessage());
    }

    @Test
    void overlongLineFailsFast() throws IOException {
        Path file = tmp.resolve("oneline.map");
        byte[] chunk = new byte[1 << 20];
        java.util.Arrays.fill(chunk, (byte) 'x');
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 10; i++) {
                out.write(chunk);
            }
        }
        assertEquals(10L << 20, Files.size(file));
        DpsException e = assertMapError(file);
        assertTrue(e.getMessage().contains("longer than " + LinkMap.MAX_LINE_LENGTH), e.getMessage());

        // and it stops reading soon after the limit instead of consuming the whole input
        long[] consumed = new long[1];
        try (InputStream counting = new FilterInputStream(Files.newInputStream(file)) {
            @Override
            public int read() throws IOException {
                int c = super.read();
                if (c >= 0) {
                    consumed[0]++;
                }
                return c;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0) {
                    consumed[0] += n;
                }
                return n;
            }
        }) {
            DpsException e2 = assertThrows(DpsException.class, () -> LinkMap.parse(counting, "oneline"));
            assertEquals("firmwareMap", e2.field());
        }
        assertTrue(consumed[0] < 4L * LinkMap.MAX_LINE_LENGTH, "read " + consumed[0] + " bytes");
    }

    @Test
    void lineOfExactlyTheMaximumLengthIsAccepted() throws IOException {
        String longLine = "x".repeat(LinkMap.MAX_LINE_LENGTH);
        String text = MapText.fwA().replaceFirst("\n", "\n" + longLine + "\n");
        LinkMap map = LinkMap.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)), "long");
        assertEquals(0x0800c000L, map.flashOrigin());
    }

    @Test
    void directory() {
        DpsException e = assertMapError(tmp);
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
    }

    @Test
    void nonexistentPath() {
        Path missing = tmp.resolve("does-not-exist.map");
        DpsException e = assertMapError(missing);
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void nullPath() {
        DpsException e = assertThrows(DpsException.class, () -> LinkMap.read(null));
        assertEquals("firmwareMap", e.field());
    }

    // found by LinkMapFuzzTest (mutated fw-a map, default seed, try 14): the NUL's byte offset made LF
    // and CRLF copies of one map fail differently; the line number does not
    @Test
    void aNulByteIsReportedByLineTheSameWithCrlf() throws IOException {
        String text = MapText.fwA().replaceFirst("Memory Configuration", "Memory\0Configuration");
        DpsException lf = assertThrows(DpsException.class, () -> LinkMap.parse(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)), "x.map"));
        DpsException crlf = assertThrows(DpsException.class, () -> LinkMap.parse(
                new ByteArrayInputStream(text.replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1)), "x.map"));
        assertEquals(lf.getMessage(), crlf.getMessage());
        int line = (int) text.substring(0, text.indexOf('\0')).chars().filter(c -> c == '\n').count() + 1;
        assertTrue(lf.getMessage().startsWith("firmwareMap: x.map is binary (a NUL byte on line " + line + ")"),
                lf.getMessage());
    }
}
