package io.github.dpsplugin.core.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dpsplugin.core.Vectors;
import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.fleet.BatchGenerator;
import io.github.dpsplugin.core.fleet.BatchListener;
import io.github.dpsplugin.core.fleet.BatchRequest;
import io.github.dpsplugin.core.fleet.DeviceSpec;
import io.github.dpsplugin.core.fleet.ListedDevices;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.output.Shard;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether the certificates verified cover the listed devices: a listed device without one is
 * {@code missing} and fails the run, named with where it was listed; a certificate of a device not
 * listed is named, not failed; the devices are selected (shard) and validated as generate does.
 */
class CoverageTest {

    @TempDir
    Path tmp;

    /** A generate run's manifest of devkit-test-01 and devkit-zero-uds. */
    private Path manifest;

    @BeforeEach
    void generate() {
        Path out = tmp.resolve("dps");
        BatchGenerator.run(BatchRequest.builder().firmware(fwA())
                .device(DeviceSpec.of(RegistrationId.of("devkit-test-01"), () -> Uds.fromHex("01".repeat(32))))
                .device(DeviceSpec.of(RegistrationId.of("devkit-zero-uds"), () -> Uds.fromHex("00".repeat(32))))
                .noncePolicy(NoncePolicy.DEVKIT).outputDirectory(out).build(), BatchListener.NONE);
        manifest = out.resolve("dps-manifest.json");
    }

    private static FirmwareFiles fwA() {
        return FirmwareFiles.of(Vectors.file("firmware/fw-a.ino.bin"), Vectors.file("firmware/fw-a.ino.map"), null);
    }

    private Path devicesFile(String... lines) throws Exception {
        return Files.writeString(tmp.resolve("devices.csv"), "registrationId\n" + String.join("\n", lines) + "\n");
    }

    private VerifyReport verify(ListedDevices devices) {
        return Verifier.run(VerifyRequest.builder().firmware(fwA()).manifest(manifest).devices(devices).build());
    }

    private static ListedDevices file(Path file, Shard shard) {
        return ListedDevices.builder().devicesFile(file, null).shard(shard).build();
    }

    @Test
    void everyListedDeviceHasACertificate() throws Exception {
        VerifyReport report = verify(file(devicesFile("devkit-test-01", "devkit-zero-uds"), Shard.ALL));
        assertTrue(report.ok(), report.failureSummary());
        assertEquals(2, report.count());
        assertEquals(0, report.count(Status.MISSING));
        assertTrue(report.text().contains("\ndevices: devices.csv (each must have a certificate)\n"), report.text());
        JsonNode json = new ObjectMapper().readTree(report.json());
        assertEquals("devices.csv", json.get("devices").asText());
        assertEquals(0, json.get("statuses").get("missing").asInt());
        for (CertificateReport c : report.certificates()) {
            assertEquals(Status.CONSISTENT, c.status());
            assertFalse(c.warnings().contains(Cause.NOT_LISTED), c.toString());
        }
    }

    @Test
    void aListedDeviceWithoutACertificateIsMissingAndFails() throws Exception {
        VerifyReport report = verify(file(devicesFile("devkit-test-01", "devkit-zero-uds", "devkit-gone"), Shard.ALL));
        assertFalse(report.ok());
        assertEquals(2, report.count(), "the certificates");
        assertEquals(1, report.failedCount());
        assertEquals("2 certificates: 2 consistent; 1 listed device missing", report.summary());
        CertificateReport missing = report.failed().get(0);
        assertEquals(Status.MISSING, missing.status());
        assertEquals("devices.csv:4", missing.label());
        assertEquals("devkit-gone", missing.registrationId());
        assertEquals(Set.of(Cause.NO_CERTIFICATE), missing.causes());
        assertTrue(report.failureSummary().equals("1 listed device: missing (no certificate among those verified"
                + " carries its registration ID):\n  devices.csv:4 (devkit-gone)"), report.failureSummary());
        String text = report.text();
        assertTrue(text.startsWith("DPS certificate verification: 2 certificates: 2 consistent; 1 listed device"
                + " missing\n"), text);
        assertTrue(text.contains("\ndevices.csv:4 (devkit-gone): missing [NO_CERTIFICATE]\n"), text);
        assertTrue(text.contains("listed in devices.csv:4; none of the certificates verified carries 'devkit-gone'"),
                text);
        JsonNode json = new ObjectMapper().readTree(report.json());
        assertFalse(json.get("ok").asBoolean());
        assertEquals(2, json.get("count").asInt());
        assertEquals(1, json.get("failed").asInt());
        assertEquals(1, json.get("statuses").get("missing").asInt());
        JsonNode entry = json.get("certificates").get(2);
        assertEquals("missing", entry.get("status").asText());
        assertTrue(entry.get("file").isNull());
        assertEquals("devices.csv:4", entry.get("listed").asText());
        assertEquals("devkit-gone", entry.get("registrationId").asText());
    }

    @Test
    void theStreamedRunReportsTheMissingDeviceInItsFiles() throws Exception {
        ListedDevices devices = file(devicesFile("devkit-gone", "devkit-test-01", "devkit-zero-uds"), Shard.ALL);
        List<CertificateReport> seen = new ArrayList<>();
        VerifyReport report = Verifier.run(VerifyRequest.builder().firmware(fwA()).manifest(manifest).devices(devices)
                .build(), tmp.resolve("report"), seen::add);
        assertFalse(report.ok());
        assertEquals(List.of(Status.CONSISTENT, Status.CONSISTENT, Status.MISSING),
                seen.stream().map(CertificateReport::status).toList(), "the missing devices come last");
        assertEquals(Verifier.run(VerifyRequest.builder().firmware(fwA()).manifest(manifest).devices(devices)
                .build()).text(), Files.readString(tmp.resolve("report").resolve(VerifyReport.TEXT_FILE)));
    }

    @Test
    void aShardIsSelectedAsGenerateSelectsIt() throws Exception {
        Path all = devicesFile("devkit-test-01", "devkit-gone-a", "devkit-zero-uds", "devkit-gone-b");
        VerifyReport first = verify(file(all, Shard.parse("1/2")));
        assertTrue(first.ok(), first.failureSummary());
        VerifyReport second = verify(file(all, Shard.parse("2/2")));
        assertFalse(second.ok());
        assertEquals(2, second.count(Status.MISSING));
        assertTrue(second.failureSummary().contains("\n  devices.csv:3 (devkit-gone-a)\n  devices.csv:5 (devkit-gone-b)"),
                second.failureSummary());
        // the manifest's certificates are of the other shard: named, not failed
        for (CertificateReport c : second.certificates()) {
            if (c.status() != Status.MISSING) {
                assertEquals(Status.CONSISTENT, c.status());
                assertTrue(c.warnings().contains(Cause.NOT_LISTED), c.toString());
            }
        }
        assertTrue(second.text().contains("\ndevices: devices.csv, shard 2/2 (each must have a certificate)\n"));
    }

    @Test
    void aCertificateOfADeviceNotListedIsNamedNotFailed() {
        VerifyReport report = verify(ListedDevices.builder()
                .device("#1 of <devices>", "devkit-test-01", null, null).build());
        assertTrue(report.ok(), report.failureSummary());
        CertificateReport other = report.certificates().get(1);
        assertEquals("devkit-zero-uds", other.registrationId());
        assertEquals(Status.CONSISTENT, other.status());
        Check listed = other.check(Coverage.NAME);
        assertEquals(Check.Outcome.WARN, listed.outcome());
        assertEquals("'devkit-zero-uds' is not among the listed devices (1 listed device)", listed.detail());
        assertNull(report.certificates().get(0).check(Coverage.NAME), "a listed device's certificate has no such check");
    }

    @Test
    void badDevicesFailAsInGenerateAndWriteNoReport() throws Exception {
        Path bad = Files.writeString(tmp.resolve("devices.csv"), "macAddress,firmwareVersion\nc8:93:46:4a:1b,2.0.0\n");
        Path dir = tmp.resolve("report");
        DpsException e = assertThrows(DpsException.class, () -> Verifier.run(VerifyRequest.builder().firmware(fwA())
                .manifest(manifest).devices(file(bad, Shard.ALL)).build(), dir, c -> { }));
        assertEquals("macAddress", e.field(), e.getMessage());
        assertTrue(e.getMessage().contains("devices.csv:2"), e.getMessage());
        assertFalse(Files.exists(dir), "no report of a run with bad devices");

        Path twice = devicesFile("devkit-test-01", "devkit-test-01");
        DpsException repeated = assertThrows(DpsException.class, () -> verify(file(twice, Shard.ALL)));
        assertTrue(repeated.getMessage().contains("is listed more than once (also device 'devkit-test-01'"
                + " (devices.csv:2))"), repeated.getMessage());
    }

    @Test
    void aShardWithoutADeviceIsAnError() throws Exception {
        Path one = devicesFile("devkit-test-01");
        DpsException e = assertThrows(DpsException.class, () -> verify(file(one, Shard.parse("2/2"))));
        assertEquals("devices", e.field());
        assertTrue(e.getMessage().contains("shard 2/2 holds no device"), e.getMessage());
    }

    /** Without devices the report keeps the form it had: no devices line, no count of missing devices. */
    @Test
    void withoutDevicesTheReportHasNoCoverage() throws Exception {
        VerifyReport report = Verifier.run(VerifyRequest.builder().firmware(fwA()).manifest(manifest).build());
        assertFalse(report.text().contains("devices:"), report.text());
        JsonNode json = new ObjectMapper().readTree(report.json());
        assertNull(json.get("devices"));
        assertFalse(json.get("statuses").has("missing"), json.get("statuses").toString());
    }
}
