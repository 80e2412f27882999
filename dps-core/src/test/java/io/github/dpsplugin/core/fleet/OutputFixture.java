package io.github.dpsplugin.core.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.Vectors;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.dice.UdsSource;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.output.StagedOutput;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** Runs of the generator for the output tests, snapshots of directories, and failing storages. */
final class OutputFixture {

    static final Path BIN_A = Vectors.file("firmware/fw-a.ino.bin");
    static final Path MAP_A = Vectors.file("firmware/fw-a.ino.map");
    static final Path BIN_B = Vectors.file("firmware/fw-b.ino.bin");
    static final Path MAP_B = Vectors.file("firmware/fw-b.ino.map");
    static final byte[] UDS = HexFormat.of().parseHex("0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");

    private OutputFixture() {
    }

    static UdsSource uds() {
        return () -> Uds.fromBytes(UDS);
    }

    /** A UDS of its own for device {@code id} (several devices with one UDS are refused). */
    static UdsSource uds(String id) {
        byte[] b;
        try {
            b = java.security.MessageDigest.getInstance("SHA-256").digest(
                    ("test uds " + id).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        return () -> Uds.fromBytes(b);
    }

    /** A request for devices {@code ids} of firmware a or b, archive and enrollment script on. */
    static BatchRequest.Builder request(Path out, boolean firmwareB, String... ids) {
        BatchRequest.Builder b = BatchRequest.builder().firmware(FirmwareFiles.of(firmwareB ? BIN_B : BIN_A, firmwareB ? MAP_B : MAP_A, null))
                .threads(2).archive(true).enrollment(true, "dps", "rg").outputDirectory(out);
        for (String id : ids) {
            b.device(DeviceSpec.of(RegistrationId.of(id), uds(id)));
        }
        return b;
    }

    static List<String> ids(String prefix, int n) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(prefix + i);
        }
        return ids;
    }

    /** Every file under {@code dir} (hidden ones too) by relative path, with its bytes. */
    static Map<String, byte[]> snapshot(Path dir) {
        Map<String, byte[]> m = new TreeMap<>();
        if (!Files.exists(dir)) {
            return m;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.filter(Files::isRegularFile).forEach(p -> {
                try {
                    m.put(dir.relativize(p).toString(), Files.readAllBytes(p));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return m;
    }

    static void assertSameContent(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertTrue(java.util.Arrays.equals(v, actual.get(k)), k + " changed"));
    }

    /** No staging directory, journal or lock of the plugin left in {@code out} or beside it. */
    static void assertNoDebris(Path out) throws IOException {
        for (Path dir : new Path[] {out, out.toAbsolutePath().getParent()}) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                List<String> debris = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".dps-")).toList();
                assertEquals(List.of(), debris, "debris in " + dir);
            }
        }
    }

    /** No worker or writer thread of the generator is alive. */
    static void assertNoWorkerThreads() {
        // a pool is terminated once its last worker has left its task loop; that thread may still be
        // on its way out for a moment. One still alive after 10 s is stuck in a task: that is the failure.
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (isWorker(t)) {
                try {
                    t.join(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted while waiting for " + t.getName(), e);
                }
            }
        }
        List<String> alive = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(OutputFixture::isWorker).map(Thread::getName).toList();
        assertEquals(List.of(), alive);
    }

    private static boolean isWorker(Thread t) {
        return t.getName().startsWith("dps-generate-") || t.getName().startsWith("dps-write-");
    }

    /** A file system that fills up: writing beyond {@code capacity} bytes in all fails like a full disk. */
    static final class FullDisk implements StagedOutput.Storage {
        final long capacity;
        final AtomicLong used = new AtomicLong();
        final AtomicInteger failures = new AtomicInteger();

        FullDisk(long capacity) {
            this.capacity = capacity;
        }

        @Override
        public OutputStream create(Path file) throws IOException {
            return new FilterOutputStream(Files.newOutputStream(file)) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    if (used.addAndGet(len) > capacity) {
                        failures.incrementAndGet();
                        throw new IOException("No space left on device");
                    }
                    out.write(b, off, len);
                }

                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }
            };
        }

        @Override
        public void move(Path source, Path target) throws IOException {
            FILES.move(source, target);
        }
    }

    /** Moves fail from the {@code n}-th on (1-based), like a file that cannot be replaced. */
    static final class FailingMove implements StagedOutput.Storage {
        final int failFrom;
        final AtomicInteger moves = new AtomicInteger();

        FailingMove(int failFrom) {
            this.failFrom = failFrom;
        }

        @Override
        public OutputStream create(Path file) throws IOException {
            return FILES.create(file);
        }

        @Override
        public void move(Path source, Path target) throws IOException {
            if (moves.incrementAndGet() == failFrom) {
                throw new java.nio.file.AccessDeniedException(target.toString(), null, "file in use");
            }
            FILES.move(source, target);
        }
    }
}
