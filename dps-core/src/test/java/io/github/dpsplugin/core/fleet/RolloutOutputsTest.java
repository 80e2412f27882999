package io.github.dpsplugin.core.fleet;

import static io.github.dpsplugin.core.fleet.OutputFixture.BIN_A;
import static io.github.dpsplugin.core.fleet.OutputFixture.MAP_A;
import static io.github.dpsplugin.core.fleet.OutputFixture.assertNoDebris;
import static io.github.dpsplugin.core.fleet.OutputFixture.assertSameContent;
import static io.github.dpsplugin.core.fleet.OutputFixture.request;
import static io.github.dpsplugin.core.fleet.OutputFixture.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.output.StagedOutput;
import io.github.dpsplugin.core.rollout.PreviousFirmware;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout's outputs under the publish protocol: {@code previous/<id>.pem} (portable names, like
 * every certificate), {@code dps-rollout*} files, and their removal by a later run that does not
 * write them, without touching what the plugin did not write.
 */
class RolloutOutputsTest {

    @TempDir
    Path tmp;

    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final BatchListener listener = new BatchListener() {
        @Override
        public void warning(String message) {
            warnings.add(message);
        }
    };

    /** Every file under {@code dir} by relative path ('/' separated). */
    private static Set<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    /** Firmware b now, firmware a on the devices: every certificate changes, IDs stay. */
    private static BatchRequest.Builder rollout(Path out, String... ids) {
        return request(out, true, ids).previousFirmware(PreviousFirmware.of(BIN_A, MAP_A, null, null));
    }

    @Test
    void theFinishCommandsAreCollectedInTheStagingDirectoryNotInTheSystemTemporaryDirectory() throws IOException {
        Path out = tmp.resolve("out");
        List<String> scratch = new CopyOnWriteArrayList<>();
        StagedOutput.Storage watching = new StagedOutput.Storage() {
            @Override
            public java.io.OutputStream create(Path file) throws IOException {
                try (Stream<Path> s = Files.list(file.getParent())) {
                    s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".dps-rollout-finish-"))
                            .forEach(scratch::add);
                }
                return FILES.create(file);
            }

            @Override
            public void move(Path source, Path target) throws IOException {
                FILES.move(source, target);
            }
        };
        BatchGenerator.run(rollout(out, "dev-1", "dev-2").storage(watching).build(), listener);
        assertFalse(scratch.isEmpty(), "the finish commands' scratch file is beside the staged files");
        assertTrue(files(out).stream().noneMatch(n -> n.contains("rollout-finish") && n.endsWith(".part")));
    }

    @Test
    void previousCertificatesGetPortableNamesEverywhere() throws IOException {
        Path out = tmp.resolve("out");
        BatchResult r = BatchGenerator.run(rollout(out, "urn:line1:001", "con", "dev-1").build(), listener);
        assertEquals(3, r.rollout().certificateChanges());
        Set<String> f = files(out);
        for (String stem : List.of("urn~3aline1~3a001", "~63on", "dev-1")) {
            assertTrue(f.contains("previous/" + stem + ".pem"), f.toString());
            assertTrue(f.contains(stem + ".pem"), f.toString());
        }
        assertFalse(f.stream().anyMatch(n -> n.contains(":")), f.toString());
        // the previous certificate is firmware a's: the same bytes a plain run of firmware a writes
        Path plainA = tmp.resolve("plain-a");
        BatchGenerator.run(request(plainA, false, "urn:line1:001").build(), listener);
        assertEquals(Files.readString(plainA.resolve("urn~3aline1~3a001.pem")),
                Files.readString(out.resolve("previous/urn~3aline1~3a001.pem")));
        String script = Files.readString(out.resolve("dps-rollout.sh"));
        assertTrue(script.contains("--enrollment-id='urn:line1:001' --certificate-path='urn~3aline1~3a001.pem'"
                + " --secondary-certificate-path='previous/urn~3aline1~3a001.pem'"), script);
        assertTrue(script.contains("--secondary-certificate-path='previous/~63on.pem'"), script);
        JsonNode devices = new ObjectMapper().readTree(out.resolve("dps-manifest.json").toFile()).get("devices");
        assertEquals("previous/urn~3aline1~3a001.pem", devices.get(0).get("previousAliasCertificate").asText());
        try (ZipFile zip = new ZipFile(out.resolve("dps-certificates.zip").toFile())) {
            assertNotNull(zip.getEntry("previous/urn~3aline1~3a001.pem"));
            assertNotNull(zip.getEntry("previous/~63on.pem"));
        }
        // the bodies name the enrollment by the ID itself
        JsonNode start = new ObjectMapper().readTree(out.resolve("dps-rollout-start-0001.json").toFile());
        assertEquals("urn:line1:001", start.get("enrollments").get(0).get("registrationId").asText());
        assertEquals(List.of(), warnings);
        assertNoDebris(out);
    }

    @Test
    void laterRunsRemoveAnEarlierRolloutsFilesButNotTheUsers() throws IOException {
        Path out = tmp.resolve("out");
        BatchGenerator.run(rollout(out, "dev-1", "dev-2").build(), listener); // renamed whole
        assertTrue(files(out).containsAll(Set.of("previous/dev-1.pem", "previous/dev-2.pem", "dps-rollout.sh",
                "dps-rollout-start-0001.json", "dps-rollout-finish-0001.json")), files(out).toString());
        // a smaller rollout, file by file under the journal: dev-2's previous certificate goes
        BatchGenerator.run(rollout(out, "dev-1").build(), listener);
        assertEquals(Set.of("dev-1.pem", "dev-1-deviceid.pem", "previous/dev-1.pem", "dps-manifest.json",
                "dps-certificates.zip", "dps-enroll.sh", "dps-enrollments-0001.json", "dps-rollout.sh",
                "dps-rollout-start-0001.json", "dps-rollout-finish-0001.json"), files(out));
        assertEquals(List.of(), warnings);
        // the user's files beside them, one in previous/
        Files.writeString(out.resolve("previous/mine.pem"), "-----BEGIN CERTIFICATE-----");
        Files.writeString(out.resolve("dps-rollout-notes.txt"), "keep me");
        // a plain run: no rollout file of ours stays
        BatchGenerator.run(request(out, true, "dev-1").build(), listener);
        assertEquals(Set.of("dev-1.pem", "dev-1-deviceid.pem", "dps-manifest.json", "dps-certificates.zip",
                "dps-enroll.sh", "dps-enrollments-0001.json", "previous/mine.pem", "dps-rollout-notes.txt"), files(out));
        assertEquals("-----BEGIN CERTIFICATE-----", Files.readString(out.resolve("previous/mine.pem")));
        assertEquals(List.of("1 .pem file in " + out + " that no dps manifest lists (not written by this plugin, or by"
                + " a run whose manifest is gone) left as they are: previous/mine.pem"), warnings);
        // without the user's file, previous/ itself goes
        warnings.clear();
        Files.delete(out.resolve("previous/mine.pem"));
        BatchGenerator.run(rollout(out, "dev-1").build(), listener);
        assertTrue(Files.isRegularFile(out.resolve("previous/dev-1.pem")));
        BatchGenerator.run(request(out, true, "dev-1").build(), listener);
        assertFalse(Files.exists(out.resolve("previous")), files(out).toString());
        assertEquals(List.of(), warnings);
        assertNoDebris(out);
    }

    @Test
    void aFailedPublishPutsAPreviousRolloutBack() throws IOException {
        Path out = tmp.resolve("out");
        BatchGenerator.run(rollout(out, "dev-1", "dev-2").build(), listener);
        Map<String, byte[]> before = snapshot(out);
        // a later rollout of another firmware pair whose publish fails on a previous/ file
        StagedOutput.Storage failing = new StagedOutput.Storage() {
            @Override
            public OutputStream create(Path file) throws IOException {
                return FILES.create(file);
            }

            @Override
            public void move(Path source, Path target) throws IOException {
                if (target.toString().endsWith("dev-2.pem") && target.getParent().getFileName().toString()
                        .equals("previous")) {
                    throw new AccessDeniedException(target.toString(), null, "file in use");
                }
                FILES.move(source, target);
            }
        };
        DpsException e = assertThrows(DpsException.class, () -> BatchGenerator.run(rollout(out, "dev-1", "dev-2",
                "dev-3").storage(failing).build(), listener));
        assertEquals(DpsException.Kind.ENVIRONMENT, e.kind());
        assertTrue(e.getMessage().contains("previous outputs were put back"), e.getMessage());
        assertSameContent(before, snapshot(out));
        assertNoDebris(out);
    }

    @Test
    void aFileWherePreviousShouldBeStopsThePublishBeforeAnyChange() throws IOException {
        Path out = tmp.resolve("out");
        BatchGenerator.run(request(out, true, "dev-1").build(), listener);
        Files.writeString(out.resolve("previous"), "a file of the user's");
        Map<String, byte[]> before = snapshot(out);
        DpsException e = assertThrows(DpsException.class, () -> BatchGenerator.run(rollout(out, "dev-1").build(),
                listener));
        assertEquals(DpsException.Kind.ENVIRONMENT, e.kind());
        assertTrue(e.getMessage().contains("Nothing was changed"), e.getMessage());
        assertSameContent(before, snapshot(out));
        assertNoDebris(out);
    }

    @Test
    void theNextRunCompletesAKilledPublishOfPreviousFiles() throws IOException {
        Path out = tmp.resolve("out");
        BatchGenerator.run(rollout(out, "dev-1", "dev-2").build(), listener);
        // as a run killed while publishing leaves it: the journal, and a dead staging directory with a
        // previous/ file still to move
        Path staging = Files.createDirectories(out.resolve(StagedOutput.STAGING_PREFIX + "999"));
        Files.writeString(staging.resolve(".dps-lock"), "");
        Files.createDirectories(staging.resolve("previous"));
        Files.writeString(staging.resolve("previous/dev-3.pem"), "new");
        Files.writeString(out.resolve(StagedOutput.JOURNAL), "dps-publish 1\n" + staging.getFileName()
                + "\ndelete previous/dev-2.pem\ndelete ../escape.pem\n");
        Files.writeString(tmp.resolve("escape.pem"), "not ours");
        StagedOutput.open(out, StagedOutput.Storage.FILES, warnings::add).close();
        assertEquals("new", Files.readString(out.resolve("previous/dev-3.pem")));
        assertFalse(Files.exists(out.resolve("previous/dev-2.pem")));
        assertTrue(Files.exists(out.resolve("previous/dev-1.pem")));
        assertTrue(Files.exists(tmp.resolve("escape.pem")));
        assertEquals(List.of("completed the publishing of an earlier run into " + out + " that was interrupted (1"
                + " files were still to be moved)"), warnings);
        assertNoDebris(out);
    }
}
