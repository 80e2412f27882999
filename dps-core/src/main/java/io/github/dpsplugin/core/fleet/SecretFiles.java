package io.github.dpsplugin.core.fleet;

import io.github.dpsplugin.core.common.DpsException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Files holding secrets (a fleet's UDS file): made new, owner-only from the first byte, and given
 * their name without ever replacing a file; and checked as ssh checks its private keys.
 */
public final class SecretFiles {

    private static final String FIELD = "udsFile";

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

    /** Refuses an existing file, a directory, a missing or non-directory parent; returns the parent. */
    static Path checkTarget(Path target) {
        if (Files.isDirectory(target)) {
            throw new DpsException(FIELD, target + " is a directory; expected the path of a new file, such as "
                    + target.resolve("uds.csv"));
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw exists(target);
        }
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || target.getFileName() == null) {
            throw new DpsException(FIELD, target + " is not a file path; expected the path of a new file");
        }
        if (!Files.exists(dir)) {
            throw new DpsException(FIELD, "the directory " + dir + " does not exist; create it first (readable by"
                    + " its owner only, e.g. mkdir -m 700), or choose a file in an existing directory");
        }
        if (!Files.isDirectory(dir)) {
            throw new DpsException(FIELD, dir + " is not a directory; expected " + target + " in an existing"
                    + " directory");
        }
        return dir;
    }

    private static DpsException exists(Path target) {
        return new DpsException(FIELD, target + " exists already; a UDS file is only ever created new, never"
                + " overwritten or appended to (it may hold the secrets of devices already programmed). Choose a new"
                + " path, or move the old file away first; it was left untouched");
    }

    /**
     * An empty temporary file beside the target, owner-only from its creation: POSIX
     * {@code rw-------}, or else an ACL that allows its owner alone. Refused where neither can be had.
     */
    static Path createOwnerOnly(Path dir, String name) {
        String prefix = UdsFileDirectory.tempPrefix(dir.resolve(name));
        Path temp;
        try {
            if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
                Set<PosixFilePermission> ownerOnly =
                        EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
                temp = Files.createTempFile(dir, prefix, ".tmp", PosixFilePermissions.asFileAttribute(ownerOnly));
                // the umask can only remove bits; a file system that ignores modes (e.g. a FAT mount) shows more
                Set<PosixFilePermission> actual = Files.getPosixFilePermissions(temp);
                if (!ownerOnly.containsAll(actual)) {
                    Files.delete(temp);
                    throw new DpsException(FIELD, "the file system of " + dir + " does not keep file permissions"
                            + " (a new file there is " + PosixFilePermissions.toString(actual) + "); put the UDS"
                            + " file where files can be made readable by their owner only");
                }
            } else if (Files.getFileStore(dir).supportsFileAttributeView("acl")) {
                UserPrincipal owner = dir.getFileSystem().getUserPrincipalLookupService()
                        .lookupPrincipalByName(System.getProperty("user.name"));
                List<AclEntry> acl = ownerOnlyAcl(owner);
                temp = Files.createTempFile(dir, prefix, ".tmp", aclAttribute(acl));
                // set again: the ACL given at creation may be merged with entries inherited from the directory
                Files.getFileAttributeView(temp, AclFileAttributeView.class).setAcl(acl);
            } else {
                throw new DpsException(FIELD, "the file system of " + dir + " has neither POSIX permissions nor"
                        + " ACLs, so the UDS file could not be made readable by its owner only; choose another"
                        + " directory");
            }
        } catch (AccessDeniedException e) {
            throw new DpsException(FIELD, "cannot create a file in " + dir + " (permission denied); expected a"
                    + " directory this build may write to");
        } catch (IOException e) {
            throw DpsException.environment(FIELD, "cannot create a file in " + dir + ": " + e.getMessage(), e);
        }
        return temp;
    }

    /** One entry: the owner may do everything; nobody else (no inherited or group entries) anything. */
    static List<AclEntry> ownerOnlyAcl(UserPrincipal owner) {
        return List.of(AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(owner)
                .setPermissions(EnumSet.allOf(AclEntryPermission.class)).build());
    }

    private static FileAttribute<List<AclEntry>> aclAttribute(List<AclEntry> acl) {
        return new FileAttribute<>() {
            @Override
            public String name() {
                return "acl:acl";
            }

            @Override
            public List<AclEntry> value() {
                return acl;
            }
        };
    }

    /**
     * Gives the finished temporary file its name, never replacing a file: a hard link fails
     * atomically if the name is taken (a rename would replace it on POSIX). Where hard links are not
     * supported, an atomic rename after a last check.
     */
    static void publish(Path temp, Path target) {
        try {
            try {
                Files.createLink(target, temp);
            } catch (FileAlreadyExistsException e) {
                throw exists(target);
            } catch (UnsupportedOperationException | FileSystemException e) {
                if (e instanceof NoSuchFileException || e instanceof AccessDeniedException) {
                    throw e;
                }
                // no hard links on this file system (e.g. FAT, some network shares)
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    throw exists(target);
                }
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                UdsFileDirectory.syncParent(target);
                return;
            }
            UdsFileDirectory.syncParent(target); // the new name first: it alone must survive a power loss
            try {
                Files.delete(temp);
                UdsFileDirectory.syncParent(target);
            } catch (IOException e) {
                // the file is complete under its name; its second name must not be forgotten
                throw new DpsException(FIELD, target + " was written, but its temporary name " + temp + " could not"
                        + " be removed (" + e.getMessage() + "); delete " + temp + ", it holds the same secrets");
            }
        } catch (AccessDeniedException e) {
            throw new DpsException(FIELD, "cannot create " + target + " (permission denied)");
        } catch (IOException e) {
            throw DpsException.environment(FIELD, "cannot create " + target + ": " + e.getMessage(), e);
        }
    }
}
