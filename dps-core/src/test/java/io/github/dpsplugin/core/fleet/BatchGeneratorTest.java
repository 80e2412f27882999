package io.github.dpsplugin.core.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.Vectors;
import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.dice.UdsSource;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.id.RegistrationId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchGeneratorTest {

    static final Path BIN = Vectors.file("firmware/fw-a.ino.bin");
    static final Path MAP = Vectors.file("firmware/fw-a.ino.map");
    static final byte[] UDS = HexFormat.of().parseHex("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

    @TempDir
    Path tmp;

    /** A UDS source that remembers every Uds it handed out, each a different one. */
    static final class Recording implements UdsSource {
        final List<Uds> opened = new CopyOnWriteArrayList<>();
        final java.util.concurrent.atomic.AtomicInteger count = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public Uds open() {
            byte[] b = UDS.clone();
            int n = count.incrementAndGet();
            b[0] ^= (byte) n;
            b[1] ^= (byte) (n >> 8);
            b[2] ^= (byte) (n >> 16);
            Uds u = Uds.fromBytes(b);
            opened.add(u);
            return u;
        }
    }

    static void assertCleared(Uds u) {
        // a closed Uds has overwritten its bytes and refuses to hand them out
        assertThrows(IllegalStateException.class, u::copyBytes);
    }

    @Test
    void everyUdsIsClearedAfterUseOnAnyThreadCount() {
        for (int threads : new int[] {1, 3}) {
            Recording source = new Recording();
            BatchRequest.Builder b = BatchRequest.builder().firmware(FirmwareFiles.of(BIN, MAP, null)).threads(threads)
                    .outputDirectory(tmp.resolve("out-" + threads));
            for (int i = 0; i < 10; i++) {
                b.device(DeviceSpec.of(RegistrationId.of("dev-" + i), source));
            }
            BatchGenerator.run(b.build(), BatchListener.NONE);
            assertEquals(10, source.opened.size());
            source.opened.forEach(BatchGeneratorTest::assertCleared);
        }
    }

    @Test
    void everyUdsIsClearedWhenTheRunFails() {
        Recording source = new Recording();
        BatchRequest request = BatchRequest.builder().firmware(FirmwareFiles.of(BIN, MAP, null)).threads(2).outputDirectory(tmp.resolve("out"))
                .device(DeviceSpec.of(RegistrationId.of("dev-1"), source))
                .device(DeviceSpec.of(RegistrationId.of("dev-2"), source))
                .device(DeviceSpec.of(RegistrationId.of("dev-3"), () -> {
                    throw new DpsException("udsEnv", "the environment variable is not set");
                }))
                .device(DeviceSpec.of(RegistrationId.of("dev-4"), source))
                .build();
        assertThrows(DpsException.class, () -> BatchGenerator.run(request, BatchListener.NONE));
        // the three good devices' UDS values were read (twice: a chunk with a failing device is computed again one by one)
        assertTrue(source.opened.size() >= 3, "opened " + source.opened.size());
        source.opened.forEach(BatchGeneratorTest::assertCleared);
        assertFalse(Files.exists(tmp.resolve("out")), "a failed run that created the directory removes it");
    }

    @Test
    void aFleetOfOneRepeatedIdIsOneLineWithTheTotalAndBothPositions() throws IOException {
        // every line after the first repeats it: one line says how many, names the first line and a few repeats
        Path devices = tmp.resolve("devices.csv");
        StringBuilder sb = new StringBuilder("registrationId\n");
        for (int i = 0; i < 20_000; i++) {
            sb.append("same-device\n");
        }
        Files.writeString(devices, sb);
        Recording source = new Recording();
        BatchRequest request = BatchRequest.builder().firmware(FirmwareFiles.of(BIN, MAP, null)).threads(2).outputDirectory(tmp.resolve("out"))
                .devicesFile(devices, null, id -> source).build();
        DpsException e = assertThrows(DpsException.class, () -> BatchGenerator.run(request, BatchListener.NONE));
        assertEquals("devices: 19999 devices are in error; nothing was written:\n  19999 devices: registrationId:"
                + " 'same-device' is listed more than once (also device 'same-device' (devices.csv:2)); each device needs"
                + " its own registration ID ('same-device' (devices.csv:3), 'same-device' (devices.csv:4), 'same-device'"
                + " (devices.csv:5) and 19996 more)", e.getMessage());
        // found before any certificate: no UDS was read
        assertEquals(0, source.opened.size());
    }

    @Test
    void aRepeatedIdNamesBothPositionsInThePomAndTheDevicesFile() throws IOException {
        Path devices = tmp.resolve("devices.csv");
        Files.writeString(devices, "registrationId\ndev-2\ndev-9\n");
        Recording source = new Recording();
        BatchRequest request = BatchRequest.builder().firmware(FirmwareFiles.of(BIN, MAP, null)).outputDirectory(tmp.resolve("out"))
                .device(DeviceSpec.parse("#1 of <devices>", "dev-9", null, null, source))
                .device(DeviceSpec.parse("#2 of <devices>", "dev-1", null, null, source))
                .device(DeviceSpec.parse("#3 of <devices>", "dev-1", null, null, source))
                .devicesFile(devices, null, id -> source).build();
        DpsException e = assertThrows(DpsException.class, () -> BatchGenerator.run(request, BatchListener.NONE));
        assertEquals("devices: 2 devices are in error; nothing was written:\n"
                + "  device 'dev-1' (#3 of <devices>): registrationId: 'dev-1' is listed more than once (also device"
                + " 'dev-1' (#2 of <devices>)); each device needs its own registration ID\n"
                + "  device 'dev-9' (devices.csv:3): registrationId: 'dev-9' is listed more than once (also device"
                + " 'dev-9' (#1 of <devices>)); each device needs its own registration ID", e.getMessage());
        assertFalse(Files.exists(tmp.resolve("out")));
    }

    @Test
    void aThousandDevicesWithoutAVersionAreOneLineWithTheFixOnce() throws IOException {
        Path devices = tmp.resolve("devices.csv");
        StringBuilder sb = new StringBuilder("macAddress\n");
        for (int i = 0; i < 1000; i++) {
            sb.append(String.format(java.util.Locale.ROOT, "c89346%06x\n", i));
        }
        sb.append("dev-bad-mac-line-is-no-mac\n");
        Files.writeString(devices, sb);
        BatchRequest request = BatchRequest.builder().firmware(FirmwareFiles.of(BIN, MAP, null)).outputDirectory(tmp.resolve("out"))
                .devicesFile(devices, null, id -> new Recording()).build();
        DpsException e = assertThrows(DpsException.class, () -> BatchGenerator.run(request, BatchListener.NONE));
        String[] lines = e.getMessage().split("\n");
        assertEquals(List.of("devices: 1001 devices are in error; nothing was written:",
                "  1000 devices: firmwareVersion: is not set; a device given by macAddress needs the firmware version it"
                        + " reports (N.N.N) to derive its registration ID: give firmwareVersion (the version of every"
                        + " device) or a firmwareVersion column in devices.csv (devices.csv:2 (MAC c8:93:46:00:00:00),"
                        + " devices.csv:3 (MAC c8:93:46:00:00:01), devices.csv:4 (MAC c8:93:46:00:00:02) and 997 more)",
                "  device devices.csv:1002: macAddress: 'dev-bad-mac-line-is-no-mac' is not a MAC address; expected 6"
                        + " bytes in hex such as C8:93:46:4A:1B:2C, c8-93-46-4a-1b-2c or c893464a1b2c"),
                List.of(lines));
    }

    @Test
    void anOutputDirectoryThatIsAFileIsLeftAlone() throws IOException {
        Path file = Files.writeString(tmp.resolve("certs"), "not a directory");
        BatchRequest request = BatchRequest.builder().firmware(FirmwareFiles.of(BIN, MAP, null)).outputDirectory(file)
                .device(DeviceSpec.of(RegistrationId.of("dev-1"), new Recording())).build();
        DpsException e = assertThrows(DpsException.class, () -> BatchGenerator.run(request, BatchListener.NONE));
        assertEquals("outputDirectory: " + file + " exists and is not a directory; expected a directory for the"
                + " certificates (it is created if missing)", e.getMessage());
        assertEquals("not a directory", Files.readString(file));
    }
}
