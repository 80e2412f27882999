package io.github.dpsplugin.core.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.Vectors;
import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.fleet.BatchGenerator;
import io.github.dpsplugin.core.fleet.BatchListener;
import io.github.dpsplugin.core.fleet.BatchRequest;
import io.github.dpsplugin.core.fleet.DeviceSpec;
import io.github.dpsplugin.core.id.FirmwareVersion;
import io.github.dpsplugin.core.id.MacAddress;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.rollout.PreviousFirmware;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shards merged with {@link ManifestMerger#mergeOutputs} are the directory one unsharded run
 * writes, byte for byte, whatever the run wrote besides the certificates; and a merge never
 * removes a file the previous manifest in the directory lists unless the merged one does not.
 */
class MergedOutputsTest {

    static final Path BIN_A = Vectors.file("firmware/fw-a.ino.bin");
    static final Path MAP_A = Vectors.file("firmware/fw-a.ino.map");
    static final Path BIN_B = Vectors.file("firmware/fw-b.ino.bin");
    static final Path MAP_B = Vectors.file("firmware/fw-b.ino.map");

    @TempDir
    Path tmp;

    /** A device's UDS: distinct per device. */
    private static Uds uds(int i) {
        byte[] b = new byte[32];
        b[0] = (byte) (i + 1);
        b[31] = (byte) 0x5a;
        return Uds.fromBytes(b);
    }

    /** {@code explicit} devices with explicit IDs, then {@code derived} MAC-derived ones reporting 2.0.0. */
    private static BatchRequest.Builder fleet(int explicit, int derived) {
        BatchRequest.Builder b = BatchRequest.builder().threads(2).defaultFirmwareVersion("2.0.0");
        for (int i = 0; i < explicit; i++) {
            int n = i;
            b.device(DeviceSpec.of(RegistrationId.of(String.format("dev-%03d", i)), () -> uds(n)));
        }
        for (int i = 0; i < derived; i++) {
            int n = explicit + i;
            RegistrationId id = RegistrationId.derive(MacAddress.parse(String.format("02:00:00:00:00:%02x", i)),
                    FirmwareVersion.parse("2.0.0"));
            b.device(DeviceSpec.of(id, () -> uds(n)));
        }
        return b;
    }

    /** Runs the request whole into {@code whole} and as {@code n} shards; returns the shards' directories. */
    private List<Path> wholeAndShards(Consumer<BatchRequest.Builder> config, Path whole, int n) {
        BatchRequest.Builder b = fleet(9, 4).outputDirectory(whole);
        config.accept(b);
        BatchGenerator.run(b.build(), BatchListener.NONE);
        List<Path> shards = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            Path dir = tmp.resolve(whole.getFileName() + "-shard-" + i);
            BatchRequest.Builder s = fleet(9, 4).outputDirectory(dir).shard(Shard.of(i, n));
            config.accept(s);
            BatchGenerator.run(s.build(), BatchListener.NONE);
            shards.add(dir);
        }
        return shards;
    }

    /** Every file under {@code dir} by relative path, with its bytes' SHA-256. */
    static Map<String, String> tree(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) {
                    files.put(dir.relativize(p).toString().replace('\\', '/'),
                            sha256(Files.readAllBytes(p)));
                }
            }
        }
        return files;
    }

    private static String sha256(byte[] b) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    private void assertMergeIsTheWholeRun(String name, Consumer<BatchRequest.Builder> config) throws IOException {
        Path whole = tmp.resolve(name);
        List<Path> shards = wholeAndShards(config, whole, 3);
        Path merged = tmp.resolve(name + "-merged");
        ManifestMerger.Result r = ManifestMerger.mergeOutputs(List.of(shards.get(1), shards.get(2),
                shards.get(0).resolve(ManifestWriter.FILE_NAME)), merged);
        assertEquals(13, r.devices());
        Map<String, String> expected = tree(whole);
        Map<String, String> actual = tree(merged);
        assertEquals(expected.keySet(), actual.keySet(), name);
        for (String f : expected.keySet()) {
            assertEquals(expected.get(f), actual.get(f), name + ": " + f);
        }
        for (String f : List.of(EnrollmentWriter.SCRIPT, RolloutWriter.SCRIPT)) {
            if (Files.exists(whole.resolve(f))) {
                assertEquals(Files.isExecutable(whole.resolve(f)), Files.isExecutable(merged.resolve(f)), f);
            }
        }
    }

    @Test
    void certificatesOnlyAreTheWholeRunsDirectory() throws IOException {
        assertMergeIsTheWholeRun("plain", b -> b.firmware(FirmwareFiles.of(BIN_A, MAP_A, null)));
    }

    @Test
    void archiveAndEnrollmentFilesAreTheWholeRuns() throws IOException {
        // a name with a quote: the scripts' shell quoting must be reproduced, not copied from one shard
        assertMergeIsTheWholeRun("enroll", b -> b.firmware(FirmwareFiles.of(BIN_A, MAP_A, null)).archive(true)
                .enrollment(true, "dps-line-1", null));
    }

    @Test
    void anArchiveOnlyRunIsMergedFromTheShardsArchives() throws IOException {
        assertMergeIsTheWholeRun("zip", b -> b.firmware(FirmwareFiles.of(BIN_A, MAP_A, null)).archive(true).certificateFiles(false));
    }

    @Test
    void aRolloutsPreviousCertificatesScriptAndBodiesAreTheWholeRuns() throws IOException {
        // explicit IDs keep their ID and change certificate; MAC-derived ones change ID (1.0.0 -> 2.0.0)
        assertMergeIsTheWholeRun("rollout", b -> b.firmware(FirmwareFiles.of(BIN_B, MAP_B, null)).archive(true)
                .previousFirmware(PreviousFirmware.of(BIN_A, MAP_A, null, "1.0.0")));
        // the same firmware and version: every device unchanged
        assertMergeIsTheWholeRun("unchanged", b -> b.firmware(FirmwareFiles.of(BIN_A, MAP_A, null)).enrollment(true, null, "rg")
                .previousFirmware(PreviousFirmware.of(BIN_A, MAP_A, null, null)));
    }

    @Test
    void mergingIntoADirectoryHoldingTheFleetsCertificatesKeepsEveryOne() throws IOException {
        Path fleet = tmp.resolve("fleet");
        List<Path> shards = wholeAndShards(b -> b.firmware(FirmwareFiles.of(BIN_A, MAP_A, null)).archive(true), fleet, 2);
        Map<String, String> before = tree(fleet);
        assertTrue(before.size() > 20, before.keySet().toString());

        ManifestMerger.mergeOutputs(shards, fleet);
        assertEquals(before, tree(fleet));

        // the manifest alone: the same manifest, and the certificates it lists stay
        ManifestMerger.merge(shards, fleet.resolve(ManifestWriter.FILE_NAME));
        assertEquals(before, tree(fleet));
    }

    @Test
    void onlyWhatThePreviousManifestListsAndTheMergedOneDoesNotIsRemoved() throws IOException {
        // the previous release: 9+4 devices of firmware a; this one: the shards of 5 devices of firmware b
        Path dir = tmp.resolve("release");
        BatchGenerator.run(fleet(9, 4).firmware(FirmwareFiles.of(BIN_A, MAP_A, null)).outputDirectory(dir).build(), BatchListener.NONE);
        Files.writeString(dir.resolve("notes.pem"), "mine");
        List<Path> shards = new ArrayList<>();
        for (int i = 1; i <= 2; i++) {
            Path s = tmp.resolve("b-" + i);
            BatchGenerator.run(fleet(5, 0).firmware(FirmwareFiles.of(BIN_B, MAP_B, null)).shard(Shard.of(i, 2)).outputDirectory(s).build(),
                    BatchListener.NONE);
            shards.add(s);
        }
        Path whole = tmp.resolve("b-whole");
        BatchGenerator.run(fleet(5, 0).firmware(FirmwareFiles.of(BIN_B, MAP_B, null)).outputDirectory(whole).build(), BatchListener.NONE);

        ManifestMerger.mergeOutputs(shards, dir);
        Map<String, String> expected = new TreeMap<>(tree(whole));
        expected.put("notes.pem", sha256("mine".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        assertEquals(expected, tree(dir));
    }

    private DpsException refused(List<Path> shards, Path target) {
        DpsException e = assertThrows(DpsException.class, () -> ManifestMerger.mergeOutputs(shards, target));
        assertEquals("manifests", e.field());
        assertFalse(Files.exists(target.resolve(ManifestWriter.FILE_NAME)), "nothing is written");
        return e;
    }

    @Test
    void idsAndFileNamesGenerateWouldNotWriteAreRefusedNamingTheShardAndEntry() throws IOException {
        for (String[] edit : new String[][] {
                {"\"registrationId\": \"dev-001\"", "\"registrationId\": \"a\\\"b\\u2028$(x)\"", "registrationId"},
                {"\"registrationId\": \"dev-001\"", "\"registrationId\": \"UPPER\"", "upper-case"},
                {"\"aliasCertificate\": \"dev-001.pem\"", "\"aliasCertificate\": \"../../etc/passwd\"",
                    "aliasCertificate is '../../etc/passwd' where generate writes 'dev-001.pem'"},
                {"\"deviceIdCertificate\": \"dev-001-deviceid.pem\"", "\"deviceIdCertificate\": \"/etc/passwd\"",
                    "deviceIdCertificate is '/etc/passwd'"}}) {
            Path base = tmp.resolve("edit-" + Math.abs(edit[1].hashCode()));
            List<Path> shards = wholeAndShards(b -> b.firmware(FirmwareFiles.of(BIN_A, MAP_A, null)), base, 2);
            Path m = shards.get(1).resolve(ManifestWriter.FILE_NAME);
            String text = Files.readString(m);
            assertTrue(text.contains(edit[0]), edit[0]);
            Files.writeString(m, text.replace(edit[0], edit[1]));
            DpsException e = refused(shards, tmp.resolve("out-" + Math.abs(edit[1].hashCode())));
            assertTrue(e.getMessage().contains(m + ": devices[0]"), e.getMessage());
            assertTrue(e.getMessage().contains(edit[2]), e.getMessage());
            assertFalse(e.getMessage().contains("\u2028"), "control characters are escaped");
            // the manifest-only merge refuses them as well
            assertThrows(DpsException.class, () -> ManifestMerger.merge(shards, tmp.resolve("m.json")));
        }
    }

    @Test
    void aShardWithoutItsCertificatesIsRefusedNamingTheFile() throws IOException {
        List<Path> shards = wholeAndShards(b -> b.firmware(FirmwareFiles.of(BIN_A, MAP_A, null)), tmp.resolve("w"), 2);
        Files.delete(shards.get(1).resolve("dev-003.pem"));
        DpsException e = refused(shards, tmp.resolve("out"));
        assertTrue(e.getMessage().contains(shards.get(1).resolve("dev-003.pem") + " is missing"), e.getMessage());
        // the manifest alone can still be merged
        ManifestMerger.merge(shards, tmp.resolve("m/dps-manifest.json"));
        assertArrayEquals(Files.readAllBytes(tmp.resolve("w/dps-manifest.json")),
                Files.readAllBytes(tmp.resolve("m/dps-manifest.json")));
    }

    @Test
    void certificatesGatheredInTheMergedDirectoryServeForShardsGivenAsManifestsAlone() throws IOException {
        Path fleet = tmp.resolve("fleet");
        List<Path> shards = wholeAndShards(b -> b.firmware(FirmwareFiles.of(BIN_A, MAP_A, null)), fleet, 2);
        Map<String, String> before = tree(fleet);
        // only the shards' manifests were kept (CI artifacts), the certificates gathered in the fleet's directory
        List<Path> manifestsAlone = new ArrayList<>();
        for (Path s : shards) {
            Path m = Files.createDirectories(tmp.resolve("alone-" + s.getFileName())).resolve(ManifestWriter.FILE_NAME);
            Files.copy(s.resolve(ManifestWriter.FILE_NAME), m);
            manifestsAlone.add(m);
        }
        ManifestMerger.mergeOutputs(manifestsAlone, fleet);
        assertEquals(before, tree(fleet));
    }

    @Test
    void aShardCertificateThatIsNotTheListedOneIsRefused() throws IOException {
        List<Path> shards = wholeAndShards(b -> b.firmware(FirmwareFiles.of(BIN_A, MAP_A, null)), tmp.resolve("w"), 2);
        // another valid certificate of the same shard under dev-002's name
        Files.copy(shards.get(0).resolve("dev-000.pem"), shards.get(0).resolve("dev-002.pem"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        DpsException e = refused(shards, tmp.resolve("out"));
        assertTrue(e.getMessage().contains(shards.get(0).resolve("dev-002.pem") + " is not the certificate the"
                + " manifest lists (its SHA-256 thumbprint differs"), e.getMessage());
    }

    @Test
    void mergingIntoAShardsOwnDirectoryIsRefused() {
        List<Path> shards = wholeAndShards(b -> b.firmware(FirmwareFiles.of(BIN_A, MAP_A, null)), tmp.resolve("w"), 2);
        DpsException e = assertThrows(DpsException.class, () -> ManifestMerger.mergeOutputs(shards, shards.get(0)));
        assertTrue(e.getMessage().contains("would replace the shard"), e.getMessage());
    }
}
