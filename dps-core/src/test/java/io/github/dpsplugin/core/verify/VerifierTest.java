package io.github.dpsplugin.core.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dpsplugin.core.Vectors;
import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.common.Hashes;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.dice.UdsSource;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.fleet.BatchGenerator;
import io.github.dpsplugin.core.fleet.BatchListener;
import io.github.dpsplugin.core.fleet.BatchRequest;
import io.github.dpsplugin.core.fleet.DeviceSpec;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.pem.Pem;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole runs: certificate files and manifests in, the report out (text and JSON, deterministic, no secrets). */
class VerifierTest {

    private static final String P01_UDS = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final String P03_UDS = "00".repeat(32);
    private static final Path P01_PEM = Vectors.file("P01/devkit-test-01.pem");

    @TempDir
    Path tmp;

    private static Path fw(String name, String ext) {
        return Vectors.file("firmware/" + name + ".ino." + ext);
    }

    private static UdsSource uds(String hex, String description) {
        return new UdsSource() {
            @Override
            public Uds open() {
                return Uds.fromHex(hex);
            }

            @Override
            public String toString() {
                return description;
            }
        };
    }

    private static VerifyRequest.Builder fwA() {
        return VerifyRequest.builder().firmware(FirmwareFiles.of(fw("fw-a", "bin"), fw("fw-a", "map"), null));
    }

    @Test
    void oneCertificateMatches() throws Exception {
        VerifyReport report = Verifier.run(fwA().certificate(P01_PEM).uds(uds(P01_UDS, "test server 'p01'")).build());
        assertTrue(report.ok());
        assertEquals("", report.failureSummary());
        CertificateReport c = report.certificates().get(0);
        assertEquals("devkit-test-01.pem", c.label());
        assertEquals(io.github.dpsplugin.core.common.Hashes.upperHex(io.github.dpsplugin.core.common.Hashes.sha1(
                Pem.decode(Pem.CERTIFICATE, Files.readString(P01_PEM)))), c.sha1Thumbprint());
        String text = report.text();
        assertTrue(text.startsWith("DPS certificate verification: 1 certificate: 1 recomputed\n"), text);
        assertTrue(text.contains("\nrecomputed: identical, byte for byte, to the certificate recomputed from the device's"
                + " UDS and this firmware\n"), text);
        assertTrue(text.contains("firmware: fw-a.ino.bin + fw-a.ino.map\n"), text);
        assertTrue(text.contains("UDS: from test server 'p01'\n"), text);
        assertTrue(text.contains("devkit-test-01.pem (devkit-test-01): recomputed\n"), text);
        assertTrue(text.contains("WARN deviceIdKey     DEVICE_ID_KEY_RECOVERABLE: DeviceID private key recoverable: signed with"), text);
        assertTrue(text.contains("PASS recompute       identical, byte for byte"), text);
        JsonNode json = new ObjectMapper().readTree(report.json());
        assertTrue(json.get("ok").asBoolean());
        assertEquals("fw-a.ino.bin", json.get("firmware").get("bin").asText());
        assertEquals("devkit", json.get("expectedNoncePolicy").asText());
        JsonNode cert = json.get("certificates").get(0);
        assertEquals("devkit-test-01", cert.get("registrationId").asText());
        assertEquals("recomputed", cert.get("status").asText());
        assertEquals(1, json.get("statuses").get("recomputed").asInt());
        assertEquals(0, cert.get("causes").size());
        assertEquals("DEVICE_ID_KEY_RECOVERABLE", cert.get("warnings").get(0).asText());
        assertEquals(8, cert.get("checks").size());
        assertEquals("recompute", cert.get("checks").get(7).get("name").asText());
        assertEquals("pass", cert.get("checks").get(7).get("outcome").asText());
        assertNoSecret(report, P01_UDS);
    }

    @Test
    void fwChangedWithElfAndTheFailureSummary() throws Exception {
        VerifyReport report = Verifier.run(VerifyRequest.builder().firmware(FirmwareFiles.of(null, null, fw("fw-b", "elf")))
                .certificate(P01_PEM).build());
        assertFalse(report.ok());
        assertEquals(Set.of(Cause.RIOT_FW_CHANGED), report.certificates().get(0).causes());
        String summary = report.failureSummary();
        assertTrue(summary.startsWith("1 of 1 certificate: mismatch (not what the device computes from this firmware):"),
                summary);
        assertTrue(summary.contains("devkit-test-01.pem (devkit-test-01):\n    RIOT_FW_CHANGED: riot_fw changed: a"
                + " firmware rebuild or OTA changed the measured code; the enrollment must be updated ("), summary);
        assertTrue(report.text().contains("firmware: fw-b.ino.elf\n"));
        assertTrue(report.text().contains("UDS: not given"));
        JsonNode json = new ObjectMapper().readTree(report.json());
        assertEquals("fw-b.ino.elf", json.get("firmware").get("elf").asText());
        assertFalse(json.get("ok").asBoolean());
        assertEquals("RIOT_FW_CHANGED", json.get("certificates").get(0).get("causes").get(0).asText());
        assertTrue(json.get("uds").isNull());
    }

    @Test
    void expectedRegistrationIdAndNoncePolicy() {
        VerifyReport report = Verifier.run(fwA().certificate(P01_PEM)
                .expectedRegistrationId(RegistrationId.of("devkit-test-02")).build());
        assertEquals(Set.of(Cause.REGISTRATION_ID_DIFFERS), report.certificates().get(0).causes());
        VerifyReport any = Verifier.run(fwA().certificate(P01_PEM).noncePolicy(null).build());
        assertTrue(any.ok());
        assertNull(any.expectedNonce());
        assertTrue(any.text().contains("expected nonce policy: any\n"));
    }

    @Test
    void derFilesAndUnreadableFiles() throws Exception {
        Path der = Files.write(tmp.resolve("cert.der"), Pem.decode(Pem.CERTIFICATE, Files.readString(P01_PEM)));
        Path empty = Files.write(tmp.resolve("empty.pem"), new byte[0]);
        Path key = Files.copy(Vectors.file("P01/deviceid-public-key.pem"), tmp.resolve("key.pem"));
        VerifyReport report = Verifier.run(fwA().certificate(der).certificate(empty).certificate(key).build());
        assertEquals(3, report.certificates().size());
        assertTrue(report.certificates().get(0).ok());
        assertEquals(Set.of(Cause.NOT_A_CERTIFICATE), report.certificates().get(1).causes());
        assertEquals(Set.of(Cause.NOT_A_CERTIFICATE), report.certificates().get(2).causes());
        assertTrue(report.failureSummary().startsWith("2 of 3 certificates: mismatch (not what"), report.failureSummary());
    }

    @Test
    void missingInputsAreErrors() {
        DpsException e = assertThrows(DpsException.class,
                () -> Verifier.run(fwA().certificate(tmp.resolve("nope.pem")).build()));
        assertEquals("certificate", e.field());
        assertTrue(e.getMessage().contains("does not exist"));
        assertEquals("certificate", assertThrows(DpsException.class, () -> fwA().build()).field());
        assertEquals("firmwareBin", assertThrows(DpsException.class,
                () -> VerifyRequest.builder().certificate(P01_PEM).build()).field());
        assertEquals("firmwareElf", assertThrows(DpsException.class, () -> Verifier.run(VerifyRequest.builder()
                .firmware(FirmwareFiles.of(null, null, fw("fw-a", "bin"))).certificate(P01_PEM).build())).field());
        assertEquals("registrationId", assertThrows(DpsException.class, () -> fwA().manifest(tmp.resolve("m.json"))
                .expectedRegistrationId(RegistrationId.of("x")).build()).field());
    }

    // ---- manifests ----

    private Path generate(String dir, NoncePolicy nonce, boolean files) {
        Path out = tmp.resolve(dir);
        BatchGenerator.run(BatchRequest.builder().firmware(FirmwareFiles.of(fw("fw-a", "bin"), fw("fw-a", "map"), null))
                .device(DeviceSpec.of(RegistrationId.of("devkit-test-01"), () -> Uds.fromHex(P01_UDS)))
                .device(DeviceSpec.of(RegistrationId.of("devkit-zero-uds"), () -> Uds.fromHex(P03_UDS)))
                .noncePolicy(nonce).certificateFiles(files).archive(!files).outputDirectory(out).build(),
                BatchListener.NONE);
        return out.resolve("dps-manifest.json");
    }

    @Test
    void manifestOfAGenerateRun() {
        Path manifest = generate("dps", NoncePolicy.DEVKIT, true);
        VerifyReport same = Verifier.run(fwA().manifest(manifest).build());
        assertTrue(same.ok(), same.text());
        assertEquals(List.of("devkit-test-01.pem", "devkit-zero-uds.pem"),
                same.certificates().stream().map(CertificateReport::label).toList());
        assertEquals("devkit-zero-uds", same.certificates().get(1).expectedRegistrationId());
        VerifyReport rebuilt = Verifier.run(VerifyRequest.builder().firmware(FirmwareFiles.of(null, null, fw("fw-b", "elf"))).manifest(manifest)
                .build());
        assertEquals(2, rebuilt.failed().size());
        rebuilt.certificates().forEach(c -> assertEquals(Set.of(Cause.RIOT_FW_CHANGED), c.causes()));
    }

    @Test
    void manifestOfAnArchiveOnlyRun() throws Exception {
        Path manifest = generate("zip", NoncePolicy.RFC6979, false);
        assertFalse(Files.exists(manifest.resolveSibling("devkit-test-01.pem")));
        VerifyReport report = Verifier.run(fwA().manifest(manifest).build());
        assertEquals(2, report.failed().size());
        report.certificates().forEach(c -> assertEquals(Set.of(Cause.NONCE_POLICY_DIFFERS), c.causes()));
        assertTrue(Verifier.run(fwA().manifest(manifest).noncePolicy(NoncePolicy.RFC6979).build()).ok());
    }

    @Test
    void oneUdsIsForOneCertificate() {
        Path manifest = generate("dps", NoncePolicy.DEVKIT, true);
        DpsException e = assertThrows(DpsException.class,
                () -> Verifier.run(fwA().manifest(manifest).uds(uds(P01_UDS, "p01")).build()));
        assertEquals("uds", e.field());
        assertTrue(e.getMessage().contains("2 certificates"));
    }

    @Test
    void damagedManifests() throws Exception {
        Object[][] cases = {
            {"", "is not valid JSON (line 1, column 1): the file is empty"},
            {"{\"devices\": [", "is not valid JSON (line 1, column 14): Unexpected end-of-input: expected close marker for Array"
                + " (start marker at line 1, column 13)"},
            {"{\"format\": 1,\n \"devices\": [{\"registrationId\" \"a\"}]}", "is not valid JSON (line 2, column 32): Unexpected character"},
            {"dps-manifest", "is not valid JSON (line 1, column "},
            {"[]", "no JSON object"},
            {"\"devices\"", "no JSON object"},
            {"{\"format\": 2, \"devices\": []}", "format 2;"},
            {"{\"format\": \"1\", \"devices\": []}", "format 1;"},
            {"{\"format\": [1], \"devices\": []}", "format [...];"},
            {"{\"format\": 1e999999999999, \"devices\": []}", "format 1e999999999999;"},
            {"{\"format\": 1.0, \"devices\": []}", "lists no device"},
            {"{\"devices\": {}}", "no \"devices\" list"},
            {"{\"devices\": [1]}", "devices[0] is not an object"},
            {"{\"devices\": [{\"registrationId\": 7, \"aliasCertificate\": \"a.pem\"}]}",
                "devices[0] has no \"registrationId\" string"},
            {"{\"format\": 1}", "no \"devices\" list"},
            {"{\"devices\": []}", "lists no device"},
            {"{\"devices\": [{\"registrationId\": \"a\"}]}", "devices[0] has no \"aliasCertificate\" string"},
            {"{\"devices\": [{\"registrationId\": \"a\", \"aliasCertificate\": \"../a.pem\"}]}", "is not a file name"},
            {"{\"devices\": [{\"registrationId\": \"A\", \"aliasCertificate\": \"a.pem\"}]}",
                "devices[0].registrationId: registrationId: 'A' contains an upper-case letter"},
            {"{\"devices\": [{\"registrationId\": \"a\", \"aliasCertificate\": \"a.pem\"}]}",
                "lists a.pem, which is neither beside it nor in dps-certificates.zip"},
            {"{\"a\": 1, \"a\": 2}", "Duplicate field 'a'"},
            {"{\"devices\": [{\"registrationId\": \"a\", \"registrationId\": \"b\"}]}", "Duplicate field"},
            {"{\"devices\": []} {}", "unexpected text after the JSON document"},
            {"{\"devices\": []} x", "is not valid JSON (line 1, column 17): Unrecognized token 'x'"},
            {"{\"x\": " + "[".repeat(100), "nesting depth (33) exceeds the maximum allowed (32"},
        };
        for (Object[] c : cases) {
            Path m = Files.writeString(tmp.resolve("dps-manifest.json"), (String) c[0]);
            DpsException e = assertThrows(DpsException.class, () -> Verifier.run(fwA().manifest(m).build()),
                    (String) c[0]);
            assertEquals("manifest", e.field(), e.getMessage());
            assertTrue(e.getMessage().contains((String) c[1]), e.getMessage());
            assertTrue(e.getMessage().contains(m.toString()), "names the file: " + e.getMessage());
        }
        Path binary = Files.write(tmp.resolve("bin.json"), new byte[] {'{', (byte) 0xff, '}'});
        assertTrue(assertThrows(DpsException.class, () -> Verifier.run(fwA().manifest(binary).build())).getMessage()
                .contains("not UTF-8"));
    }

    // ---- the report files ----

    @Test
    void writesBothFilesDeterministically() throws Exception {
        VerifyRequest request = fwA().certificate(P01_PEM).uds(uds(P01_UDS, "settings.xml server 'uds-p01'")).build();
        Path dir = tmp.resolve("report");
        List<Path> files = Verifier.run(request).write(dir);
        assertEquals(List.of(dir.resolve("dps-verify.txt"), dir.resolve("dps-verify.json")), files);
        byte[] text = Files.readAllBytes(files.get(0));
        byte[] json = Files.readAllBytes(files.get(1));
        Verifier.run(request).write(dir); // a second run replaces them with the same bytes
        assertArrayEquals(text, Files.readAllBytes(files.get(0)));
        assertArrayEquals(json, Files.readAllBytes(files.get(1)));
        try (var list = Files.list(dir)) {
            assertEquals(2, list.count(), "no temporary files left");
        }
        String all = new String(text, StandardCharsets.UTF_8) + new String(json, StandardCharsets.UTF_8);
        assertFalse(all.contains(P01_UDS) || all.contains(P01_UDS.toUpperCase()));
        assertFalse(all.contains(tmp.toString()), "no absolute paths");
    }

    // ---- an archive-only fleet: one pass, streamed ----

    /** The archive is opened once for the whole manifest, not once per device (which was quadratic). */
    @Test
    void anArchiveOnlyFleetOpensTheArchiveOnce() throws Exception {
        byte[] pem = Files.readAllBytes(P01_PEM);
        Path manifest = FleetArchive.write(tmp.resolve("fleet"), 1000, i -> pem);
        int[] listed = {0};
        try (ManifestReader.Certificates certificates = new ManifestReader.Certificates(manifest)) {
            ManifestReader.read(manifest, e -> {
                assertArrayEquals(pem, certificates.read(e.file));
                listed[0]++;
            });
            assertEquals(1000, listed[0]);
            assertEquals(1, certificates.archiveOpens());
        }
    }

    /** Streamed into the files as verified: the same bytes as the report held in memory, in manifest order. */
    @Test
    void aStreamedReportEqualsTheReportInMemory() throws Exception {
        byte[] pem = Files.readAllBytes(P01_PEM);
        byte[] notACertificate = "not a certificate".getBytes(StandardCharsets.US_ASCII);
        Path manifest = FleetArchive.write(tmp.resolve("fleet"), 300, i -> i % 7 == 3 ? notACertificate : pem);
        VerifyRequest request = fwA().manifest(manifest).build();
        VerifyReport inMemory = Verifier.run(request);
        Path dir = tmp.resolve("report");
        List<String> seen = new java.util.ArrayList<>();
        VerifyReport streamed = Verifier.run(request, dir, c -> seen.add(c.label()));
        assertEquals(300, seen.size());
        assertEquals("device-0.pem", seen.get(0));
        assertEquals("device-299.pem", seen.get(299));
        assertEquals(300, streamed.count());
        assertEquals(inMemory.failedCount(), streamed.failedCount());
        assertEquals(inMemory.text(), Files.readString(dir.resolve(VerifyReport.TEXT_FILE)));
        assertEquals(inMemory.json(), Files.readString(dir.resolve(VerifyReport.JSON_FILE)));
        assertEquals(List.of(dir.resolve(VerifyReport.TEXT_FILE), dir.resolve(VerifyReport.JSON_FILE)), streamed.files());
        // every device but device-3, -10, ... carries devkit-test-01's certificate: all fail, a bounded number kept
        assertEquals(300, streamed.failedCount());
        assertEquals(VerifyReport.MAX_FAILED_KEPT, streamed.certificates().size());
        assertTrue(streamed.failureSummary().endsWith("\n  and " + (300 - VerifyReport.MAX_FAILED_KEPT)
                + " more (see the report)"), streamed.failureSummary());
        try (var list = Files.list(dir)) {
            assertEquals(2, list.count(), "no temporary files left");
        }
    }

    /** A run that fails midway leaves no report and no temporary file. */
    @Test
    void aStreamedRunThatFailsLeavesNothing() throws Exception {
        byte[] pem = Files.readAllBytes(P01_PEM);
        Path manifest = FleetArchive.write(tmp.resolve("fleet"), 50, i -> pem);
        String text = Files.readString(manifest).replace("\"device-40.pem\"", "\"missing.pem\"");
        Files.writeString(manifest, text);
        Path dir = tmp.resolve("report");
        DpsException e = assertThrows(DpsException.class, () -> Verifier.run(fwA().manifest(manifest).build(), dir,
                c -> { }));
        assertTrue(e.getMessage().contains("lists missing.pem, which is neither beside it nor in"), e.getMessage());
        assertFalse(Files.exists(dir), "no report directory left");
    }

    private static void assertNoSecret(VerifyReport report, String uds) {
        for (String s : new String[] {report.text(), report.json(), report.failureSummary()}) {
            assertFalse(s.toLowerCase().contains(uds.toLowerCase()), "the UDS appears in the report");
        }
    }
}
