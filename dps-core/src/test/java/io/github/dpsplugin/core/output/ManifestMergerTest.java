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
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Shards of real runs (BatchGenerator with dps.shard=i/n) merged back into the unsharded run's manifest. */
class ManifestMergerTest {

    static final Path BIN = Vectors.file("firmware/fw-a.ino.bin");
    static final Path MAP = Vectors.file("firmware/fw-a.ino.map");
    static final Path BIN_B = Vectors.file("firmware/fw-b.ino.bin");
    static final Path MAP_B = Vectors.file("firmware/fw-b.ino.map");
    static final byte[] UDS = HexFormat.of().parseHex("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

    @TempDir
    Path tmp;

    /** The manifest of a run of {@code devices} devices, restricted to {@code shard}. */
    private Path run(String dir, int devices, Shard shard, Path bin, Path map, NoncePolicy nonce) {
        BatchRequest.Builder b = BatchRequest.builder().firmware(FirmwareFiles.of(bin, map, null)).threads(2).shard(shard).noncePolicy(nonce)
                .outputDirectory(tmp.resolve(dir));
        for (int i = 0; i < devices; i++) {
            byte[] uds = UDS.clone();
            uds[0] ^= (byte) i; // a UDS of its own per device
            uds[1] ^= (byte) (i >> 8);
            b.device(DeviceSpec.of(RegistrationId.of(String.format("dev-%03d", i)), () -> Uds.fromBytes(uds)));
        }
        BatchGenerator.run(b.build(), BatchListener.NONE);
        return tmp.resolve(dir).resolve(ManifestWriter.FILE_NAME);
    }

    private Path run(String dir, int devices, Shard shard) {
        return run(dir, devices, shard, BIN, MAP, NoncePolicy.DEVKIT);
    }

    private List<Path> shards(String prefix, int devices, int n) {
        List<Path> out = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            out.add(run(prefix + i, devices, Shard.of(i, n)));
        }
        return out;
    }

    @Test
    void theMergedShardsAreTheUnshardedManifestByteForByte() throws IOException {
        for (int devices : new int[] {7, 9}) {           // 7 = 3+2+2 (uneven), 9 = 3+3+3
            Path whole = run("whole-" + devices, devices, Shard.ALL);
            List<Path> shards = shards("s" + devices + "-", devices, 3);
            // any order
            List<Path> shuffled = List.of(shards.get(2), shards.get(0), shards.get(1));
            Path merged = tmp.resolve("merged-" + devices).resolve("dps-manifest.json");
            Files.createDirectories(merged.getParent());
            ManifestMerger.Result r = ManifestMerger.merge(shuffled, merged);
            assertEquals(devices, r.devices());
            assertEquals(3, r.shards());
            assertArrayEquals(Files.readAllBytes(whole), Files.readAllBytes(merged));
            assertTrue(Files.readString(shards.get(0)).contains("\"shard\": \"1/3\""));
            assertFalse(Files.readString(merged).contains("\"shard\""));
        }
    }

    @Test
    void directoriesStandForTheirManifest() throws IOException {
        List<Path> shards = shards("d", 4, 2);
        Path merged = tmp.resolve("m.json");
        ManifestMerger.merge(List.of(shards.get(0).getParent(), shards.get(1).getParent()), merged);
        assertArrayEquals(Files.readAllBytes(run("whole", 4, Shard.ALL)), Files.readAllBytes(merged));
    }

    private DpsException refused(List<Path> inputs) {
        Path merged = tmp.resolve("out").resolve("dps-manifest.json");
        DpsException e = assertThrows(DpsException.class, () -> ManifestMerger.merge(inputs, merged));
        assertEquals("manifests", e.field());
        assertFalse(Files.exists(merged), "nothing is written when the merge is refused");
        return e;
    }

    @Test
    void aMissingShardIsNamed() {
        List<Path> shards = shards("m", 8, 4);
        DpsException e = refused(List.of(shards.get(0), shards.get(2)));
        assertTrue(e.getMessage().contains("shards 2/4, 4/4 are missing; the fleet was split into 4"), e.getMessage());
    }

    @Test
    void aShardGivenTwiceIsRefused() {
        List<Path> shards = shards("t", 4, 2);
        DpsException e = refused(List.of(shards.get(0), shards.get(0), shards.get(1)));
        assertTrue(e.getMessage().contains("are both shard 1/2; give each shard once"), e.getMessage());
    }

    @Test
    void shardsOfDifferentSplitsAreRefused() {
        Path a = run("a", 6, Shard.of(1, 2));
        Path b = run("b", 6, Shard.of(2, 3));
        DpsException e = refused(List.of(a, b));
        assertTrue(e.getMessage().contains("is shard 2/3 but"), e.getMessage());
        assertTrue(e.getMessage().contains("merge the shards of one split"), e.getMessage());
    }

    @Test
    void shardsOfOtherFirmwareOrNoncePolicyAreRefused() {
        Path a = run("a", 4, Shard.of(1, 2));
        Path b = run("b", 4, Shard.of(2, 2), BIN_B, MAP_B, NoncePolicy.DEVKIT);
        DpsException e = refused(List.of(a, b));
        assertTrue(e.getMessage().contains("shard 2/2 (" + b + ") has another \"firmware\" than shard 1/2"),
                e.getMessage());
        Path c = run("c", 4, Shard.of(2, 2), BIN, MAP, NoncePolicy.RFC6979);
        e = refused(List.of(a, c));
        assertTrue(e.getMessage().contains("has another \"noncePolicy\""), e.getMessage());
    }

    @Test
    void shardsOfDifferentFleetsAreRefusedBySize() {
        // 1/2 of a 4-device fleet (2 devices) with 2/2 of an 8-device fleet (4 devices)
        Path a = run("a", 4, Shard.of(1, 2));
        Path b = run("b", 8, Shard.of(2, 2));
        DpsException e = refused(List.of(a, b));
        assertTrue(e.getMessage().contains("shard 1/2 (" + a + ") ends after 2 devices while shard 2/2"), e.getMessage());
        assertTrue(e.getMessage().contains("is a manifest truncated, or from another fleet or run?"), e.getMessage());
    }

    @Test
    void aLaterShardLargerThanAnEarlierOneIsRefused() {
        Path first = run("a", 2, Shard.of(1, 2));    // {dev-000}
        Path second = run("b", 5, Shard.of(2, 2));   // {dev-001, dev-003}
        DpsException e = refused(List.of(first, second));
        assertTrue(e.getMessage().contains("shard 1/2 (" + first + ") ends after 1 device while shard 2/2"),
                e.getMessage());
    }

    @Test
    void overlappingShardsAreRefused() throws IOException {
        Path a = run("a", 4, Shard.of(1, 2));
        Path b = run("b", 4, Shard.of(2, 2));
        // shard 2's devices renamed to shard 1's: same sizes, same firmware, overlapping IDs
        Files.writeString(b, Files.readString(b).replace("dev-001", "dev-000"));
        DpsException e = refused(List.of(a, b));
        assertTrue(e.getMessage().contains(b + ": devices[0]: registration ID 'dev-000' is listed twice among the"
                + " shards; the shards overlap"), e.getMessage());
    }

    @Test
    void aWholeFleetManifestIsNotAShard() {
        Path whole = run("w", 3, Shard.ALL);
        DpsException e = refused(List.of(whole));
        assertTrue(e.getMessage().contains("is not a shard's manifest (no \"shard\" field)"), e.getMessage());
    }

    @Test
    void brokenFilesAreNamed() throws IOException {
        Path a = run("a", 4, Shard.of(1, 2));
        Path b = run("b", 4, Shard.of(2, 2));
        String text = Files.readString(b);
        Files.writeString(b, text.substring(0, text.length() / 2));
        DpsException e = refused(List.of(a, b));
        assertTrue(e.getMessage().startsWith("manifests: " + b + " is not valid JSON (line "), e.getMessage());

        Files.write(b, new byte[] {'{', (byte) 0xff, '}'});
        e = refused(List.of(a, b));
        assertTrue(e.getMessage().contains(b + " is not UTF-8 text"), e.getMessage());

        Files.writeString(b, "[]", StandardCharsets.UTF_8);
        e = refused(List.of(a, b));
        assertTrue(e.getMessage().contains(b + " is not a dps-manifest.json"), e.getMessage());

        Path missing = tmp.resolve("nowhere/dps-manifest.json");
        e = refused(List.of(a, missing));
        assertTrue(e.getMessage().contains(missing + " does not exist"), e.getMessage());

        e = refused(List.of());
        assertTrue(e.getMessage().contains("no manifest to merge"), e.getMessage());
    }

    @Test
    void fieldsAfterTheDevicesAreNotSilentlyDropped() throws IOException {
        Path a = run("a", 2, Shard.of(1, 2));
        Path b = run("b", 2, Shard.of(2, 2));
        String text = Files.readString(b);
        int end = text.lastIndexOf('}');
        Files.writeString(b, text.substring(0, end) + ", \"signature\": \"x\"}\n");
        DpsException e = refused(List.of(a, b));
        assertTrue(e.getMessage().contains("has \"signature\" after its devices list"), e.getMessage());
    }
}
