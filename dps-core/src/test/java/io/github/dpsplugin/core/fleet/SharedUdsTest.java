package io.github.dpsplugin.core.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.id.RegistrationId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two devices with one UDS would get the same DeviceID key: refused before anything is published. */
class SharedUdsTest {

    @TempDir
    Path tmp;

    private static final String HEX = HexFormat.of().formatHex(OutputFixture.UDS);

    @Test
    void twoLinesOfAUdsFileWithOneValueAreRefusedNamingBothDevices() throws IOException {
        for (int threads : new int[] {1, 3}) {
            Path out = tmp.resolve("out-" + threads);
            Path devices = tmp.resolve("devices.csv");
            StringBuilder csv = new StringBuilder("registrationId\n");
            StringBuilder udsLines = new StringBuilder("registrationId,uds\n");
            for (int i = 0; i < 40; i++) {
                csv.append("dev-").append(i).append('\n');
                // dev-37 repeats dev-5's UDS
                udsLines.append("dev-").append(i).append(',').append(hex(i == 37 ? "dev-5" : "dev-" + i)).append('\n');
            }
            Files.writeString(devices, csv);
            Path uds = tmp.resolve("uds.csv");
            Files.writeString(uds, udsLines);
            DpsException e;
            try (UdsFile secrets = UdsFile.read(uds)) {
                BatchRequest request = BatchRequest.builder().firmware(FirmwareFiles.of(OutputFixture.BIN_A, OutputFixture.MAP_A, null))
                        .threads(threads).archive(true).outputDirectory(out)
                        .devicesFile(devices, "2.0.0", secrets::lookup).build();
                e = assertThrows(DpsException.class, () -> BatchGenerator.run(request, BatchListener.NONE));
            }
            assertEquals(DpsException.Kind.INPUT, e.kind());
            assertTrue(e.getMessage().contains("device 'dev-37' (devices.csv:39): uds: is the same as the UDS of"
                    + " device 'dev-5' (devices.csv:7); each device has a UDS of its own (two devices with one UDS get the"
                    + " same DeviceID key). Check the UDS file or the udsServerId/udsEnv of these devices"),
                    e.getMessage());
            assertFalse(e.getMessage().contains(hex("dev-5")), "the UDS is never echoed");
            assertFalse(Files.exists(out), "nothing is published");
        }
    }

    @Test
    void oneUdsSourceForSeveralPomDevicesIsRefusedUnlessAllowed() {
        BatchRequest.Builder b = BatchRequest.builder().firmware(FirmwareFiles.of(OutputFixture.BIN_A, OutputFixture.MAP_A, null))
                .outputDirectory(tmp.resolve("out"));
        for (String id : new String[] {"devkit-a", "devkit-b", "devkit-c"}) {
            b.device(DeviceSpec.of(RegistrationId.of(id), OutputFixture.uds()));
        }
        DpsException e = assertThrows(DpsException.class, () -> BatchGenerator.run(b.build(), BatchListener.NONE));
        // the two refusals differ only in the device, so they are one line naming both
        assertTrue(e.getMessage().contains("2 devices: uds: is the same as the UDS of device 'devkit-a';"),
                e.getMessage());
        assertTrue(e.getMessage().contains("('devkit-b', 'devkit-c')"), e.getMessage());
        assertFalse(e.getMessage().contains(HEX));
        assertFalse(Files.exists(tmp.resolve("out")));
        // a test fleet reproducing reference vectors may share one deliberately
        assertEquals(3, BatchGenerator.run(b.sharedUdsAllowed(true).build(), BatchListener.NONE).deviceCount());
    }

    private static String hex(String id) {
        return HexFormat.of().formatHex(OutputFixture.uds(id).open().copyBytes());
    }
}
