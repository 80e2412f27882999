package io.github.dpsplugin.core.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.dpsplugin.core.common.DpsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutputDirectoryLinkTest {

    @TempDir
    Path tmp;

    @Test
    void aDanglingLinkAsOutputDirectoryIsNamedNotAnNoSuchFileException() throws IOException {
        Path out = tmp.resolve("out");
        Path target = tmp.resolve("gone");
        try {
            Files.createSymbolicLink(out, target);
        } catch (UnsupportedOperationException | IOException e) {
            org.junit.jupiter.api.Assumptions.abort("no symbolic links here: " + e);
        }
        DpsException e = assertThrows(DpsException.class, () -> StagedOutput.open(out));
        assertEquals(DpsException.Kind.INPUT, e.kind());
        assertEquals("outputDirectory: " + out + " is a dangling symbolic link to " + target + "; expected a directory"
                + " (create " + target + ", or remove the link and the directory is created)", e.getMessage());
        assertFalse(Files.exists(target));
    }
}
