package io.github.dpsplugin.core.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.Vectors;
import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.dice.UdsSource;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.fleet.BatchGenerator;
import io.github.dpsplugin.core.fleet.BatchListener;
import io.github.dpsplugin.core.fleet.BatchRequest;
import io.github.dpsplugin.core.fleet.DeviceSpec;
import io.github.dpsplugin.core.id.RegistrationId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A fleet checked on several threads gives the reports of one thread, byte for byte and in the same
 * order, and the same error when a check fails: the checks run on the workers (named
 * {@code dps-verify-N}), the reports come out in the order the certificates were read.
 */
class VerifierThreadsTest {

    /** More than a window of chunks on three threads, with a partial last chunk. */
    static final int DEVICES = OrderedChecks.CHUNK * OrderedChecks.CHUNKS_PER_THREAD * 3 + 17;

    @TempDir
    Path tmp;

    private Path manifest;

    private static String id(int i) {
        return String.format(Locale.ROOT, "threads-%03d", i);
    }

    private static String uds(int i) {
        return String.format(Locale.ROOT, "%064x", i + 1);
    }

    private static FirmwareFiles fwA() {
        return FirmwareFiles.of(Vectors.file("firmware/fw-a.ino.bin"), Vectors.file("firmware/fw-a.ino.map"), null);
    }

    /**
     * The fleet as generate writes it, then three files changed: another device's certificate under
     * device 7's name, text that is no certificate for device 40, and device 130 left without a UDS.
     */
    @BeforeEach
    void fleet() throws Exception {
        Path out = tmp.resolve("dps");
        BatchRequest.Builder b = BatchRequest.builder().firmware(fwA()).outputDirectory(out);
        for (int i = 0; i < DEVICES; i++) {
            String hex = uds(i);
            b.device(DeviceSpec.of(RegistrationId.of(id(i)), () -> Uds.fromHex(hex)));
        }
        BatchGenerator.run(b.build(), BatchListener.NONE);
        manifest = out.resolve("dps-manifest.json");
        Files.copy(out.resolve(id(8) + ".pem"), out.resolve(id(7) + ".pem"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(out.resolve(id(40) + ".pem"), "not a certificate\n");
    }

    private VerifyRequest request(int threads, Function<String, UdsSource> lookup) {
        return VerifyRequest.builder().firmware(fwA()).manifest(manifest).threads(threads)
                .udsLookup(lookup, "the test's UDS map").build();
    }

    /** Every device's UDS but device 130's; each opening records the thread it ran on. */
    private static Function<String, UdsSource> lookup(Set<String> threads) {
        return id -> {
            int i = Integer.parseInt(id.substring("threads-".length()));
            if (i == 130) {
                return null;
            }
            return () -> {
                threads.add(Thread.currentThread().getName());
                return Uds.fromHex(uds(i));
            };
        };
    }

    @Test
    void threeThreadsReportWhatOneReports() throws Exception {
        Set<String> oneThread = ConcurrentHashMap.newKeySet();
        Set<String> threeThreads = ConcurrentHashMap.newKeySet();
        List<String> orderOne = new ArrayList<>();
        List<String> orderThree = new ArrayList<>();
        VerifyReport one = Verifier.run(request(1, lookup(oneThread)), tmp.resolve("one"), c -> orderOne.add(c.label()));
        VerifyReport three = Verifier.run(request(3, lookup(threeThreads)), tmp.resolve("three"),
                c -> orderThree.add(c.label()));

        assertEquals(Set.of(Thread.currentThread().getName()), oneThread);
        assertTrue(threeThreads.size() > 1 && threeThreads.stream().allMatch(t -> t.startsWith("dps-verify-")),
                threeThreads::toString);
        assertEquals(DEVICES, orderOne.size());
        assertEquals(orderOne, orderThree);
        for (int i = 0; i < DEVICES; i++) {
            assertEquals(id(i) + ".pem", orderOne.get(i));
        }
        for (String file : List.of(VerifyReport.TEXT_FILE, VerifyReport.JSON_FILE)) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("one").resolve(file)),
                    Files.readAllBytes(tmp.resolve("three").resolve(file)), file);
        }
        assertEquals(one.count(), three.count());
        assertEquals(2, three.failedCount());
        String text = Files.readString(tmp.resolve("three").resolve(VerifyReport.TEXT_FILE));
        assertTrue(text.startsWith("DPS certificate verification: " + DEVICES + " certificates: " + (DEVICES - 3)
                + " recomputed, 1 consistent, 2 mismatch\n"), text.lines().findFirst().orElse(""));
    }

    /** A UDS that cannot be read fails the run with its own error, whatever the threads; no report is left. */
    @Test
    void aFailingCheckIsTheRunsErrorOnAnyThreadCount() {
        Function<String, UdsSource> failing = id -> {
            int i = Integer.parseInt(id.substring("threads-".length()));
            if (i == 150 || i == 300) {
                return () -> {
                    throw new DpsException("udsFile", "the UDS of " + id + " cannot be read");
                };
            }
            return () -> Uds.fromHex(uds(i));
        };
        for (int threads : new int[] {1, 2, 3}) {
            Path dir = tmp.resolve("failing-" + threads);
            List<String> seen = new ArrayList<>();
            DpsException e = assertThrows(DpsException.class,
                    () -> Verifier.run(request(threads, failing), dir, c -> seen.add(c.label())));
            assertEquals("udsFile: the UDS of threads-150 cannot be read", e.getMessage(), "threads " + threads);
            assertEquals(150, seen.size(), "the reports before it, in order, threads " + threads);
            assertFalse(Files.exists(dir.resolve(VerifyReport.TEXT_FILE)), "threads " + threads);
        }
    }

    /**
     * A certificate the manifest lists but that cannot be read, after one whose check fails: the check's
     * error comes first, as when each certificate is checked before the next is read.
     */
    @Test
    void aCheckBeforeAReadErrorComesFirst() throws Exception {
        Files.delete(tmp.resolve("dps").resolve(id(DEVICES - 1) + ".pem"));
        Function<String, UdsSource> failing = id -> {
            int i = Integer.parseInt(id.substring("threads-".length()));
            return i == DEVICES - 20 ? () -> {
                throw new DpsException("udsFile", "the UDS of " + id + " cannot be read");
            } : () -> Uds.fromHex(uds(i));
        };
        for (int threads : new int[] {1, 3}) {
            DpsException e = assertThrows(DpsException.class,
                    () -> Verifier.run(request(threads, failing), tmp.resolve("r" + threads), c -> { }));
            assertEquals("udsFile: the UDS of " + id(DEVICES - 20) + " cannot be read", e.getMessage(),
                    "threads " + threads);
        }
        // without that error, the missing file is the run's error, on any thread count
        DpsException one = assertThrows(DpsException.class,
                () -> Verifier.run(request(1, lookup(ConcurrentHashMap.newKeySet())), tmp.resolve("m1"), c -> { }));
        DpsException three = assertThrows(DpsException.class,
                () -> Verifier.run(request(3, lookup(ConcurrentHashMap.newKeySet())), tmp.resolve("m3"), c -> { }));
        assertEquals(one.getMessage(), three.getMessage());
        assertTrue(one.getMessage().contains(id(DEVICES - 1) + ".pem"), one.getMessage());
    }

    @Test
    void noThreadIsRefused() {
        DpsException e = assertThrows(DpsException.class, () -> request(0, id -> null));
        assertEquals("threads: 0 is not a thread count; expected 1 or more", e.getMessage());
    }
}
