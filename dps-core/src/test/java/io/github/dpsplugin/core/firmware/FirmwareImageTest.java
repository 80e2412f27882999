package io.github.dpsplugin.core.firmware;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dpsplugin.core.Vectors;
import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.FirmwareMeasurement;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The core-related rows of the spec's table "How the reference tool fails", and the range extraction. */
class FirmwareImageTest {

    private static final long ORIGIN = 0x0800c000L;
    private static final long START_CORE = 0x0800d2f5L;
    private static final long STOP_CORE = 0x0800d540L;
    private static final long START_FW = 0x0800d540L;
    private static final long STOP_FW = 0x0800d62cL;

    @TempDir
    Path tmp;

    private static long hex(JsonNode fw, String field) {
        return Long.parseUnsignedLong(fw.get(field).asText().substring(2), 16);
    }

    @Test
    void extractsTheRangesOfEveryVectorFirmware() throws IOException {
        Iterator<Map.Entry<String, JsonNode>> it = Vectors.json().get("firmwares").fields();
        int n = 0;
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode fw = e.getValue();
            byte[] bin = Files.readAllBytes(Vectors.file(fw.get("bin").asText()));
            assertEquals(fw.get("binSize").asInt(), bin.length, e.getKey());
            long origin = hex(fw, "flashOrigin");
            byte[] core = Arrays.copyOfRange(bin, (int) (hex(fw, "startRiotCore") - origin),
                    (int) (hex(fw, "stopRiotCore") - origin));
            byte[] riotFw = Arrays.copyOfRange(bin, (int) (hex(fw, "startRiotFw") - origin),
                    (int) (hex(fw, "stopRiotFw") - origin));
            FirmwareImage image = FirmwareImage.read(Vectors.file(fw.get("bin").asText()),
                    Vectors.file(fw.get("map").asText()));
            assertArrayEquals(core, image.riotCore(), e.getKey() + " riot_core");
            assertArrayEquals(riotFw, image.riotFw(), e.getKey() + " riot_fw");
            assertEquals(core.length, image.riotCoreSize());
            assertEquals(riotFw.length, image.riotFwSize());
            assertEquals(image.linkMap().notes(), image.notes());
            n++;
        }
        assertTrue(n >= 8, "firmwares: " + n);
    }

    @Test
    void riotCoreStartsWithTheThreeAlignmentBytes() {
        // vectors README: __start_riot_core is not aligned, the range begins with 3 zero fill bytes
        byte[] core = FirmwareImage.read(MapText.FW_A_BIN, MapText.FW_A_MAP).riotCore();
        assertArrayEquals(new byte[3], Arrays.copyOf(core, 3));
    }

    @Test
    void accessorsReturnCopies() {
        FirmwareImage image = FirmwareImage.read(MapText.FW_A_BIN, MapText.FW_A_MAP);
        byte[] core = image.riotCore();
        Arrays.fill(core, (byte) 0x55);
        assertFalse(Arrays.equals(core, image.riotCore()));
    }

    private Path truncatedBin(int size) throws IOException {
        byte[] bin = Files.readAllBytes(MapText.FW_A_BIN);
        return Files.write(tmp.resolve("short-" + size + ".bin"), Arrays.copyOf(bin, size));
    }

    @Test
    void binShorterThanTheRiotFwRange() throws IOException {
        int size = (int) (STOP_FW - ORIGIN) - 1; // one byte short
        Path bin = truncatedBin(size);
        DpsException e = assertThrows(DpsException.class, () -> FirmwareImage.read(bin, MapText.FW_A_MAP));
        assertEquals("firmwareBin", e.field());
        String m = e.getMessage();
        assertTrue(m.startsWith("firmwareBin:"), m);
        assertTrue(m.contains("riot_fw"), m);
        assertTrue(m.contains(Long.toHexString(START_FW)) && m.contains(Long.toHexString(STOP_FW)), "range: " + m);
        assertTrue(m.contains(String.valueOf(size)), "file size: " + m);
        assertTrue(m.contains(bin.toString()), "file: " + m);
    }

    @Test
    void binShorterThanTheRiotCoreRange() throws IOException {
        int size = (int) (START_CORE - ORIGIN) + 100; // inside riot_core
        Path bin = truncatedBin(size);
        DpsException e = assertThrows(DpsException.class, () -> FirmwareImage.read(bin, MapText.FW_A_MAP));
        assertEquals("firmwareBin", e.field());
        String m = e.getMessage();
        assertTrue(m.contains("riot_core"), m);
        assertTrue(m.contains(Long.toHexString(START_CORE)) && m.contains(Long.toHexString(STOP_CORE)), m);
        assertTrue(m.contains(String.valueOf(size)), m);
    }

    @Test
    void imageOfExactlyTheNeededSizeIsEnoughToExtractTheRanges() throws IOException {
        byte[] bin = Arrays.copyOf(Files.readAllBytes(MapText.FW_A_BIN), (int) (STOP_FW - ORIGIN));
        FirmwareImage image = FirmwareImage.of(bin, "cut.bin", LinkMap.read(MapText.FW_A_MAP));
        assertArrayEquals(FirmwareImage.read(MapText.FW_A_BIN, MapText.FW_A_MAP).riotFw(), image.riotFw());
    }

    // ---- a .bin and a .map of different links ---------------------------------------------------

    /** Every consistent pair of the vectors (all map variants): the map's image is exactly the .bin. */
    @Test
    void everyVectorMapDescribesItsBinExactly() throws IOException {
        Iterator<Map.Entry<String, JsonNode>> it = Vectors.json().get("firmwares").fields();
        int n = 0;
        while (it.hasNext()) {
            JsonNode fw = it.next().getValue();
            LinkMap map = LinkMap.read(Vectors.file(fw.get("map").asText()));
            assertEquals(Files.size(Vectors.file(fw.get("bin").asText())), map.imageLength(), fw.toString());
            assertTrue(map.imageSections().startsWith(".text at 0x800c000 ("), map.imageSections());
            assertTrue(map.imageSections().contains(", .data loaded at 0x"), map.imageSections());
            assertFalse(map.imageSections().contains(".bss"), map.imageSections());
            n++;
        }
        assertTrue(n >= 8, "firmwares: " + n);
    }

    @Test
    void fwABinWithFwBMapIsRefused() {
        Path bin = Vectors.file("firmware/fw-a.ino.bin");
        Path map = Vectors.file("firmware/fw-b.ino.map");
        DpsException e = assertThrows(DpsException.class, () -> FirmwareImage.read(bin, map));
        assertEquals("firmwareBin", e.field());
        String m = e.getMessage();
        assertTrue(m.startsWith("firmwareBin: the .bin (5816 bytes) and the .map (describing a 5920-byte image: FLASH"
                + " origin 0x800c000 to 0x800d720, .text at 0x800c000 (0x1698 bytes), .data loaded at 0x800d698 (0x88"
                + " bytes)) come from different links"), m);
        assertTrue(m.contains("firmwareBin is " + bin + ", firmwareMap is " + map + "."), m);
        assertTrue(m.contains("or the linked ELF instead (firmwareElf"), m);
    }

    @Test
    void fwBBinWithFwAMapIsRefused() {
        Path bin = Vectors.file("firmware/fw-b.ino.bin");
        DpsException e = assertThrows(DpsException.class, () -> FirmwareImage.read(bin, MapText.FW_A_MAP));
        assertTrue(e.getMessage().contains("the .bin (5920 bytes) and the .map (describing a 5816-byte image"),
                e.getMessage());
        assertTrue(e.getMessage().contains("firmwareBin is " + bin + ", firmwareMap is " + MapText.FW_A_MAP),
                e.getMessage());
    }

    @Test
    void binCutAfterTheRangesIsAnotherLink() throws IOException {
        Path bin = truncatedBin((int) (STOP_FW - ORIGIN));
        DpsException e = assertThrows(DpsException.class, () -> FirmwareImage.read(bin, MapText.FW_A_MAP));
        assertTrue(e.getMessage().contains("the .bin (5676 bytes) and the .map (describing a 5816-byte image"), e.getMessage());
    }

    /** .bss, heap and stack take no bytes of the .bin, whatever their size or load address. */
    @Test
    void sectionsWithoutBytesInTheImageDoNotCount() {
        String map = MapText.replaceOnce(MapText.fwA(), ".bss            0x2000024c       0xf0 load address 0x0800d6b8",
                ".bss            0x2000024c     0x4000 load address 0x0800d6b8");
        map = MapText.replaceOnce(map, ".heap           0x2000033c        0x0", ".heap           0x2000033c     0x8000");
        map = MapText.replaceOnce(map, ".stack_dummy\n", ".stack_dummy\n                0x2000c33c      0x400 load address 0x0800e000\n");
        Path edited = MapText.write(tmp, "bss.map", map);
        assertEquals(5816, LinkMap.read(edited).imageLength());
        FirmwareImage.read(MapText.FW_A_BIN, edited);
    }

    /** A section that does load into FLASH (here .data grown by 4 bytes) changes the image the map describes. */
    @Test
    void aLoadedSectionCounts() {
        String map = MapText.replaceOnce(MapText.fwA(), ".data           0x200001c4       0x88 load address 0x0800d630",
                ".data           0x200001c4       0x8c load address 0x0800d630");
        Path edited = MapText.write(tmp, "data.map", map);
        assertEquals(5820, LinkMap.read(edited).imageLength());
        DpsException e = assertThrows(DpsException.class, () -> FirmwareImage.read(MapText.FW_A_BIN, edited));
        assertTrue(e.getMessage().contains("describing a 5820-byte image"), e.getMessage());
    }

    /** A map whose sections cannot be read is not refused for it: a note (logged at debug) says so. */
    @Test
    void aLayoutNotUnderstoodIsNotRefused() {
        String map = MapText.fwA().replaceAll("(?m)^(\\.text|\\.data)( +0x)", "$1\n               $2")
                .replaceAll("(?m)^ +0x0800c000 +0x1630$", "").replaceAll("(?m)^ +0x200001c4 +0x88 load address .*$", "");
        Path edited = MapText.write(tmp, "odd.map", map);
        LinkMap parsed = LinkMap.read(edited);
        assertEquals(-1, parsed.imageLength());
        assertTrue(parsed.notes().stream().anyMatch(n -> n.contains("the length of the .bin is not checked")),
                parsed.notes().toString());
        FirmwareImage image = FirmwareImage.read(MapText.FW_A_BIN, edited);
        assertTrue(image.notes().stream().anyMatch(n -> n.contains("odd.map: no output section loaded into FLASH")),
                image.notes().toString());
    }

    @Test
    void emptyBin() throws IOException {
        Path bin = truncatedBin(0);
        DpsException e = assertThrows(DpsException.class, () -> FirmwareImage.read(bin, MapText.FW_A_MAP));
        assertEquals("firmwareBin", e.field());
        assertTrue(e.getMessage().contains("0 bytes"), e.getMessage());
    }

    private Path mapWithStopCore(long stop) {
        return MapText.write(tmp, "core.map", MapText.withAddress(MapText.fwA(), LinkMap.STOP_RIOT_CORE, stop));
    }

    @Test
    void riotCoreOfSevenBytesIsRefused() {
        Path map = mapWithStopCore(START_CORE + 7);
        DpsException e = assertThrows(DpsException.class, () -> FirmwareImage.read(MapText.FW_A_BIN, map));
        assertEquals("firmwareMap", e.field());
        assertTrue(e.getMessage().contains("7 bytes"), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(FirmwareImage.MIN_RIOT_CORE_SIZE)), e.getMessage());
    }

    @Test
    void emptyRiotCoreIsRefused() {
        Path map = mapWithStopCore(START_CORE);
        DpsException e = assertThrows(DpsException.class, () -> FirmwareImage.read(MapText.FW_A_BIN, map));
        assertEquals("firmwareMap", e.field());
        assertTrue(e.getMessage().contains("0 bytes"), e.getMessage());
    }

    @Test
    void riotCoreOfEightBytesIsAccepted() throws IOException {
        Path map = mapWithStopCore(START_CORE + 8);
        FirmwareImage image = FirmwareImage.read(MapText.FW_A_BIN, map);
        byte[] bin = Files.readAllBytes(MapText.FW_A_BIN);
        int from = (int) (START_CORE - ORIGIN);
        assertArrayEquals(Arrays.copyOfRange(bin, from, from + 8), image.riotCore());
    }

    @Test
    void ofRangesAppliesTheSameMinimum() {
        assertEquals(8, FirmwareImage.ofRanges(new byte[8], new byte[0]).riotCoreSize());
        DpsException e = assertThrows(DpsException.class, () -> FirmwareImage.ofRanges(new byte[7], new byte[0]));
        assertTrue(e.getMessage().contains("7 bytes"), e.getMessage());
        assertNull(FirmwareImage.ofRanges(new byte[8], new byte[0]).linkMap());
    }

    @Test
    void stopBelowStartOfRiotCore() {
        Path map = mapWithStopCore(START_CORE - 1);
        DpsException e = assertThrows(DpsException.class, () -> FirmwareImage.read(MapText.FW_A_BIN, map));
        assertEquals("firmwareMap", e.field());
        assertTrue(e.getMessage().contains(LinkMap.STOP_RIOT_CORE), e.getMessage());
        assertTrue(e.getMessage().contains(LinkMap.START_RIOT_CORE), e.getMessage());
    }

    @Test
    void stopBelowStartOfRiotFw() {
        Path map = MapText.write(tmp, "fw.map", MapText.withAddress(MapText.fwA(), LinkMap.STOP_RIOT_FW, START_FW - 0x10));
        DpsException e = assertThrows(DpsException.class, () -> FirmwareImage.read(MapText.FW_A_BIN, map));
        assertEquals("firmwareMap", e.field());
        assertTrue(e.getMessage().contains(LinkMap.STOP_RIOT_FW), e.getMessage());
        assertTrue(e.getMessage().contains(LinkMap.START_RIOT_FW), e.getMessage());
    }

    @Test
    void emptyRiotFwRangeIsValid() {
        Path map = MapText.write(tmp, "emptyfw.map", MapText.withAddress(MapText.fwA(), LinkMap.STOP_RIOT_FW, START_FW));
        FirmwareImage image = FirmwareImage.read(MapText.FW_A_BIN, map);
        assertEquals(0, image.riotFwSize());
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                FirmwareMeasurement.of(image).fwidHex());
    }

    @Test
    void emptyRiotFwVectorMap() {
        FirmwareImage image = FirmwareImage.read(Vectors.file("firmware/fw-c.ino.bin"),
                Vectors.file("firmware/fw-c-emptyfw.ino.map"));
        assertEquals(0, image.riotFwSize());
        assertTrue(FirmwareMeasurement.of(image).fwidHex().startsWith("e3b0c442"));
    }

    @Test
    void startBelowFlashOrigin() {
        Path map = MapText.write(tmp, "low.map", MapText.withAddress(MapText.fwA(), LinkMap.START_RIOT_CORE, ORIGIN - 4));
        DpsException e = assertThrows(DpsException.class, () -> FirmwareImage.read(MapText.FW_A_BIN, map));
        assertEquals("firmwareMap", e.field());
        assertTrue(e.getMessage().contains(LinkMap.START_RIOT_CORE), e.getMessage());
        assertTrue(e.getMessage().contains("FLASH origin"), e.getMessage());
    }

    @Test
    void binIsADirectory() {
        DpsException e = assertThrows(DpsException.class, () -> FirmwareImage.read(tmp, MapText.FW_A_MAP));
        assertEquals("firmwareBin", e.field());
        assertTrue(e.getMessage().contains(tmp.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
    }

    @Test
    void binMissing() {
        Path missing = tmp.resolve("missing.bin");
        DpsException e = assertThrows(DpsException.class, () -> FirmwareImage.read(missing, MapText.FW_A_MAP));
        assertEquals("firmwareBin", e.field());
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void binNull() {
        DpsException e = assertThrows(DpsException.class, () -> FirmwareImage.read(null, MapText.FW_A_MAP));
        assertEquals("firmwareBin", e.field());
    }

    @Test
    void mapErrorsComeFromTheMap() {
        DpsException e = assertThrows(DpsException.class,
                () -> FirmwareImage.read(MapText.FW_A_BIN, tmp.resolve("missing.map")));
        assertEquals("firmwareMap", e.field());
    }
}
