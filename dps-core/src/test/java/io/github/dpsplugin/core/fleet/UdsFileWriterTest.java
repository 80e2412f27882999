package io.github.dpsplugin.core.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.dice.UdsSource;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.id.FirmwareVersion;
import io.github.dpsplugin.core.id.MacAddress;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.output.Shard;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UdsFileWriterTest {

    private static final Pattern UDS = Pattern.compile("[0-9a-f]{64}");

    @TempDir
    Path tmp;

    private final List<String> warnings = new ArrayList<>();
    private final List<String> debug = new ArrayList<>();
    private final BatchListener listener = new BatchListener() {
        @Override
        public void warning(String message) {
            warnings.add(message);
        }

        @Override
        public void debug(String message) {
            debug.add(message);
        }
    };

    // ---- format --------------------------------------------------------------------------------

    @Test
    void writesHeaderThenOneLineOfLowerCaseHexPerDeviceKeyedByIdOrMacInSelectionOrder() throws IOException {
        Path devices = write("devices.csv", "\uFEFFregistrationId,macAddress,firmwareVersion\r\n# comment\r\n\r\n"
                + "line1-device-001,,\r\n,C8:93:46:4A:1B:2C,\r\n,c893464a1b2d,1.0.9\r\n");
        Path file = tmp.resolve("uds.csv");
        UdsFileResult result = UdsFileWriter.write(UdsFileRequest.builder().udsFile(file)
                .device("#1 of <devices>", "pom-device-1", null, null)
                .device("#2 of <devices>", null, "a0-b1-c2-d3-e4-f5", "10.0.12")
                .devicesFile(devices, "2.0.0")
                .build(), listener);

        assertEquals(file, result.file());
        assertEquals(5, result.deviceCount());
        assertEquals(0, result.skippedCount());
        Map<String, String> lines = lines(file);
        // a device whose ID is derived from its MAC by its MAC, under no version: the line serves every release
        assertEquals(List.of("pom-device-1", "a0b1c2d3e4f5", "line1-device-001", "c893464a1b2c", "c893464a1b2d"),
                new ArrayList<>(lines.keySet()));
        assertTrue(Files.readAllLines(file).contains(",a0b1c2d3e4f5," + lines.get("a0b1c2d3e4f5")));
        lines.values().forEach(u -> assertTrue(UDS.matcher(u).matches(), "not 64 lower-case hex digits"));
        assertEquals(5, new HashSet<>(lines.values()).size());
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        assertTrue(text.startsWith("registrationId,macAddress,uds\n"));
        assertTrue(text.endsWith("\n") && !text.contains("\r"));
        assertTrue(warnings.isEmpty(), warnings::toString);
    }

    @Test
    void theWrittenFileIsReadUnchangedByUdsFileWithTheSameValues() throws IOException {
        Path file = tmp.resolve("uds.csv");
        UdsFileWriter.write(UdsFileRequest.builder().udsFile(file).devicesFile(fleet(300), "2.0.0").build(), listener);

        Map<String, String> lines = lines(file);
        try (UdsFile read = UdsFile.read(file)) {
            assertEquals(300, read.size());
            for (Map.Entry<String, String> e : lines.entrySet()) {
                // a MAC line serves the device's derived ID under any version
                String id = e.getKey().startsWith("fleet-") ? e.getKey() : "az-" + e.getKey() + "v7v10v3";
                UdsSource source = read.lookup(id);
                assertNotNull(source, e.getKey());
                try (Uds u = source.open()) {
                    assertArrayEquals(HexFormat.of().parseHex(e.getValue()), u.copyBytes());
                }
            }
        }
    }

    // ---- randomness ----------------------------------------------------------------------------

    @Test
    void thousandsOfDevicesGetDistinctValuesAcrossTheWriteBuffer() throws IOException {
        Path file = tmp.resolve("uds.csv");
        // ~100 bytes a line: 3000 lines pass the 64 KiB buffer several times
        UdsFileWriter.write(UdsFileRequest.builder().udsFile(file).devicesFile(fleet(3000), "2.0.0").build(), listener);

        Map<String, String> lines = lines(file);
        assertEquals(3000, lines.size());
        assertEquals(3000, new HashSet<>(lines.values()).size());
        // and look random: each hex digit near 1/16 of 192 000 (a stuck or short generator would not)
        int[] counts = new int[16];
        lines.values().forEach(u -> u.chars().forEach(c -> counts[Character.digit(c, 16)]++));
        for (int c : counts) {
            assertTrue(Math.abs(c - 12_000) < 1_000, () -> "digit counts " + java.util.Arrays.toString(counts));
        }
    }

    @Test
    void aValueDrawnTwiceIsDrawnAgain() throws IOException {
        // a generator that repeats its first output once: the second device must not get it
        SecureRandom repeating = new SecureRandom() {
            private static final long serialVersionUID = 1L;
            private int calls;
            private final SecureRandom real = new SecureRandom();

            @Override
            public void nextBytes(byte[] bytes) {
                if (calls++ < 2) {
                    java.util.Arrays.fill(bytes, (byte) 0x5a);
                } else {
                    real.nextBytes(bytes);
                }
            }
        };
        Path file = tmp.resolve("uds.csv");
        UdsFileWriter.write(UdsFileRequest.builder().udsFile(file).device("#1", "dev-1", null, null)
                .device("#2", "dev-2", null, null).build(), listener, repeating);

        Map<String, String> lines = lines(file);
        assertEquals("5a".repeat(32), lines.get("dev-1"));
        assertNotEquals(lines.get("dev-1"), lines.get("dev-2"));
        assertTrue(debug.contains("a drawn UDS repeated an earlier one; drawn again"), debug::toString);
    }

    @Test
    void twoRunsGiveDifferentValues() throws IOException {
        Path a = tmp.resolve("a.csv");
        Path b = tmp.resolve("b.csv");
        UdsFileWriter.write(UdsFileRequest.builder().udsFile(a).device("#1", "dev-1", null, null).build(), listener);
        UdsFileWriter.write(UdsFileRequest.builder().udsFile(b).device("#1", "dev-1", null, null).build(), listener);
        assertNotEquals(lines(a).get("dev-1"), lines(b).get("dev-1"));
    }

    // ---- permissions and the file's creation ---------------------------------------------------

    @Test
    void theFileIsOwnerOnlyAndNothingElseIsLeftInItsDirectory() throws IOException {
        assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView("posix"), "POSIX file system");
        Path dir = Files.createDirectory(tmp.resolve("secrets"));
        Path file = dir.resolve("uds.csv");
        UdsFileWriter.write(UdsFileRequest.builder().udsFile(file).device("#1", "dev-1", null, null).build(), listener);

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(List.of("uds.csv"), list(dir));
    }

    // ---- refusals: the target ------------------------------------------------------------------

    @Test
    void anExistingFileIsRefusedAndLeftUntouched() throws IOException {
        Path file = write("uds.csv", "registrationId,uds\nold-device," + "ab".repeat(32) + "\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000_000_000L));
        byte[] before = Files.readAllBytes(file);

        DpsException e = refused(UdsFileRequest.builder().udsFile(file).device("#1", "dev-1", null, null).build());
        assertTrue(e.getMessage().contains(file + " exists already"), e.getMessage());
        assertTrue(e.getMessage().contains("never overwritten or appended to"), e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(FileTime.fromMillis(1_000_000_000_000L), Files.getLastModifiedTime(file));
        assertEquals(List.of("uds.csv"), list(tmp));
    }

    @Test
    void anEmptyExistingFileAndADanglingLinkAreRefusedToo() throws IOException {
        Path empty = Files.createFile(tmp.resolve("empty.csv"));
        refused(UdsFileRequest.builder().udsFile(empty).device("#1", "dev-1", null, null).build());
        assertEquals(0, Files.size(empty));

        Path link = tmp.resolve("link.csv");
        try {
            Files.createSymbolicLink(link, tmp.resolve("nowhere.csv"));
        } catch (UnsupportedOperationException | IOException e) {
            return; // no symbolic links here
        }
        DpsException e = refused(UdsFileRequest.builder().udsFile(link).device("#1", "dev-1", null, null).build());
        assertTrue(e.getMessage().contains("exists already"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("nowhere.csv")));
    }

    @Test
    void aMissingDirectoryIsRefusedAndNotCreated() {
        Path file = tmp.resolve("no-such-dir/uds.csv");
        DpsException e = refused(UdsFileRequest.builder().udsFile(file).device("#1", "dev-1", null, null).build());
        assertEquals("udsFile: the directory " + tmp.resolve("no-such-dir") + " does not exist; create it first"
                + " (readable by its owner only, e.g. mkdir -m 700), or choose a file in an existing directory",
                e.getMessage());
        assertFalse(Files.exists(tmp.resolve("no-such-dir")));
    }

    @Test
    void aDirectoryIsRefused() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("uds"));
        DpsException e = refused(UdsFileRequest.builder().udsFile(dir).device("#1", "dev-1", null, null).build());
        assertEquals("udsFile: " + dir + " is a directory; expected the path of a new file, such as "
                + dir.resolve("uds.csv"), e.getMessage());
        assertEquals(List.of(), list(dir));
    }

    @Test
    void aFileAsTheDirectoryIsRefused() throws IOException {
        Path notADir = write("plain", "x");
        DpsException e = refused(UdsFileRequest.builder().udsFile(notADir.resolve("uds.csv"))
                .device("#1", "dev-1", null, null).build());
        assertTrue(e.getMessage().contains(notADir + " is not a directory"), e.getMessage());
    }

    @Test
    void noPathIsRefusedByName() {
        DpsException e = assertThrows(DpsException.class, () -> UdsFileRequest.builder().build());
        assertEquals("udsFile", e.field());
    }

    // ---- refusals: the devices, as generate reports them ---------------------------------------

    @Test
    void badDevicesFileLinesAreReportedAsGenerateReportsThemAndNothingIsLeft() throws IOException {
        Path devices = write("devices.csv", "registrationId,macAddress,firmwareVersion\ngood-1,,\n,C8:93:46:4A:1B,\n"
                + "Upper-Case,,\n,c893464a1b2c,\n");
        Path file = tmp.resolve("uds.csv");
        DpsException e = refused(UdsFileRequest.builder().udsFile(file).devicesFile(devices, null).build());

        assertEquals(generateError(devices, null), e.getMessage());
        assertTrue(e.getMessage().contains("devices.csv:3"), e.getMessage());
        assertTrue(e.getMessage().contains("macAddress"), e.getMessage());
        assertTrue(e.getMessage().contains("devices.csv:5"), e.getMessage()); // no firmwareVersion for the MAC
        assertEquals(List.of("devices.csv"), list(tmp));
    }

    @Test
    void aBadListedDeviceIsRefusedWithGeneratesMessage() {
        DpsException ours = assertThrows(DpsException.class,
                () -> UdsFileRequest.builder().device("#2 of <devices>", null, "C8:93:46:4A:1B", "2.0.0"));
        DpsException generates = assertThrows(DpsException.class,
                () -> DeviceSpec.parse("#2 of <devices>", null, "C8:93:46:4A:1B", "2.0.0", DevicesFileTest.ANY));
        assertEquals(generates.getMessage(), ours.getMessage());
        assertEquals("macAddress", ours.field());
    }

    @Test
    void aRepeatedIdIsRefusedNamingBothAndNothingIsLeft() throws IOException {
        Path devices = write("devices.csv", "registrationId,macAddress\ndev-1,\n,c893464a1b2c\ndev-1,\n");
        DpsException e = refused(UdsFileRequest.builder().udsFile(tmp.resolve("uds.csv"))
                .devicesFile(devices, "2.0.0").build());
        assertEquals("device 'dev-1' (devices.csv:4): registrationId: 'dev-1' is listed more than once (also device"
                + " 'dev-1' (devices.csv:2)); each device needs its own registration ID", e.getMessage());
        assertEquals(List.of("devices.csv"), list(tmp));
    }

    @Test
    void aRepeatedMacIsRefusedUnderAnyVersionNamingBoth() throws IOException {
        // one device cannot have two UDS values, whatever version each line gives it
        Path devices = write("devices.csv", "registrationId,macAddress,firmwareVersion\n,c893464a1b2c,\n"
                + "az-c893464a1b2cv1v3v7,,\n");
        DpsException e = refused(UdsFileRequest.builder().udsFile(tmp.resolve("uds.csv"))
                .devicesFile(devices, "2.0.0").build());
        assertEquals("device 'az-c893464a1b2cv1v3v7' (devices.csv:3): macAddress: MAC address c8:93:46:4a:1b:2c is"
                + " listed more than once (also device 'az-c893464a1b2cv2v0v0' (devices.csv:2)); a device keeps one"
                + " UDS for life, so each MAC needs one line", e.getMessage());
        assertEquals(List.of("devices.csv"), list(tmp));
    }

    @Test
    void onlyDevicesWithTheirOwnUdsSourceIsRefused() {
        DpsException e = refused(UdsFileRequest.builder().udsFile(tmp.resolve("uds.csv"))
                .deviceWithOwnUds("#1 of <devices>", "pilot-1", null, null, "environment variable UDS_PILOT").build());
        assertEquals("devices", e.field());
        assertTrue(e.getMessage().contains("every selected device takes its UDS from elsewhere"), e.getMessage());
        assertEquals(1, warnings.size());
    }

    @Test
    void anUnusableDevicesFileAndNoDeviceAreRefused() throws IOException {
        Path file = tmp.resolve("uds.csv");
        DpsException missing = refused(UdsFileRequest.builder().udsFile(file)
                .devicesFile(tmp.resolve("nope.csv"), null).build());
        assertEquals("devicesFile", missing.field());
        DpsException none = refused(UdsFileRequest.builder().udsFile(file).build());
        assertEquals("devices", none.field());
        assertEquals(List.of(), list(tmp));
    }

    // ---- selection -----------------------------------------------------------------------------

    @Test
    void shardsSelectAsGenerateDoesAndTogetherMakeTheWholeFleet() throws IOException {
        Path devices = fleet(10);
        Map<String, String> whole = new LinkedHashMap<>();
        List<String> order = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Path file = tmp.resolve("uds-" + i + ".csv");
            UdsFileWriter.write(UdsFileRequest.builder().udsFile(file).device("#1", "pom-device", null, null)
                    .devicesFile(devices, "2.0.0").shard(Shard.of(i, 3)).build(), listener);
            Map<String, String> part = lines(file);
            assertEquals(selected(devices, Shard.of(i, 3)), new ArrayList<>(part.keySet()));
            part.forEach((id, u) -> assertTrue(whole.put(id, u) == null, id + " in two shards"));
            order.addAll(part.keySet());
        }
        assertEquals(11, whole.size());
        assertEquals(new HashSet<>(selected(devices, Shard.ALL)), whole.keySet());
        assertEquals("pom-device", order.get(0));
    }

    @Test
    void aDeviceWithItsOwnUdsSourceGetsNoLineButKeepsItsPosition() throws IOException {
        Path file = tmp.resolve("uds.csv");
        UdsFileResult r = UdsFileWriter.write(UdsFileRequest.builder().udsFile(file)
                .deviceWithOwnUds("#1 of <devices>", "pilot-1", null, null, "settings.xml server 'uds-pilot-1'")
                .device("#2 of <devices>", "dev-2", null, null)
                .device("#3 of <devices>", "dev-3", null, null)
                .shard(Shard.of(1, 2)).build(), listener);

        // positions 0 and 2 are shard 1/2: the pilot still counts, so dev-3 (not dev-2) is in it
        assertEquals(List.of("dev-3"), new ArrayList<>(lines(file).keySet()));
        assertEquals(1, r.skippedCount());
        assertEquals(1, r.deviceCount());
        assertEquals(List.of("device 'pilot-1' (#1 of <devices>) takes its UDS from settings.xml server"
                + " 'uds-pilot-1', so generate will not read it from the UDS file: no UDS made for it"), warnings);
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** What generate's validation says about the same devices file (it fails before reading firmware). */
    private String generateError(Path devices, String version) {
        BatchRequest request = BatchRequest.builder().firmware(FirmwareFiles.of(tmp.resolve("none.bin"), tmp.resolve("none.map"), null))
                .devicesFile(devices, version, id -> DevicesFileTest.ANY).outputDirectory(tmp.resolve("out")).build();
        return assertThrows(DpsException.class, () -> BatchGenerator.run(request, BatchListener.NONE)).getMessage();
    }

    /** The IDs generate's selection yields, POM device first. */
    private static List<String> selected(Path devices, Shard shard) {
        List<String> ids = new ArrayList<>();
        try (DeviceSelection s = new DeviceSelection(List.of(DeviceSpec.parse("#1", "pom-device", null, null,
                DevicesFileTest.ANY)), devices, "2.0.0", id -> DevicesFileTest.ANY, shard)) {
            // a MAC-derived device is written by its MAC
            s.forEachRemaining(d -> ids.add(d.registrationId().macAddress() != null
                    ? d.registrationId().macAddress().value() : d.registrationId().value()));
        }
        return ids;
    }

    private DpsException refused(UdsFileRequest request) {
        return assertThrows(DpsException.class, () -> UdsFileWriter.write(request, listener));
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(tmp.resolve(name), text, StandardCharsets.UTF_8);
    }

    /** A devices file of n devices, explicit and MAC-derived IDs mixed. */
    private Path fleet(int n) throws IOException {
        StringBuilder sb = new StringBuilder("registrationId,macAddress\n");
        for (int i = 0; i < n; i++) {
            sb.append(i % 5 == 0 ? "fleet-device-" + i + ",\n" : "," + String.format(Locale.ROOT, "c89346%06x", i) + "\n");
        }
        return write("devices.csv", sb.toString());
    }

    /** ID or MAC → UDS hex, in file order, after checking the header and that each line has one of the two. */
    private static Map<String, String> lines(Path file) throws IOException {
        List<String> all = Files.readAllLines(file, StandardCharsets.US_ASCII);
        assertEquals("registrationId,macAddress,uds", all.get(0));
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : all.subList(1, all.size())) {
            String[] f = l.split(",", -1);
            assertEquals(3, f.length);
            assertTrue(f[0].isEmpty() != f[1].isEmpty(), "an ID or a MAC");
            String key = f[0].isEmpty() ? f[1] : f[0];
            assertTrue(m.put(key, f[2]) == null, "repeated " + key);
        }
        return m;
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

}
