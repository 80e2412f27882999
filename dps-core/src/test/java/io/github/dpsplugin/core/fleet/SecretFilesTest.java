package io.github.dpsplugin.core.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.dpsplugin.core.common.DpsException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.List;
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

    @Test
    void theTemporaryFileIsOwnerOnlyFromItsCreation() throws IOException {
        assumeTrue(Files.getFileStore(tmp).supportsFileAttributeView("posix"), "POSIX file system");
        Path temp = SecretFiles.createOwnerOnly(tmp, "uds.csv");
        assertEquals(0, Files.size(temp));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(temp)));
        assertTrue(temp.getFileName().toString().startsWith(".uds.csv."));
    }

    @Test
    void theOwnerOnlyAclAllowsTheOwnerAlone() throws IOException {
        UserPrincipal me = tmp.getFileSystem().getUserPrincipalLookupService()
                .lookupPrincipalByName(System.getProperty("user.name"));
        List<AclEntry> acl = SecretFiles.ownerOnlyAcl(me);
        assertEquals(1, acl.size());
        assertEquals(AclEntryType.ALLOW, acl.get(0).type());
        assertEquals(me, acl.get(0).principal());
        assertEquals(EnumSet.allOf(AclEntryPermission.class), acl.get(0).permissions());
    }

    @Test
    void aFileThatAppearsBeforePublishingIsNotReplaced() throws IOException {
        // the last step itself refuses a taken name (a rename would replace it)
        Path temp = SecretFiles.createOwnerOnly(tmp, "uds.csv");
        Files.writeString(temp, "new");
        Path target = Files.writeString(tmp.resolve("uds.csv"), "someone else's file\n");

        DpsException e = assertThrows(DpsException.class, () -> SecretFiles.publish(temp, target));
        assertEquals("udsFile", e.field());
        assertEquals("someone else's file\n", Files.readString(target));
    }
}
