package io.github.dpsplugin.core.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFilesTest {

    @TempDir
    Path tmp;

    private Path file(String mode) throws IOException {
        Path f = tmp.resolve("uds-" + mode + ".csv");
        Files.writeString(f, "registrationId,uds\n");
        try {
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        } catch (UnsupportedOperationException e) {
            Assumptions.abort("no POSIX permissions here");
        }
        return f;
    }

    @Test
    void aWorldReadableUdsFileIsNamedWithTheFix() throws IOException {
        Path f = file("rw-r--r--");
        assertEquals("udsFile: " + f + " holds UDS values and can be read by every user of this machine (rw-r--r--);"
                + " allow only its owner: chmod 600 " + f, SecretFiles.readableByOthers(f, "udsFile"));
    }

    @Test
    void aGroupReadableUdsFileIsNamedToo() throws IOException {
        Path f = file("rw-r-----");
        assertEquals("udsFile: " + f + " holds UDS values and can be read by its group (rw-r-----); allow only its"
                + " owner: chmod 600 " + f, SecretFiles.readableByOthers(f, "udsFile"));
    }

    @Test
    void anOwnerOnlyFileIsFine() throws IOException {
        assertNull(SecretFiles.readableByOthers(file("rw-------"), "udsFile"));
        assertNull(SecretFiles.readableByOthers(file("r--------"), "udsFile"));
    }
}
