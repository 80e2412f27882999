package io.github.dpsplugin.core.fleet;

import static io.github.dpsplugin.core.fleet.OutputFixture.assertNoDebris;
import static io.github.dpsplugin.core.fleet.OutputFixture.assertSameContent;
import static io.github.dpsplugin.core.fleet.OutputFixture.ids;
import static io.github.dpsplugin.core.fleet.OutputFixture.request;
import static io.github.dpsplugin.core.fleet.OutputFixture.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.output.StagedOutput;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL (another JVM, {@link KilledRunChild}) while generating or halfway
 * through publishing: the output directory still holds a whole run as far as its manifest is
 * concerned, and the next run cleans up (removes the dead staging directory, or completes the
 * publish the journal names) and succeeds.
 */
class KilledRunTest {

    @TempDir
    Path tmp;

    /** The killed run: firmware b, 40 devices; the previous run had 30 others. */
    static BatchRequest.Builder thisRun(Path out) {
        return request(out, true, ids("new-", 40).toArray(String[]::new));
    }

    private static BatchRequest.Builder previousRun(Path out) {
        return request(out, false, ids("old-", 30).toArray(String[]::new));
    }

    private Process startChild(Path out, String mode, int at) throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
                KilledRunChild.class.getName(), out.toString(), mode, String.valueOf(at))
                .redirectErrorStream(true).start();
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        List<String> lines = new ArrayList<>();
        String line;
        while ((line = r.readLine()) != null) {
            lines.add(line);
            if (line.equals("BLOCKED")) {
                return p;
            }
        }
        p.waitFor(10, TimeUnit.SECONDS);
        throw new AssertionError("the child ended without blocking: " + lines);
    }

    private static void kill(Process p) throws InterruptedException {
        p.destroyForcibly(); // SIGKILL on Unix: no shutdown hook, no finally block runs
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    }

    private static long stagingDirectories(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith(StagedOutput.STAGING_PREFIX)).count();
        }
    }

    private static Map<String, byte[]> withoutStaging(Map<String, byte[]> m) {
        m.keySet().removeIf(k -> k.startsWith(StagedOutput.STAGING_PREFIX));
        return m;
    }

    @Test
    void killedWhileGenerating() throws Exception {
        Path out = tmp.resolve("out");
        BatchGenerator.run(previousRun(out).build(), BatchListener.NONE);
        Map<String, byte[]> before = snapshot(out);
        Process child = startChild(out, "generate", 30);
        try {
            // the child is alive: another run waits for it (here briefly, then gives up) and leaves its staging
            // directory alone
            assertEquals(1, stagingDirectories(out));
            DpsException e = assertThrows(DpsException.class, () -> StagedOutput.open(out, StagedOutput.Storage.FILES,
                    w -> { }, java.time.Duration.ofMillis(200)));
            assertTrue(e.getMessage().startsWith("outputDirectory: another build (pid " + child.pid() + ", since "),
                    e.getMessage());
            assertEquals(1, stagingDirectories(out), "a live run's staging directory survives");
        } finally {
            kill(child);
        }
        assertEquals(1, stagingDirectories(out), "kill -9 leaves the staging directory");
        assertSameContent(before, withoutStaging(snapshot(out)));

        BatchGenerator.run(thisRun(out).build(), BatchListener.NONE);
        assertNoDebris(out);
        Path reference = tmp.resolve("reference");
        BatchGenerator.run(thisRun(reference).build(), BatchListener.NONE);
        assertSameContent(snapshot(reference), snapshot(out));
    }

    @Test
    void killedHalfwayThroughPublishing() throws Exception {
        Path out = tmp.resolve("out");
        BatchGenerator.run(previousRun(out).build(), BatchListener.NONE);
        // moves: the journal; the zip, the script and three bulk bodies, each after its backup (10); the fourth
        // bulk body (new); then 9 certificates: killed at the 22nd move, 87 - 15 files still staged
        Process child = startChild(out, "publish", 22);
        kill(child);
        assertTrue(Files.exists(out.resolve(StagedOutput.JOURNAL)), "the journal names the run being published");
        // the manifest is still the previous run's, and every file it lists is there
        String manifest = Files.readString(out.resolve("dps-manifest.json"));
        assertTrue(manifest.contains("\"old-29.pem\""));
        for (int i = 0; i < 30; i++) {
            assertTrue(Files.exists(out.resolve("old-" + i + ".pem")));
        }

        List<String> warnings = new ArrayList<>();
        StagedOutput.open(out, StagedOutput.Storage.FILES, warnings::add).close();
        assertEquals(List.of("completed the publishing of an earlier run into " + out + " that was interrupted (72"
                + " files were still to be moved)"), warnings);
        assertNoDebris(out);
        Path reference = tmp.resolve("reference");
        BatchGenerator.run(thisRun(reference).build(), BatchListener.NONE);
        assertSameContent(snapshot(reference), snapshot(out)); // the killed run, complete; the previous one's files gone
    }
}
