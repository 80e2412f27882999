package io.github.dpsplugin.core.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.DeviceCertificateGenerator;
import io.github.dpsplugin.core.DeviceCertificates;
import io.github.dpsplugin.core.TestCertificates;
import io.github.dpsplugin.core.Vectors;
import io.github.dpsplugin.core.dice.FirmwareMeasurement;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.firmware.FirmwareImage;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.output.ManifestWriter;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 100 000-device manifest (about 100 MB) written and read back one device at a time in a heap
 * smaller than the file: run by dps-core's {@code small-heap} Surefire execution, with -Xmx64m.
 */
@Tag("small-heap")
class ManifestStreamingTest {

    static final int DEVICES = 100_000;

    @TempDir
    Path tmp;

    @Test
    void aFleetManifestStreamsBothWays() throws Exception {
        FirmwareMeasurement fw = FirmwareMeasurement.of(FirmwareImage.read(Vectors.file("firmware/fw-a.ino.bin"),
                Vectors.file("firmware/fw-a.ino.map")));
        DeviceCertificates template = DeviceCertificateGenerator.forMeasurement(fw, NoncePolicy.DEVKIT)
                .generate(RegistrationId.of("template"), Uds.fromHex("00".repeat(32)));
        Path manifest = tmp.resolve(ManifestWriter.FILE_NAME);
        try (ManifestWriter w = new ManifestWriter(Files.newOutputStream(manifest), "fw-a.ino.bin", "fw-a.ino.map",
                fw, "devkit", null)) {
            for (int i = 0; i < DEVICES; i++) {
                RegistrationId id = RegistrationId.of("device-" + i);
                w.device(TestCertificates.relabel(template, id), id.value() + ".pem", id.value() + "-deviceid.pem");
            }
        }
        long size = Files.size(manifest);
        assertTrue(size > Runtime.getRuntime().maxMemory(), "the manifest (" + size + " bytes) is to be larger"
                + " than the heap (" + Runtime.getRuntime().maxMemory() + "); run with -Xmx64m");

        int[] next = {0};
        long read = ManifestReader.read(manifest, e -> {
            String id = "device-" + next[0]++;
            assertEquals(id, e.registrationId.value());
            assertEquals(id + ".pem", e.file);
        });
        assertEquals(DEVICES, read);
        assertEquals(DEVICES, next[0]);
    }
}
