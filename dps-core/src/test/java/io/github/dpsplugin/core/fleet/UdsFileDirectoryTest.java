package io.github.dpsplugin.core.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The UDS file's directory entry is made durable, and an interrupted run's temporary files are named. */
class UdsFileDirectoryTest {

    @TempDir
    Path tmp;

    private final List<String> warnings = new ArrayList<>();
    private final BatchListener listener = new BatchListener() {
        @Override
        public void warning(String message) {
            warnings.add(message);
        }
    };

    @Test
    void theDirectoryIsForcedOnceTheFileHasItsName() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("secrets"));
        Path file = dir.resolve("uds.csv");
        List<String> synced = new ArrayList<>();
        Consumer<Path> real = UdsFileDirectory.sync;
        UdsFileDirectory.sync = d -> {
            synced.add(d + (Files.exists(file) ? " with uds.csv" : " without uds.csv"));
            real.accept(d);
        };
        try {
            UdsFileWriter.write(UdsFileRequest.builder().udsFile(file).device("#1", "dev-1", null, null).build(),
                    listener);
        } finally {
            UdsFileDirectory.sync = real;
        }
        assertTrue(!synced.isEmpty() && synced.stream().allMatch(s -> s.equals(dir.toAbsolutePath() + " with uds.csv")),
                synced.toString());
    }

    @Test
    void aKilledRunsTemporaryFileIsNamedWithHowToRemoveIt() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("secrets"));
        // what a run killed while filling leaves: its owner-only temporary file
        Path orphan = SecretFiles.createOwnerOnly(dir, "uds.csv");
        Files.writeString(orphan, "registrationId,uds\n");
        Files.writeString(dir.resolve(".other.csv.1.tmp"), "not ours: another target");
        Path file = dir.resolve("uds.csv");
        UdsFileWriter.write(UdsFileRequest.builder().udsFile(file).device("#1", "dev-1", null, null).build(), listener);
        assertEquals(List.of("udsFile: 1 temporary file of an interrupted generate-uds run for uds.csv in " + dir + ": "
                + orphan + ". They hold UDS values that no UDS file lists; unless another generate-uds run is writing"
                + " uds.csv right now, delete them: rm " + dir.resolve(".uds.csv.") + "*.tmp"), warnings);
        assertTrue(Files.exists(orphan), "named, not removed");
        assertTrue(Files.exists(file));
    }
}
