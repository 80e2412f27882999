package io.github.dpsplugin.core.fleet;

import static io.github.dpsplugin.core.fleet.OutputFixture.assertNoDebris;
import static io.github.dpsplugin.core.fleet.OutputFixture.ids;
import static io.github.dpsplugin.core.fleet.OutputFixture.request;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.output.StagedOutput;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a run the output directory holds what its manifest lists and nothing else of the plugin's;
 * files the plugin did not write are never touched, and staging directories are removed only when
 * their run is dead.
 */
class StaleOutputsTest {

    @TempDir
    Path tmp;

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final BatchListener listener = new BatchListener() {
        @Override
        public void warning(String message) {
            warnings.add(message);
        }
    };

    private static Set<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    @Test
    void aSmallerRunRemovesThePreviousRunsCertificatesOnly() throws IOException {
        Path out = tmp.resolve("out");
        BatchGenerator.run(request(out, false, ids("dev-", 25).toArray(String[]::new)).build(), listener);
        assertEquals(2 * 25 + 6, names(out).size(), names(out).toString()); // manifest, zip, script, 3 bulk bodies
        // the user's files: one that looks like a certificate, one that does not
        Files.writeString(out.resolve("my-ca.pem"), "-----BEGIN CERTIFICATE-----");
        Files.writeString(out.resolve("README.txt"), "keep me");
        BatchGenerator.run(request(out, true, "dev-3").archive(false).build(), listener);
        assertEquals(Set.of("dev-3.pem", "dev-3-deviceid.pem", "dps-manifest.json", "dps-enroll.sh",
                "dps-enrollments-0001.json", "my-ca.pem", "README.txt"), names(out));
        assertEquals("-----BEGIN CERTIFICATE-----", Files.readString(out.resolve("my-ca.pem")));
        assertEquals("keep me", Files.readString(out.resolve("README.txt")));
        assertEquals(List.of("1 .pem file in " + out + " that no dps manifest lists (not written by this plugin, or by"
                + " a run whose manifest is gone) left as they are: my-ca.pem"), warnings);
        assertNoDebris(out);
    }

    @Test
    void aFirstRunPublishesByRenamingItsStagingDirectory() throws IOException {
        Path out = tmp.resolve("fresh/out");
        BatchResult r = BatchGenerator.run(request(out, false, "dev-1", "dev-2").build(), listener);
        assertEquals(Set.of("dev-1.pem", "dev-1-deviceid.pem", "dev-2.pem", "dev-2-deviceid.pem",
                "dps-manifest.json", "dps-certificates.zip", "dps-enroll.sh", "dps-enrollments-0001.json"), names(out));
        assertEquals(out.resolve("dps-manifest.json"), r.manifest());
        assertEquals(List.of(), warnings);
        assertNoDebris(out);
    }

    @Test
    void aLiveStagingDirectoryIsLeftAloneAndADeadOneRemoved() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        // a dead run's staging directory: its lock file exists but nobody holds it
        Path dead = Files.createDirectories(out.resolve(StagedOutput.STAGING_PREFIX + "123"));
        Files.writeString(dead.resolve(".dps-lock"), "");
        Files.writeString(dead.resolve("dev-1.pem"), "half");
        // not ours: no lock file
        Path foreign = Files.createDirectories(out.resolve(StagedOutput.STAGING_PREFIX + "someone-else"));
        // a live run's staging directory (of a build that does not take the output directory's lock)
        Path live = Files.createDirectories(out.resolve(StagedOutput.STAGING_PREFIX + "live"));
        try (FileChannel liveLock = FileChannel.open(live.resolve(".dps-lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock held = liveLock.lock()) {
            BatchGenerator.run(request(out, false, "dev-1").build(), listener);
            assertFalse(Files.exists(dead), "the dead run's staging directory is removed");
            assertTrue(Files.isDirectory(foreign));
            assertTrue(Files.isDirectory(live), "the live run's staging directory is still there");
        }
        Files.delete(live.resolve(".dps-lock"));
        Files.delete(live);
        assertTrue(warnings.stream().anyMatch(w -> w.equals(foreign + " looks like a staging directory of"
                + " dps-maven-plugin but holds no .dps-lock file; left as it is (remove it if no build is running)")),
                warnings.toString());
        Files.delete(foreign);
        assertNoDebris(out);
    }

    @Test
    void theLockFileOfARunKilledJustAfterItsRenameIsRemoved() throws IOException {
        Path out = tmp.resolve("out");
        BatchGenerator.run(request(out, false, "dev-1").build(), listener);
        Files.writeString(out.resolve(".dps-lock"), "");
        BatchGenerator.run(request(out, false, "dev-1").build(), listener);
        assertNoDebris(out);
    }

    @Test
    void aDeadStagingDirectoryBesideTheOutputIsRemoved() throws IOException {
        Path out = tmp.resolve("out");
        Path dead = Files.createDirectories(tmp.resolve(StagedOutput.STAGING_PREFIX + "out-42"));
        Files.writeString(dead.resolve(".dps-lock"), "");
        BatchGenerator.run(request(out, false, "dev-1").build(), listener);
        assertFalse(Files.exists(dead));
        assertNoDebris(out);
    }

    @Test
    void aManifestCannotMakeThePluginDeleteOtherFiles() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(tmp.resolve("outside.pem"), "x");
        Files.writeString(out.resolve("notes.txt"), "x");
        Files.writeString(out.resolve("dps-manifest.json"), "{\"devices\":[{\"aliasCertificate\":\"../outside.pem\","
                + "\"deviceIdCertificate\":\"notes.txt\"}]}");
        BatchGenerator.run(request(out, false, "dev-1").build(), listener);
        assertTrue(Files.exists(tmp.resolve("outside.pem")));
        assertTrue(Files.exists(out.resolve("notes.txt")));
    }

    @Test
    void aRelativeOutputDirectoryWorksBothWays() throws IOException {
        Path out = Path.of("target", "relative-out-" + System.nanoTime()); // relative to the working directory
        try {
            BatchGenerator.run(request(out, false, "dev-1", "dev-2").build(), listener); // renamed whole
            BatchGenerator.run(request(out, true, "dev-2").build(), listener); // file by file, under the journal
            assertEquals(Set.of("dev-2.pem", "dev-2-deviceid.pem", "dps-manifest.json", "dps-certificates.zip",
                    "dps-enroll.sh", "dps-enrollments-0001.json"), names(out));
            assertEquals(List.of(), warnings);
            assertNoDebris(out);
        } finally {
            try (Stream<Path> s = Files.walk(out)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
