package io.github.dpsplugin.core.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.DpsException;
import io.github.dpsplugin.core.Vectors;
import io.github.dpsplugin.core.dice.Uds;
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
            BatchRequest.Builder b = BatchRequest.builder().firmware(BIN, MAP).threads(threads)
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
        BatchRequest request = BatchRequest.builder().firmware(BIN, MAP).threads(2).outputDirectory(tmp.resolve("out"))
                .device(DeviceSpec.of(RegistrationId.of("dev-1"), source))
                .device(DeviceSpec.of(RegistrationId.of("dev-2"), source))
                .device(DeviceSpec.of(RegistrationId.of("dev-1"), source))
                .build();
        assertThrows(DpsException.class, () -> BatchGenerator.run(request, BatchListener.NONE));
        assertEquals(3, source.opened.size());
        source.opened.forEach(BatchGeneratorTest::assertCleared);
        assertFalse(Files.exists(tmp.resolve("out")), "a failed run that created the directory removes it");
    }

    @Test
    void aFleetOfOneRepeatedIdStopsCollectingErrorsEarly() throws IOException {
        // every line after the first collides with it: the run must not keep one error per line
        Path devices = tmp.resolve("devices.csv");
        StringBuilder sb = new StringBuilder("registrationId\n");
        for (int i = 0; i < 20_000; i++) {
            sb.append("same-device\n");
        }
        Files.writeString(devices, sb);
        Recording source = new Recording();
        BatchRequest request = BatchRequest.builder().firmware(BIN, MAP).threads(2).outputDirectory(tmp.resolve("out"))
                .devicesFile(devices, null, id -> source).build();
        DpsException e = assertThrows(DpsException.class, () -> BatchGenerator.run(request, BatchListener.NONE));
        assertTrue(e.getMessage().startsWith("devices: more than " + BatchGenerator.MAX_LISTED_ERRORS
                + " devices are in error; nothing was written:"), e.getMessage());
        assertTrue(e.getMessage().contains("device 'same-device': registrationId: 'same-device' is listed more than"
                + " once"), e.getMessage());
        // it stopped soon after the 21st error: at most one window of devices (2 threads) beyond it
        assertTrue(source.opened.size() < 2 * BatchGenerator.WINDOW_PER_THREAD + BatchGenerator.MAX_LISTED_ERRORS + 2,
                "opened " + source.opened.size());
        source.opened.forEach(BatchGeneratorTest::assertCleared);
    }

    @Test
    void anOutputDirectoryThatIsAFileIsLeftAlone() throws IOException {
        Path file = Files.writeString(tmp.resolve("certs"), "not a directory");
        BatchRequest request = BatchRequest.builder().firmware(BIN, MAP).outputDirectory(file)
                .device(DeviceSpec.of(RegistrationId.of("dev-1"), new Recording())).build();
        DpsException e = assertThrows(DpsException.class, () -> BatchGenerator.run(request, BatchListener.NONE));
        assertEquals("outputDirectory: " + file + " exists and is not a directory; expected a directory for the"
                + " certificates (it is created if missing)", e.getMessage());
        assertEquals("not a directory", Files.readString(file));
    }
}
