package io.github.dpsplugin.core.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.Vectors;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * verify of a 100 000-device archive-only fleet in a 64 MiB heap (dps-core's {@code small-heap}
 * Surefire execution): the manifest is read one device at a time, the archive opened once, and
 * the reports streamed into their files, so neither the certificates nor the reports are held.
 * (Keeping every report would need several times this heap; reopening the archive per device
 * would make the run quadratic.) The archive's entries are not certificates, so each check is
 * cheap and the test measures the plumbing, not the elliptic-curve arithmetic.
 */
@Tag("small-heap")
class FleetVerifyStreamingTest {

    static final int DEVICES = 100_000;

    @TempDir
    Path tmp;

    @Test
    void aFleetVerifiesInOnePassWithBoundedMemory() throws Exception {
        byte[] garbage = new byte[] {'x'};
        Path manifest = FleetArchive.write(tmp.resolve("fleet"), DEVICES, i -> garbage);
        VerifyRequest request = VerifyRequest.builder().firmware(FirmwareFiles.of(Vectors.file("firmware/fw-a.ino.bin"),
                Vectors.file("firmware/fw-a.ino.map"), null)).manifest(manifest).build();
        long[] seen = {0};
        Path dir = tmp.resolve("report");
        VerifyReport report = Verifier.run(request, dir, c -> {
            assertEquals(FleetArchive.id((int) seen[0]) + ".pem", c.label());
            seen[0]++;
        });
        assertEquals(DEVICES, seen[0]);
        assertEquals(DEVICES, report.count());
        assertEquals(DEVICES, report.failedCount());
        assertEquals(VerifyReport.MAX_FAILED_KEPT, report.certificates().size());
        long text = Files.size(dir.resolve(VerifyReport.TEXT_FILE));
        long json = Files.size(dir.resolve(VerifyReport.JSON_FILE));
        assertTrue(text + json > Runtime.getRuntime().maxMemory(), "the reports (" + (text + json) + " bytes) are to"
                + " be larger than the heap (" + Runtime.getRuntime().maxMemory() + "); run with -Xmx64m");
        long sections = 0;
        try (BufferedReader r = Files.newBufferedReader(dir.resolve(VerifyReport.TEXT_FILE), StandardCharsets.UTF_8)) {
            assertEquals("DPS certificate verification: 100000 certificates: 100000 mismatch", r.readLine());
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (line.endsWith(": mismatch [NOT_A_CERTIFICATE]")) {
                    sections++;
                }
            }
        }
        assertEquals(DEVICES, sections);
    }
}
