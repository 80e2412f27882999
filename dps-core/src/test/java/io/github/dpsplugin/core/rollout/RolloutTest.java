package io.github.dpsplugin.core.rollout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dpsplugin.core.DeviceCertificateGenerator;
import io.github.dpsplugin.core.DeviceCertificates;
import io.github.dpsplugin.core.Vectors;
import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.common.Hashes;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.dice.UdsSource;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.fleet.BatchGenerator;
import io.github.dpsplugin.core.fleet.BatchListener;
import io.github.dpsplugin.core.fleet.BatchRequest;
import io.github.dpsplugin.core.fleet.BatchResult;
import io.github.dpsplugin.core.fleet.DeviceSpec;
import io.github.dpsplugin.core.fleet.UdsFile;
import io.github.dpsplugin.core.id.FirmwareVersion;
import io.github.dpsplugin.core.id.MacAddress;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.output.DpsBulkSchema;
import io.github.dpsplugin.core.output.RolloutWriter;
import io.github.dpsplugin.core.output.Shard;
import io.github.dpsplugin.core.pem.Pem;
import io.github.dpsplugin.core.pem.PemLayout;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rollouts: certificates under both firmwares against the reference vectors, the bulk
 * bodies against DPS's REST definitions ({@link DpsBulkSchema}) and against separate plain runs of
 * each firmware, the script run with a stand-in {@code az}, determinism over thread counts, the
 * UDS fallback to the previous ID, conflicts and all-or-nothing failures.
 */
class RolloutTest {

    static final Path FW_A_BIN = Vectors.file("firmware/fw-a.ino.bin");
    static final Path FW_A_MAP = Vectors.file("firmware/fw-a.ino.map");
    static final Path FW_B_BIN = Vectors.file("firmware/fw-b.ino.bin");
    static final Path FW_B_MAP = Vectors.file("firmware/fw-b.ino.map");
    static final Path FW_C_BIN = Vectors.file("firmware/fw-c.ino.bin");
    static final Path FW_C_MAP = Vectors.file("firmware/fw-c.ino.map");
    static final String UDS_P01 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    static final String UDS_P08 = "47671826535671daee64898c37347907516c398cf230d6365822be2c35c3479b";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    static byte[] vectorDer(String file) throws IOException {
        return Pem.decode(Pem.CERTIFICATE, Files.readString(Vectors.file(file), StandardCharsets.US_ASCII));
    }

    static byte[] der(Path pem) throws IOException {
        return Pem.decode(Pem.CERTIFICATE, Files.readString(pem, StandardCharsets.US_ASCII));
    }

    static byte[] der(String pem) {
        return Pem.decode(Pem.CERTIFICATE, pem);
    }

    @Test
    void bothFirmwaresGiveTheVectorsCertificates() throws IOException {
        DeviceCertificateGenerator fwB = DeviceCertificateGenerator.forFirmware(FW_B_BIN, FW_B_MAP, NoncePolicy.DEVKIT);
        DeviceCertificateGenerator fwA = DeviceCertificateGenerator.forFirmware(FW_A_BIN, FW_A_MAP, NoncePolicy.DEVKIT);
        DeviceCertificateGenerator fwC = DeviceCertificateGenerator.forFirmware(FW_C_BIN, FW_C_MAP, NoncePolicy.DEVKIT);
        RegistrationId id = RegistrationId.of("devkit-test-01");
        try (Uds uds = Uds.fromHex(UDS_P01)) {
            // same riot_core (fw-a -> fw-b): the DeviceID key is shared, only the alias certificate changes
            DeviceCertificates[] both = fwB.generateWithPrevious(id, uds, fwA, id);
            assertArrayEquals(vectorDer("P06/devkit-test-01.pem"), both[0].aliasCertificateDer());
            assertArrayEquals(vectorDer("P01/devkit-test-01.pem"), both[1].aliasCertificateDer());
            assertArrayEquals(vectorDer("P01/deviceid-cert.pem"), both[1].deviceIdCertificateDer());
            assertArrayEquals(both[0].deviceIdCertificateDer(), both[1].deviceIdCertificateDer());
            // riot_core differs (fw-c -> fw-b): two DeviceID keys
            DeviceCertificates[] fromC = fwB.generateWithPrevious(id, uds, fwC, id);
            assertArrayEquals(vectorDer("P06/devkit-test-01.pem"), fromC[0].aliasCertificateDer());
            assertArrayEquals(vectorDer("P07/devkit-test-01.pem"), fromC[1].aliasCertificateDer());
            assertArrayEquals(vectorDer("P07/deviceid-cert.pem"), fromC[1].deviceIdCertificateDer());
        }
        MacAddress mac = MacAddress.parse("a0b1c2d3e4f5");
        RegistrationId now = RegistrationId.derive(mac, FirmwareVersion.parse("2.0.0"));
        PreviousFirmware previous = PreviousFirmware.of(FW_A_BIN, FW_A_MAP, null, "1.3.7");
        RegistrationId before = previous.previousId(now);
        assertEquals("az-a0b1c2d3e4f5v1v3v7", before.value());
        try (Uds uds = Uds.fromHex(UDS_P08)) {
            DeviceCertificates[] both = fwB.generateWithPrevious(now, uds, fwA, before);
            assertArrayEquals(vectorDer("P08/az-a0b1c2d3e4f5v1v3v7.pem"), both[1].aliasCertificateDer());
            // the current one as a plain run computes it (RiotKeys.derive, not the shared path)
            assertArrayEquals(fwB.generate(now, uds).aliasCertificateDer(), both[0].aliasCertificateDer());
        }
    }

    @Test
    void previousIdsAndParameterErrors() {
        PreviousFirmware same = PreviousFirmware.of(FW_A_BIN, FW_A_MAP, null, null);
        RegistrationId derived = RegistrationId.derive(MacAddress.parse("a0b1c2d3e4f5"), FirmwareVersion.parse("2.0.0"));
        assertEquals(derived, same.previousId(derived), "no previous version: the device kept its version");
        PreviousFirmware v137 = PreviousFirmware.of(FW_A_BIN, FW_A_MAP, null, "1.3.7");
        assertEquals(RegistrationId.of("devkit-test-01"), v137.previousId(RegistrationId.of("devkit-test-01")),
                "explicit IDs do not change");
        DpsException e = assertThrows(DpsException.class, () -> PreviousFirmware.of(FW_A_BIN, null, null, null));
        assertEquals("previousFirmwareMap", e.field());
        e = assertThrows(DpsException.class, () -> PreviousFirmware.of(null, null, null, null));
        assertEquals("previousFirmwareBin", e.field());
        e = assertThrows(DpsException.class, () -> PreviousFirmware.of(FW_A_BIN, FW_A_MAP, null, "two"));
        assertEquals("previousFirmwareVersion", e.field());
        e = assertThrows(DpsException.class, () -> PreviousFirmware.of(FW_A_BIN, tmp.resolve("missing.map"), null,
                null).read());
        assertEquals("previousFirmwareMap", e.field());
        assertTrue(e.getMessage().startsWith("previousFirmwareMap: ") && e.getMessage().contains("missing.map"),
                e.getMessage());
        // a previous .bin and .map of different links: the message names the previous parameters throughout
        Path fwBMap = FW_A_MAP.resolveSibling("fw-b.ino.map");
        e = assertThrows(DpsException.class, () -> PreviousFirmware.of(FW_A_BIN, fwBMap, null, null).read());
        assertEquals("previousFirmwareBin", e.field());
        assertTrue(e.getMessage().contains("previousFirmwareBin is ") && e.getMessage().contains("previousFirmwareMap is ")
                && e.getMessage().contains("previousFirmwareElf") && !e.getMessage().matches("(?s).*\\bfirmware(Bin|Map|Elf)\\b.*"),
                e.getMessage());
        // a previous version whose derived ID overflows the device's 31-character buffer
        PreviousFirmware longVersion = PreviousFirmware.of(FW_A_BIN, FW_A_MAP, null, "10000.20000.30000");
        e = assertThrows(DpsException.class, () -> longVersion.previousId(derived));
        assertEquals("previousFirmwareVersion", e.field());
    }

    /** A fleet: devkit-test-01 (P01's UDS, from a settings-like source) first, then MAC devices from a devices file. */
    static BatchRequest.Builder fleet(Path dir, int macDevices, boolean previousUnderOldId) throws IOException {
        Files.createDirectories(dir);
        StringBuilder devices = new StringBuilder("macAddress\n");
        StringBuilder uds = new StringBuilder("registrationId,uds\n");
        SplittableRandom random = new SplittableRandom(42);
        for (int i = 0; i < macDevices; i++) {
            String mac = i == 0 ? "a0b1c2d3e4f5" : String.format(Locale.ROOT, "c89346%06x", i);
            devices.append(mac).append('\n');
            byte[] b = new byte[32];
            random.nextBytes(b);
            String secret = i == 0 ? UDS_P08 : HexFormat.of().formatHex(b);
            // half the UDS file lists devices under their previous ID, as a file made for the last release would
            boolean old = previousUnderOldId && i % 2 == 0;
            uds.append("az-").append(mac).append(old ? "v1v3v7," : "v2v0v0,").append(secret).append('\n');
        }
        Files.writeString(dir.resolve("devices.csv"), devices);
        Files.writeString(dir.resolve("uds.csv"), uds);
        return BatchRequest.builder()
                .firmware(FirmwareFiles.of(FW_B_BIN, FW_B_MAP, null))
                .device(DeviceSpec.of(RegistrationId.of("devkit-test-01"), source(UDS_P01)))
                .enrollment(false, "my-dps", "my-rg");
    }

    static UdsSource source(String hex) {
        return () -> Uds.fromHex(hex);
    }

    static BatchResult rollout(Path dir, int threads, int macDevices, Path out) throws IOException {
        BatchRequest.Builder b = fleet(dir, macDevices, true);
        try (UdsFile secrets = UdsFile.read(dir.resolve("uds.csv"))) {
            return BatchGenerator.run(b.devicesFile(dir.resolve("devices.csv"), "2.0.0", secrets::lookup)
                    .previousFirmware(PreviousFirmware.of(FW_A_BIN, FW_A_MAP, null, "1.3.7"))
                    .threads(threads).archive(true).outputDirectory(out).build(), BatchListener.NONE);
        }
    }

    @Test
    void aRolloutWritesValidBodiesThatCarryBothReleasesCertificates() throws Exception {
        Path in = tmp.resolve("in");
        Path out = tmp.resolve("out");
        BatchResult result = rollout(in, 1, 23, out);
        RolloutSummary summary = result.rollout();
        assertNotNull(summary);
        assertEquals(1, summary.certificateChanges());
        assertEquals(23, summary.registrationIdChanges());
        assertEquals(0, summary.unchanged());
        assertEquals("rollout 1.3.7 -> 2.0.0: 1 device changes certificate (FWID 0148... -> e441...), 23 change"
                + " registration ID, 0 unchanged; apply dps-rollout-start-*.json before the update,"
                + " dps-rollout-finish-*.json after (or run dps-rollout.sh start, then finish)", summary.describe());

        // separate plain runs of each firmware: what the devices present now, and after the update
        Path plainNew = tmp.resolve("plain-new");
        Path plainOld = tmp.resolve("plain-old");
        try (UdsFile secrets = UdsFile.read(in.resolve("uds.csv"))) {
            // the plain runs look the UDS up under each release's own ID: the file's lines serve both
            try (UdsFile all = UdsFile.read(in.resolve("uds.csv"))) {
                BatchGenerator.run(BatchRequest.builder().firmware(FirmwareFiles.of(FW_B_BIN, FW_B_MAP, null))
                        .device(DeviceSpec.of(RegistrationId.of("devkit-test-01"), source(UDS_P01)))
                        .devicesFile(in.resolve("devices.csv"), "2.0.0", all::lookup).outputDirectory(plainNew).build(),
                        BatchListener.NONE);
                BatchGenerator.run(BatchRequest.builder().firmware(FirmwareFiles.of(FW_A_BIN, FW_A_MAP, null))
                        .device(DeviceSpec.of(RegistrationId.of("devkit-test-01"), source(UDS_P01)))
                        .devicesFile(in.resolve("devices.csv"), "1.3.7", all::lookup).outputDirectory(plainOld).build(),
                        BatchListener.NONE);
            }
        }
        JsonNode oldManifest = JSON.readTree(plainOld.resolve("dps-manifest.json").toFile());
        JsonNode newManifest = JSON.readTree(plainNew.resolve("dps-manifest.json").toFile());

        List<Path> starts = files(out, "dps-rollout-start-");
        List<Path> finishes = files(out, "dps-rollout-finish-");
        // 23 creates (10 + 10 + 3) and 1 update at start; 23 deletes and 1 update at finish
        assertEquals(List.of("dps-rollout-start-0001.json", "dps-rollout-start-0002.json",
                "dps-rollout-start-0003.json", "dps-rollout-start-0004.json"), names(starts));
        assertEquals(4, finishes.size());
        Map<String, Integer> modes = new TreeMap<>();
        Map<String, JsonNode> startById = new LinkedHashMap<>();
        Map<String, String> startMode = new LinkedHashMap<>();
        Map<String, JsonNode> finishById = new LinkedHashMap<>();
        Map<String, String> finishMode = new LinkedHashMap<>();
        for (Path p : starts) {
            JsonNode body = JSON.readTree(p.toFile());
            assertEquals(List.of(), DpsBulkSchema.violations(body), p.toString());
            for (JsonNode e : body.get("enrollments")) {
                startById.put(e.get("registrationId").asText(), e);
                startMode.put(e.get("registrationId").asText(), body.get("mode").asText());
            }
            modes.merge("start " + body.get("mode").asText(), body.get("enrollments").size(), Integer::sum);
        }
        for (Path p : finishes) {
            JsonNode body = JSON.readTree(p.toFile());
            assertEquals(List.of(), DpsBulkSchema.violations(body), p.toString());
            for (JsonNode e : body.get("enrollments")) {
                finishById.put(e.get("registrationId").asText(), e);
                finishMode.put(e.get("registrationId").asText(), body.get("mode").asText());
            }
            modes.merge("finish " + body.get("mode").asText(), body.get("enrollments").size(), Integer::sum);
        }
        assertEquals(Map.of("start create", 23, "start update", 1, "finish delete", 23, "finish update", 1), modes);

        // devkit-test-01 keeps its ID: update to (P06, P01) at start, to P06 alone at finish
        JsonNode d = startById.get("devkit-test-01");
        assertEquals("update", startMode.get("devkit-test-01"));
        assertArrayEquals(vectorDer("P06/devkit-test-01.pem"), der(primary(d)));
        assertArrayEquals(vectorDer("P01/devkit-test-01.pem"), der(secondary(d)));
        assertArrayEquals(vectorDer("P01/devkit-test-01.pem"), der(out.resolve("previous/devkit-test-01.pem")));
        JsonNode f = finishById.get("devkit-test-01");
        assertEquals("update", finishMode.get("devkit-test-01"));
        assertArrayEquals(vectorDer("P06/devkit-test-01.pem"), der(primary(f)));
        assertNull(f.get("attestation").get("x509").get("clientCertificates").get("secondary"));

        // every MAC device: create under the new ID with the new certificate, delete the old ID with the old one;
        // each certificate is the one the plain run of its firmware wrote
        for (JsonNode m : oldManifest.get("devices")) {
            String oldId = m.get("registrationId").asText();
            if (oldId.equals("devkit-test-01")) {
                continue;
            }
            String newId = oldId.replace("v1v3v7", "v2v0v0");
            JsonNode created = startById.get(newId);
            assertEquals("create", startMode.get(newId), newId);
            assertEquals("enabled", created.get("provisioningStatus").asText());
            assertArrayEquals(der(plainNew.resolve(newId + ".pem")), der(primary(created)), newId);
            assertNull(created.get("attestation").get("x509").get("clientCertificates").get("secondary"));
            JsonNode deleted = finishById.get(oldId);
            assertEquals("delete", finishMode.get(oldId), oldId);
            assertArrayEquals(der(plainOld.resolve(oldId + ".pem")), der(primary(deleted)), oldId);
            assertArrayEquals(der(plainOld.resolve(oldId + ".pem")), der(out.resolve("previous/" + oldId + ".pem")));
            assertArrayEquals(Files.readAllBytes(plainNew.resolve(newId + ".pem")),
                    Files.readAllBytes(out.resolve(newId + ".pem")));
        }
        assertArrayEquals(vectorDer("P08/az-a0b1c2d3e4f5v1v3v7.pem"),
                der(out.resolve("previous/az-a0b1c2d3e4f5v1v3v7.pem")));
        assertEquals(newManifest.get("devices").size(), startById.size());

        // the manifest: previous firmware, previous IDs and thumbprints
        JsonNode manifest = JSON.readTree(out.resolve("dps-manifest.json").toFile());
        assertEquals("fw-a.ino.bin", manifest.get("previousFirmware").get("bin").asText());
        assertEquals("fw-a.ino.map", manifest.get("previousFirmware").get("map").asText());
        assertEquals(oldManifest.get("firmware").get("fwid"), manifest.get("previousFirmware").get("fwid"));
        assertEquals("1.3.7", manifest.get("previousFirmware").get("firmwareVersion").asText());
        assertEquals(newManifest.get("firmware").get("fwid"), manifest.get("firmware").get("fwid"));
        for (JsonNode m : manifest.get("devices")) {
            String id = m.get("registrationId").asText();
            String oldId = m.has("previousRegistrationId") ? m.get("previousRegistrationId").asText() : id;
            assertEquals(id.equals("devkit-test-01"), !m.has("previousRegistrationId"), id);
            byte[] previousDer = der(out.resolve(m.get("previousAliasCertificate").asText()));
            assertEquals(Hashes.upperHex(Hashes.sha1(previousDer)), m.get("previousAliasThumbprintSha1").asText());
            assertEquals(Hashes.upperHex(Hashes.sha256(previousDer)), m.get("previousAliasThumbprintSha256").asText());
            assertEquals("previous/" + oldId + ".pem", m.get("previousAliasCertificate").asText());
        }
        // the archive holds the previous certificates too
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(out.resolve("dps-certificates.zip").toFile())) {
            assertNotNull(zip.getEntry("previous/devkit-test-01.pem"));
            assertNotNull(zip.getEntry("previous/az-a0b1c2d3e4f5v1v3v7.pem"));
        }
        assertNoSecret(out);
    }

    static String primary(JsonNode e) {
        return e.get("attestation").get("x509").get("clientCertificates").get("primary").get("certificate").asText();
    }

    static String secondary(JsonNode e) {
        return e.get("attestation").get("x509").get("clientCertificates").get("secondary").get("certificate").asText();
    }

    private static List<Path> files(Path dir, String prefix) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().collect(Collectors.toList());
        }
    }

    private static List<String> names(List<Path> paths) {
        return paths.stream().map(p -> p.getFileName().toString()).collect(Collectors.toList());
    }

    /** Every file under {@code dir} by relative path, with its bytes. */
    private static Map<String, byte[]> tree(Path dir) throws IOException {
        Map<String, byte[]> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).collect(Collectors.toList())) {
                m.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return m;
    }

    private static void assertNoSecret(Path dir) throws IOException {
        List<String> secrets = new ArrayList<>(List.of(UDS_P01, UDS_P08));
        for (String line : Files.readAllLines(dir.getParent().resolve("in/uds.csv"))) {
            if (line.startsWith("az-")) {
                secrets.add(line.split(",")[1]);
            }
        }
        for (Map.Entry<String, byte[]> f : tree(dir).entrySet()) {
            String text = new String(f.getValue(), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            for (String s : secrets) {
                // not assertFalse(contains(s)) with s in a message: the report would print the secret
                if (text.contains(s)) {
                    throw new AssertionError("a UDS appears in " + f.getKey());
                }
            }
        }
    }

    @Test
    void bytesDoNotDependOnTheThreadCount() throws Exception {
        rollout(tmp.resolve("in"), 1, 23, tmp.resolve("one"));
        rollout(tmp.resolve("in"), 4, 23, tmp.resolve("four"));
        Map<String, byte[]> one = tree(tmp.resolve("one"));
        Map<String, byte[]> four = tree(tmp.resolve("four"));
        assertEquals(one.keySet(), four.keySet());
        for (String name : one.keySet()) {
            assertArrayEquals(one.get(name), four.get(name), name);
        }
        assertTrue(one.containsKey(RolloutWriter.SCRIPT) && one.containsKey("previous/devkit-test-01.pem"));
    }

    @Test
    void shardsTogetherChangeWhatTheWholeRunChanges() throws Exception {
        Path in = tmp.resolve("in");
        rollout(in, 2, 23, tmp.resolve("whole"));
        Map<String, String> whole = enrollments(tmp.resolve("whole"));
        Map<String, String> shards = new TreeMap<>();
        for (int i = 1; i <= 3; i++) {
            BatchRequest.Builder b = fleet(in, 23, true);
            try (UdsFile secrets = UdsFile.read(in.resolve("uds.csv"))) {
                BatchGenerator.run(b.devicesFile(in.resolve("devices.csv"), "2.0.0", secrets::lookup)
                        .previousFirmware(PreviousFirmware.of(FW_A_BIN, FW_A_MAP, null, "1.3.7"))
                        .shard(io.github.dpsplugin.core.output.Shard.parse(i + "/3")).threads(2)
                        .outputDirectory(tmp.resolve("shard-" + i)).build(), BatchListener.NONE);
            }
            for (Map.Entry<String, String> e : enrollments(tmp.resolve("shard-" + i)).entrySet()) {
                assertNull(shards.put(e.getKey(), e.getValue()), e.getKey() + " in two shards");
            }
        }
        assertEquals(new TreeMap<>(whole), shards);
        assertEquals(48, whole.size()); // 24 devices, each at start and at finish
    }

    /** Every enrollment of a run's bodies, as {@code step mode id} -> its certificates. */
    private static Map<String, String> enrollments(Path dir) throws IOException {
        Map<String, String> m = new TreeMap<>();
        for (String step : new String[] {"start", "finish"}) {
            for (Path p : files(dir, "dps-rollout-" + step + "-")) {
                JsonNode body = JSON.readTree(p.toFile());
                for (JsonNode e : body.get("enrollments")) {
                    m.put(step + " " + body.get("mode").asText() + " " + e.get("registrationId").asText(),
                            e.get("attestation").toString());
                }
            }
        }
        return m;
    }

    @Test
    void theSameFirmwareChangesNothing() throws Exception {
        Path out = tmp.resolve("out");
        BatchResult r = BatchGenerator.run(BatchRequest.builder().firmware(FirmwareFiles.of(FW_A_BIN, FW_A_MAP, null))
                .device(DeviceSpec.of(RegistrationId.of("devkit-test-01"), source(UDS_P01)))
                .previousFirmware(PreviousFirmware.of(FW_A_BIN, FW_A_MAP, null, null))
                .outputDirectory(out).build(), BatchListener.NONE);
        assertEquals(1, r.rollout().unchanged());
        assertEquals(0, r.rollout().certificateChanges() + r.rollout().registrationIdChanges());
        assertTrue(r.rollout().describe().endsWith("0 unchanged".replace("0", "1") + "; no enrollment to change"),
                r.rollout().describe());
        assertEquals(List.of(), files(out, "dps-rollout-start-"));
        assertEquals(List.of(), files(out, "dps-rollout-finish-"));
        assertFalse(Files.exists(out.resolve("previous")));
        JsonNode m = JSON.readTree(out.resolve("dps-manifest.json").toFile()).get("devices").get(0);
        assertEquals(m.get("aliasThumbprintSha1"), m.get("previousAliasThumbprintSha1"));
        assertNull(m.get("previousAliasCertificate"));
    }

    @Test
    void aPreviousIdThatIsAnotherDevicesIdIsRefusedAndNothingIsWritten() throws IOException {
        Path out = tmp.resolve("out");
        Files.createDirectories(out);
        Files.writeString(out.resolve("dps-manifest.json"), "{}\n");
        UdsFile none = null;
        BatchRequest request = BatchRequest.builder().firmware(FirmwareFiles.of(FW_B_BIN, FW_B_MAP, null))
                .device(DeviceSpec.parse("#1", null, "a0b1c2d3e4f5", "2.0.0", source(UDS_P08)))
                .device(DeviceSpec.of(RegistrationId.of("az-a0b1c2d3e4f5v1v3v7"), source(UDS_P01)))
                .previousFirmware(PreviousFirmware.of(FW_A_BIN, FW_A_MAP, null, "1.3.7"))
                .threads(2).outputDirectory(out).build();
        DpsException e = assertThrows(DpsException.class, () -> BatchGenerator.run(request, BatchListener.NONE));
        assertEquals("registrationId", e.field());
        // which of the two checks meets it first depends on thread timing; both name the ID and the firmware
        assertTrue(e.getMessage().contains("'az-a0b1c2d3e4f5v1v3v7'") && e.getMessage().contains("under the previous"
                + " firmware"), e.getMessage());
        assertNull(none);
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of("dps-manifest.json"), s.map(p -> p.getFileName().toString()).collect(Collectors.toList()));
        }
        assertEquals("{}\n", Files.readString(out.resolve("dps-manifest.json")));
    }

    @Test
    void aBadPreviousFirmwareFailsTheRunBeforeAnythingIsWritten() {
        Path out = tmp.resolve("out");
        BatchRequest request = BatchRequest.builder().firmware(FirmwareFiles.of(FW_B_BIN, FW_B_MAP, null))
                .device(DeviceSpec.of(RegistrationId.of("devkit-test-01"), source(UDS_P01)))
                .previousFirmware(PreviousFirmware.of(FW_A_BIN, tmp.resolve("nope.map"), null, null))
                .outputDirectory(out).build();
        DpsException e = assertThrows(DpsException.class, () -> BatchGenerator.run(request, BatchListener.NONE));
        assertEquals("previousFirmwareMap", e.field());
        assertFalse(Files.exists(out));
    }

    @Test
    void theUdsFileIsReadUnderTheNewIdOrElseThePreviousOne() throws IOException {
        Path in = tmp.resolve("in");
        // every device under its previous ID only (a UDS file kept from the last release)
        fleet(in, 3, false);
        String old = Files.readString(in.resolve("uds.csv")).replace("v2v0v0,", "v1v3v7,");
        Files.writeString(in.resolve("uds.csv"), old);
        try (UdsFile secrets = UdsFile.read(in.resolve("uds.csv"))) {
            BatchResult r = BatchGenerator.run(BatchRequest.builder().firmware(FirmwareFiles.of(FW_B_BIN, FW_B_MAP, null))
                    .devicesFile(in.resolve("devices.csv"), "2.0.0", secrets::lookup)
                    .previousFirmware(PreviousFirmware.of(FW_A_BIN, FW_A_MAP, null, "1.3.7"))
                    .outputDirectory(tmp.resolve("out")).build(), BatchListener.NONE);
            assertEquals(3, r.rollout().registrationIdChanges());
            assertArrayEquals(vectorDer("P08/az-a0b1c2d3e4f5v1v3v7.pem"),
                    der(tmp.resolve("out/previous/az-a0b1c2d3e4f5v1v3v7.pem")));
            // without a rollout, and at any later version, the same file serves the MAC-derived IDs: a device's
            // UDS is found by its MAC
            for (String version : new String[] {"2.0.0", "2.1.0"}) {
                Path plain = tmp.resolve("plain-" + version);
                BatchGenerator.run(BatchRequest.builder().firmware(FirmwareFiles.of(FW_B_BIN, FW_B_MAP, null))
                        .devicesFile(in.resolve("devices.csv"), version, secrets::lookup).outputDirectory(plain).build(),
                        BatchListener.NONE);
                RegistrationId id = RegistrationId.of("az-a0b1c2d3e4f5v" + version.replace('.', 'v'));
                try (Uds p08 = Uds.fromHex(UDS_P08)) {
                    assertEquals(DeviceCertificateGenerator.forFirmware(FW_B_BIN, FW_B_MAP, NoncePolicy.DEVKIT)
                            .generate(id, p08).aliasCertificatePem(PemLayout.ONE_LINE),
                            Files.readString(plain.resolve(id + ".pem")), id.value());
                }
            }
        }
    }

    @Test
    void aRolloutNeedsTheCertificateFiles() {
        DpsException e = assertThrows(DpsException.class, () -> BatchRequest.builder().firmware(FirmwareFiles.of(FW_B_BIN, FW_B_MAP, null))
                .previousFirmware(PreviousFirmware.of(FW_A_BIN, FW_A_MAP, null, null)).archive(true)
                .certificateFiles(false).outputDirectory(tmp).build());
        assertEquals("certificateFiles", e.field());
    }
}
