package io.github.dpsplugin.core.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.common.DpsException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two runs publishing into one output directory at once: one run paused halfway through moving
 * its files while the other runs. The directory must end up holding one whole run (manifest,
 * archive and every certificate from the same run), never a mix.
 */
class ConcurrentPublishTest {

    /**
     * Each run on a thread of its own: the common pool may have one thread on a 2-core machine
     * (JDK 25 uses it even then), and a paused run would keep the other from ever starting.
     */
    private static final Executor OWN_THREAD = r -> {
        Thread t = new Thread(r, "run");
        t.setDaemon(true);
        t.start();
    };

    static final int DEVICES = 20;

    @TempDir
    Path tmp;

    /** A run's outputs: every file says which run wrote it. */
    static void stage(StagedOutput out, String run) {
        StringBuilder manifest = new StringBuilder("{\"run\":\"" + run + "\",\"devices\":[");
        for (int i = 0; i < DEVICES; i++) {
            out.write("dev-" + i + ".pem", (run + " dev-" + i).getBytes(StandardCharsets.UTF_8));
            manifest.append(i == 0 ? "" : ",").append("{\"aliasCertificate\":\"dev-").append(i).append(".pem\"}");
        }
        out.write(CertificateArchive.FILE_NAME, (run + " archive").getBytes(StandardCharsets.UTF_8));
        out.write(ManifestWriter.FILE_NAME, manifest.append("]}").toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Which run wrote each output file; fails on debris of the plugin in the directory or beside it. */
    static Map<String, String> runs(Path dir) throws IOException {
        Map<String, String> runs = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String text = Files.readString(p);
                String name = p.getFileName().toString();
                runs.put(name, name.equals(ManifestWriter.FILE_NAME) ? text.substring(8, 9) : text.substring(0, 1));
            }
        }
        for (Path d : new Path[] {dir, dir.getParent()}) {
            try (Stream<Path> s = Files.list(d)) {
                assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".dps-"))
                        .toList(), "debris in " + d);
            }
        }
        return runs;
    }

    /** A storage that stops before its {@code at}-th move until {@code resume} opens. */
    static final class Pausing implements StagedOutput.Storage {
        final CountDownLatch paused = new CountDownLatch(1);
        final CountDownLatch resume = new CountDownLatch(1);
        final AtomicInteger moves = new AtomicInteger();
        final int at;

        Pausing(int at) {
            this.at = at;
        }

        @Override
        public OutputStream create(Path file) throws IOException {
            return FILES.create(file);
        }

        @Override
        public void move(Path source, Path target) throws IOException {
            if (moves.incrementAndGet() == at) {
                paused.countDown();
                try {
                    resume.await();
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            FILES.move(source, target);
        }
    }

    private Path previousRun() throws IOException {
        Path out = tmp.resolve("out");
        try (StagedOutput o = StagedOutput.open(out)) {
            stage(o, "P");
            o.publish();
        }
        return out;
    }

    @Test
    void aSecondRunWaitsWhileTheFirstIsHalfwayThroughItsPublish() throws Exception {
        Path out = previousRun();
        Pausing pausing = new Pausing(DEVICES / 2);
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> {
            try (StagedOutput o = StagedOutput.open(out, pausing, w -> { })) {
                stage(o, "A");
                o.publish();
            }
        }, OWN_THREAD);
        assertTrue(pausing.paused.await(30, TimeUnit.SECONDS));
        List<String> warningsOfB = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> {
            try (StagedOutput o = StagedOutput.open(out, StagedOutput.Storage.FILES, warningsOfB::add)) {
                stage(o, "B");
                o.publish();
            }
        }, OWN_THREAD);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (warningsOfB.isEmpty() && !b.isDone() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertFalse(b.isDone(), "run B finished while run A was halfway through publishing");
        assertTrue(warningsOfB.get(0).startsWith("another run in this build (pid " + ProcessHandle.current().pid()
                + ", since "), warningsOfB.toString());
        assertTrue(warningsOfB.get(0).endsWith(") is writing into " + out + " (it holds "
                + tmp.resolve(".dps-lock-out") + "); waiting for it to finish"), warningsOfB.toString());
        pausing.resume.countDown();
        a.get(30, TimeUnit.SECONDS);
        b.get(30, TimeUnit.SECONDS);
        Map<String, String> runs = runs(out);
        assertEquals(DEVICES + 2, runs.size());
        assertEquals(List.of("B"), runs.values().stream().distinct().toList(), runs.toString());
    }

    @Test
    void aRunThatWaitedLongEnoughFailsNamingTheLockFileAndChangesNothing() throws Exception {
        Path out = previousRun();
        Pausing pausing = new Pausing(3);
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> {
            try (StagedOutput o = StagedOutput.open(out, pausing, w -> { })) {
                stage(o, "A");
                o.publish();
            }
        }, OWN_THREAD);
        assertTrue(pausing.paused.await(30, TimeUnit.SECONDS));
        DpsException e = assertThrows(DpsException.class,
                () -> StagedOutput.open(out, StagedOutput.Storage.FILES, w -> { }, Duration.ofMillis(200)));
        assertEquals(DpsException.Kind.ENVIRONMENT, e.kind());
        assertTrue(e.getMessage().matches("outputDirectory: another run in this build \\(pid [0-9]+, since [^)]+\\) is"
                + " still writing into \\Q" + out + "\\E after 200 ms \\(it holds the lock file \\Q"
                + tmp.resolve(".dps-lock-out") + "\\E\\); nothing was changed\\. Run the builds one after the other,"
                + " or give them different output directories"), e.getMessage());
        pausing.resume.countDown();
        a.get(30, TimeUnit.SECONDS);
        assertEquals(List.of("A"), runs(out).values().stream().distinct().toList());
    }

    @Test
    void aFirstRunIntoAMissingDirectoryAndASecondOneAreSerialisedToo() throws Exception {
        Path out = tmp.resolve("fresh");
        CountDownLatch staged = new CountDownLatch(1);
        CountDownLatch go = new CountDownLatch(1);
        CompletableFuture<Void> a = CompletableFuture.runAsync(() -> {
            try (StagedOutput o = StagedOutput.open(out)) {
                stage(o, "A");
                staged.countDown();
                go.await();
                o.publish();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }, OWN_THREAD);
        assertTrue(staged.await(30, TimeUnit.SECONDS));
        List<String> warningsOfB = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> b = CompletableFuture.runAsync(() -> {
            try (StagedOutput o = StagedOutput.open(out, StagedOutput.Storage.FILES, warningsOfB::add)) {
                stage(o, "B");
                o.publish();
            }
        }, OWN_THREAD);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (warningsOfB.isEmpty() && !b.isDone() && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertFalse(b.isDone());
        go.countDown();
        a.get(30, TimeUnit.SECONDS);
        b.get(30, TimeUnit.SECONDS);
        assertEquals(List.of("B"), runs(out).values().stream().distinct().toList());
    }

    @Test
    void anotherJvmHalfwayThroughItsPublishIsWaitedForAndItsKilledRunCompleted() throws Exception {
        Path out = previousRun();
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process child = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                ConcurrentPublishChild.class.getName(), out.toString(), "5").redirectErrorStream(true).start();
        try {
            BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            String line;
            while ((line = r.readLine()) != null && !line.equals("BLOCKED")) {
                lines.add(line);
            }
            assertEquals("BLOCKED", line, lines.toString());
            DpsException e = assertThrows(DpsException.class,
                    () -> StagedOutput.open(out, StagedOutput.Storage.FILES, w -> { }, Duration.ofMillis(300)));
            assertTrue(e.getMessage().startsWith("outputDirectory: another build (pid " + child.pid() + ", since "),
                    e.getMessage());
            assertTrue(e.getMessage().contains("(it holds the lock file " + tmp.resolve(".dps-lock-out") + ")"),
                    e.getMessage());
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        }
        List<String> warnings = new ArrayList<>();
        try (StagedOutput o = StagedOutput.open(out, StagedOutput.Storage.FILES, warnings::add)) {
            stage(o, "B");
            o.publish();
        }
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("completed the publishing of an earlier run")),
                warnings.toString());
        assertEquals(List.of("B"), runs(out).values().stream().distinct().toList());
    }
}
