package io.github.dpsplugin.core.fleet;

import static io.github.dpsplugin.core.fleet.BatchGeneratorTest.BIN;
import static io.github.dpsplugin.core.fleet.BatchGeneratorTest.MAP;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.dice.UdsSource;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The devices are read and validated once, while the certificates are computed, and bad input still publishes nothing. */
class OnePassTest {

    @TempDir
    Path tmp;

    private Path devicesFile(int n, String lastLine) throws IOException {
        StringBuilder sb = new StringBuilder("macAddress\n");
        for (int i = 0; i < n; i++) {
            sb.append(String.format(Locale.ROOT, "c89346%06x%n", i));
        }
        if (lastLine != null) {
            sb.append(lastLine).append('\n');
        }
        return Files.writeString(tmp.resolve("devices.csv"), sb);
    }

    private static BatchRequest.Builder request(Path devices, Function<String, UdsSource> lookup, Path out) {
        return BatchRequest.builder().firmware(FirmwareFiles.of(BIN, MAP, null)).threads(2).archive(true).outputDirectory(out)
                .devicesFile(devices, "2.0.0", lookup);
    }

    @Test
    void eachDeviceIsLookedUpOnce() throws IOException {
        Path devices = devicesFile(1_500, null);
        AtomicInteger lookups = new AtomicInteger();
        BatchGeneratorTest.Recording source = new BatchGeneratorTest.Recording();
        BatchResult r = BatchGenerator.run(request(devices, id -> {
            lookups.incrementAndGet();
            return source;
        }, tmp.resolve("out")).build(), BatchListener.NONE);
        assertEquals(1_500, r.deviceCount());
        assertEquals(1_500, lookups.get(), "one pass over the devices file");
    }

    @Test
    void aBadLineAfterGenerationBeganPublishesNothing() throws IOException {
        // past the read-ahead and many chunks: computing has begun when the bad line is read
        Path devices = devicesFile(3_000, "not-a-mac");
        Path out = tmp.resolve("out");
        BatchGeneratorTest.Recording source = new BatchGeneratorTest.Recording();
        DpsException e = assertThrows(DpsException.class,
                () -> BatchGenerator.run(request(devices, id -> source, out).build(), BatchListener.NONE));
        assertTrue(e.getMessage().startsWith("device devices.csv:3002: macAddress: 'not-a-mac' is not a MAC address"),
                e.getMessage());
        assertFalse(Files.exists(out), "nothing published");
        source.opened.forEach(BatchGeneratorTest::assertCleared);
    }

    @Test
    void aBadLineIsReportedBeforeTheFirmwareIsRead() throws IOException {
        Path devices = devicesFile(2_000, "zz");
        Path out = tmp.resolve("out");
        BatchGeneratorTest.Recording source = new BatchGeneratorTest.Recording();
        // a firmware that cannot be read: the devices file's error is still the one reported
        BatchRequest request = BatchRequest.builder().firmware(FirmwareFiles.of(tmp.resolve("missing.bin"), MAP, null)).threads(2)
                .archive(true).outputDirectory(out).devicesFile(devices, "2.0.0", id -> source).build();
        DpsException e = assertThrows(DpsException.class, () -> BatchGenerator.run(request, BatchListener.NONE));
        assertTrue(e.getMessage().startsWith("device devices.csv:2002: macAddress: 'zz'"), e.getMessage());
        assertEquals(0, source.opened.size(), "no computation: the error was found before the firmware was read");
        assertFalse(Files.exists(out));
    }

    @Test
    void aRepeatedIdAfterGenerationBeganNamesBothPositionsAndEveryErrorIsCounted() throws IOException {
        StringBuilder sb = new StringBuilder("macAddress\n");
        for (int i = 0; i < 3_000; i++) {
            sb.append(String.format(Locale.ROOT, "c89346%06x%n", i));
        }
        sb.append("c89346000005\n"); // line 3002: the device of line 7 again
        for (int i = 0; i < 30; i++) {
            sb.append("zz\n");
        }
        Path devices = Files.writeString(tmp.resolve("devices.csv"), sb);
        Path out = tmp.resolve("out");
        BatchGeneratorTest.Recording source = new BatchGeneratorTest.Recording();
        DpsException e = assertThrows(DpsException.class,
                () -> BatchGenerator.run(request(devices, id -> source, out).build(), BatchListener.NONE));
        String m = e.getMessage();
        assertTrue(m.startsWith("devices: 31 devices are in error; nothing was written:"), m);
        assertTrue(m.contains("device 'az-c89346000005v2v0v0' (devices.csv:3002): registrationId:"
                + " 'az-c89346000005v2v0v0' is listed more than once (also device 'az-c89346000005v2v0v0'"
                + " (devices.csv:7))"), m);
        assertTrue(m.contains("30 devices: macAddress: 'zz' is not a MAC address"), m);
        assertFalse(Files.exists(out), "nothing published");
        source.opened.forEach(BatchGeneratorTest::assertCleared);
    }

    @Test
    void progressGivesAnEstimatedTotalWhileTheFileIsRead() throws IOException {
        Path devices = devicesFile(4_000, null);
        BatchGeneratorTest.Recording source = new BatchGeneratorTest.Recording();
        List<long[]> seen = new ArrayList<>();
        BatchGenerator.run(request(devices, id -> source, tmp.resolve("out")).progressIntervalMillis(0).build(),
                new BatchListener() {
                    @Override
                    public void progress(long done, long total, long elapsedNanos) {
                        seen.add(new long[] {done, total});
                    }
                });
        assertFalse(seen.isEmpty());
        for (long[] s : seen) {
            assertTrue(s[1] >= s[0] && Math.abs(s[1] - 4_000) <= 40, s[0] + " of " + s[1]);
        }
    }

    /** A UDS of its own for each ID, the same in every run. */
    private static UdsSource udsOf(String id) {
        return () -> {
            try {
                return Uds.fromBytes(MessageDigest.getInstance("SHA-256").digest(id.getBytes(StandardCharsets.UTF_8)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    @Test
    void theWarmUpStopsWhenARunStartsAndChangesNoByte() throws Exception {
        Path devices = devicesFile(1_200, null);
        BatchGenerator.run(request(devices, OnePassTest::udsOf, tmp.resolve("cold")).build(), BatchListener.NONE);
        WarmUp.start();
        BatchGenerator.run(request(devices, OnePassTest::udsOf, tmp.resolve("warm")).build(), BatchListener.NONE);
        for (String f : new String[] {"dps-manifest.json", "dps-certificates.zip", "az-c89346000000v2v0v0.pem"}) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("cold").resolve(f)),
                    Files.readAllBytes(tmp.resolve("warm").resolve(f)), f);
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (warmUpThreadAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertFalse(warmUpThreadAlive(), "the warm-up stops once a run generates");
    }

    private static boolean warmUpThreadAlive() {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("dps-warm-up"));
    }
}
