package io.github.dpsplugin.core.fleet;

import static io.github.dpsplugin.core.fleet.OutputFixture.assertNoDebris;
import static io.github.dpsplugin.core.fleet.OutputFixture.assertNoWorkerThreads;
import static io.github.dpsplugin.core.fleet.OutputFixture.assertSameContent;
import static io.github.dpsplugin.core.fleet.OutputFixture.ids;
import static io.github.dpsplugin.core.fleet.OutputFixture.request;
import static io.github.dpsplugin.core.fleet.OutputFixture.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.output.ManifestWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Faults while writing: a full disk, a file that cannot be replaced, an exception on a
 * worker thread. Each gives a clear error of kind ENVIRONMENT, leaves the previous run's outputs
 * byte for byte, and leaves no staging directory, journal or thread behind.
 */
class OutputFaultsTest {

    @TempDir
    Path tmp;

    /** The previous run: 30 devices of firmware a, archive and enrollment script, plus a file of the user's. */
    private Map<String, byte[]> previousRun(Path out) throws IOException {
        BatchGenerator.run(request(out, false, ids("dev-", 30).toArray(String[]::new)).build(), BatchListener.NONE);
        Files.writeString(out.resolve("notes.txt"), "the user's own file");
        return snapshot(out);
    }

    /** This run: firmware b (every certificate differs), more devices than the previous one. */
    private BatchRequest.Builder nextRun(Path out) {
        return request(out, true, ids("dev-", 40).toArray(String[]::new));
    }

    @ParameterizedTest(name = "disk full after {0} bytes")
    @ValueSource(longs = {0, 500, 20_000, 60_000, 90_000})
    void aFullDiskFailsCleanly(long capacity) throws IOException {
        Path out = tmp.resolve("out");
        Map<String, byte[]> before = previousRun(out);
        OutputFixture.FullDisk disk = new OutputFixture.FullDisk(capacity);
        DpsException e = assertThrows(DpsException.class,
                () -> BatchGenerator.run(nextRun(out).storage(disk).build(), BatchListener.NONE));
        assertTrue(disk.failures.get() > 0, "the disk filled up");
        assertEquals(DpsException.Kind.ENVIRONMENT, e.kind());
        assertEquals("outputDirectory", e.field());
        assertTrue(e.getMessage().matches("(?s)outputDirectory: cannot write \\S+ in " + java.util.regex.Pattern.quote(
                out.toString()) + ": No space left on device.*"), e.getMessage());
        assertTrue(e.getCause() instanceof IOException, "cause attached");
        assertSameContent(before, snapshot(out));
        assertNoDebris(out);
        assertNoWorkerThreads();
    }

    @Test
    void aFullDiskOnAFirstRunLeavesNothing() throws IOException {
        Path out = tmp.resolve("new");
        assertThrows(DpsException.class, () -> BatchGenerator.run(nextRun(out)
                .storage(new OutputFixture.FullDisk(30_000)).build(), BatchListener.NONE));
        assertFalse(Files.exists(out));
        assertNoDebris(out);
    }

    @Test
    void aDirectoryInThePlaceOfACertificateIsRefusedBeforeAnythingMoves() throws IOException {
        Path out = tmp.resolve("out");
        previousRun(out);
        // a directory of the user's with the name of one of this run's certificates
        Files.createDirectories(out.resolve("dev-35.pem"));
        Files.writeString(out.resolve("dev-35.pem/inside.txt"), "mine");
        Map<String, byte[]> before = snapshot(out);
        DpsException e = assertThrows(DpsException.class,
                () -> BatchGenerator.run(nextRun(out).build(), BatchListener.NONE));
        assertEquals(DpsException.Kind.ENVIRONMENT, e.kind());
        assertEquals("outputDirectory: cannot write " + out.resolve("dev-35.pem") + ": it is a directory or a link,"
                + " not a file; the plugin replaces only files. Move it away or choose another outputDirectory."
                + " Nothing was changed", e.getMessage());
        assertSameContent(before, snapshot(out));
        assertNoDebris(out);
    }

    @ParameterizedTest(name = "move {0} fails")
    @ValueSource(ints = {1, 2, 3, 40, 120})
    void aFileThatCannotBeReplacedAtPublishPutsThePreviousOutputsBack(int failingMove) throws IOException {
        Path out = tmp.resolve("out");
        Map<String, byte[]> before = previousRun(out);
        OutputFixture.FailingMove storage = new OutputFixture.FailingMove(failingMove);
        DpsException e = assertThrows(DpsException.class,
                () -> BatchGenerator.run(nextRun(out).storage(storage).build(), BatchListener.NONE));
        assertEquals(DpsException.Kind.ENVIRONMENT, e.kind());
        assertTrue(e.getMessage().startsWith("outputDirectory: "), e.getMessage());
        assertTrue(e.getMessage().contains("file in use"), e.getMessage());
        assertTrue(failingMove == 1 ? e.getMessage().contains(".dps-publish") && e.getMessage().endsWith(
                "nothing was changed") : e.getMessage().endsWith("the previous outputs were put back as they were"),
                e.getMessage());
        assertSameContent(before, snapshot(out));
        assertNoDebris(out);
    }

    @ParameterizedTest(name = "{0} from a worker")
    @ValueSource(strings = {"IllegalStateException", "UncheckedIOException"})
    void anExceptionOnAWorkerIsMappedAndStopsTheRun(String kind) throws IOException {
        Path out = tmp.resolve("out");
        Map<String, byte[]> before = previousRun(out);
        List<String> opened = new CopyOnWriteArrayList<>();
        BatchRequest.Builder b = nextRun(out).threads(3);
        b.device(DeviceSpec.of(RegistrationId.of("broken"), () -> {
            opened.add("broken");
            throw kind.equals("IllegalStateException") ? new IllegalStateException("secret store closed")
                    : new UncheckedIOException(new IOException("Input/output error"));
        }));
        for (String id : ids("late-", 500)) {
            b.device(DeviceSpec.of(RegistrationId.of(id), OutputFixture.uds()));
        }
        DpsException e = assertThrows(DpsException.class, () -> BatchGenerator.run(b.build(), BatchListener.NONE));
        assertEquals(DpsException.Kind.ENVIRONMENT, e.kind());
        assertEquals("device 'broken'", "device " + e.device());
        assertTrue(e.getMessage().startsWith("device 'broken': devices: unexpected java."), e.getMessage());
        assertTrue(e.getMessage().contains(kind.equals("IllegalStateException") ? "secret store closed"
                : "Input/output error"), e.getMessage());
        assertEquals(kind, e.getCause().getClass().getSimpleName());
        assertNoWorkerThreads();
        assertSameContent(before, snapshot(out));
        assertNoDebris(out);
    }

    @Test
    void aDeviceErrorStillReportsAsInput() {
        Path out = tmp.resolve("out");
        DpsException e = assertThrows(DpsException.class, () -> BatchGenerator.run(
                request(out, false, "a", "b", "a").build(), BatchListener.NONE));
        assertEquals(DpsException.Kind.INPUT, e.kind());
        assertFalse(Files.exists(out.resolve(ManifestWriter.FILE_NAME)));
    }
}
