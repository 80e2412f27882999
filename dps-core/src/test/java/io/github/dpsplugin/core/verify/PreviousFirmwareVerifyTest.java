package io.github.dpsplugin.core.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dpsplugin.core.Vectors;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.rollout.PreviousFirmware;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * verify given a previous firmware too: a certificate of the previous release is reported as such
 * (PREVIOUS_FIRMWARE), one that matches neither as NEITHER_FIRMWARE, one of this release as a match.
 */
class PreviousFirmwareVerifyTest {

    private static final String P01_UDS = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static Path fw(String name, String ext) {
        return Vectors.file("firmware/" + name + ".ino." + ext);
    }

    /** Current fw-b, previous fw-a. */
    private static VerifyRequest.Builder fwBAfterA() {
        return VerifyRequest.builder().firmware(FirmwareFiles.of(fw("fw-b", "bin"), fw("fw-b", "map"), null))
                .previousFirmware(PreviousFirmware.of(fw("fw-a", "bin"), fw("fw-a", "map"), null, null));
    }

    @Test
    void aCertificateOfThePreviousReleaseIsReportedAsSuch() throws Exception {
        for (boolean withUds : new boolean[] {false, true}) {
            VerifyRequest.Builder b = fwBAfterA().certificate(Vectors.file("P01/devkit-test-01.pem"));
            if (withUds) {
                b.uds(() -> Uds.fromHex(P01_UDS));
            }
            VerifyReport report = Verifier.run(b.build());
            CertificateReport c = report.certificates().get(0);
            // its own status, counted, not a failure
            assertTrue(c.ok());
            assertTrue(report.ok());
            assertEquals(Status.PREVIOUS_FIRMWARE, c.status());
            assertEquals(1, report.count(Status.PREVIOUS_FIRMWARE));
            assertEquals("1 certificate: 1 previous-firmware", report.summary());
            assertEquals("", report.failureSummary());
            assertEquals(Set.of(Cause.RIOT_FW_CHANGED), c.causes(), c.checks().toString());
            assertTrue(c.warnings().contains(Cause.PREVIOUS_FIRMWARE), c.warnings().toString());
            assertTrue(report.text().startsWith("DPS certificate verification: 1 certificate: 1 previous-firmware\n"),
                    report.text());
            assertTrue(report.text().contains("devkit-test-01.pem (devkit-test-01): previous-firmware\n"),
                    report.text());
            Check k = c.check(PreviousFirmwareCheck.NAME);
            assertTrue(k.detail().startsWith("matches the previous firmware (FWID 0148702c"), k.detail());
            assertTrue(k.detail().contains(withUds ? "byte for byte" : "no UDS given"), k.detail());
            assertTrue(report.text().contains("previous firmware: fw-a.ino.bin + fw-a.ino.map\n"), report.text());
            JsonNode json = new ObjectMapper().readTree(report.json());
            assertEquals("fw-a.ino.bin", json.get("previousFirmware").get("bin").asText());
            assertEquals("previous-firmware", json.get("certificates").get(0).get("status").asText());
            assertEquals(1, json.get("statuses").get("previous-firmware").asInt());
            assertTrue(json.get("ok").asBoolean());

            // current-only: the same certificate is a mismatch
            VerifyReport strict = Verifier.run(b.currentOnly(true).build());
            CertificateReport s = strict.certificates().get(0);
            assertFalse(s.ok());
            assertEquals(Status.MISMATCH, s.status());
            assertEquals(Set.of(Cause.RIOT_FW_CHANGED, Cause.PREVIOUS_FIRMWARE), s.causes(), s.checks().toString());
            assertTrue(strict.failureSummary().contains("PREVIOUS_FIRMWARE: certificate of the previous firmware"),
                    strict.failureSummary());
        }
    }

    @Test
    void aCertificateOfNeitherFirmwareIsReportedAsSuch() {
        // P07 is fw-c's (another riot_core): neither fw-b nor fw-a gives it
        VerifyReport report = Verifier.run(fwBAfterA().certificate(Vectors.file("P07/devkit-test-01.pem"))
                .uds(() -> Uds.fromHex(P01_UDS)).build());
        CertificateReport c = report.certificates().get(0);
        assertTrue(c.causes().contains(Cause.NEITHER_FIRMWARE), c.causes().toString());
        assertFalse(c.causes().contains(Cause.PREVIOUS_FIRMWARE));
        assertTrue(c.check(PreviousFirmwareCheck.NAME).detail().contains("RIOT_CORE_OR_UDS_CHANGED"),
                c.check(PreviousFirmwareCheck.NAME).detail());
    }

    @Test
    void aCertificateOfThisReleaseMatches() {
        VerifyReport report = Verifier.run(fwBAfterA().certificate(Vectors.file("P06/devkit-test-01.pem"))
                .uds(() -> Uds.fromHex(P01_UDS)).build());
        assertTrue(report.ok(), report.text());
        // compared with this firmware only: nothing is "not checked"
        assertNull(report.certificates().get(0).check(PreviousFirmwareCheck.NAME));
        assertFalse(report.certificates().get(0).checks().stream().anyMatch(k -> k.outcome() == Check.Outcome.SKIP));
        assertEquals(Status.RECOMPUTED, report.certificates().get(0).status());
    }
}
