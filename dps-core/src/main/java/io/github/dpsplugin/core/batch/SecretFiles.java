package io.github.dpsplugin.core.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Checks on files holding secrets (a fleet's UDS file), as ssh checks its private keys. */
public final class SecretFiles {

    private SecretFiles() {
    }

    /**
     * A warning when {@code file}'s POSIX permissions let its group or others read it, else null
     * (also on file systems without POSIX permissions, where the check does not apply). A warning,
     * not a refusal: CI checkouts and mounted secrets often have such modes and cannot change them.
     */
    public static String readableByOthers(Path file, String field) {
        Set<PosixFilePermission> perms;
        try {
            perms = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException | IOException e) {
            return null;
        }
        if (!perms.contains(PosixFilePermission.GROUP_READ) && !perms.contains(PosixFilePermission.OTHERS_READ)) {
            return null;
        }
        String who = perms.contains(PosixFilePermission.OTHERS_READ) ? "every user of this machine" : "its group";
        return field + ": " + file + " holds UDS values and can be read by " + who + " ("
                + PosixFilePermissions.toString(perms) + "); allow only its owner: chmod 600 " + file;
    }
}
