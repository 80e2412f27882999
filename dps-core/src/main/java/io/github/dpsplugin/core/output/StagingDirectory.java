package io.github.dpsplugin.core.output;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A hidden directory a run writes its files into before publishing them, holding a lock file
 * locked while the run lives: a later run removes staging directories whose lock is free (a run
 * killed with {@code kill -9}), never a live one of another build, and never a directory without
 * the lock file. Knows nothing of what the files are.
 */
final class StagingDirectory {

    /** Prefix of staging directories (inside the output directory, or beside it followed by its name). */
    static final String PREFIX = ".dps-staging-";
    /** The lock file inside a staging directory, locked while its run lives. */
    static final String LOCK = ".dps-lock";
    /** Names starting with this are the mechanism's own, never an output. */
    static final String RESERVED = ".dps-";

    private final Path path;
    private final FileChannel lockChannel;

    private StagingDirectory(Path path, FileChannel lockChannel) {
        this.path = path;
        this.lockChannel = lockChannel;
    }

    /** Creates a locked staging directory in {@code parent}, named {@code prefix*}. */
    static StagingDirectory create(Path parent, String prefix) throws IOException {
        Path staging = Files.createTempDirectory(parent, prefix);
        try {
            return new StagingDirectory(staging, lock(staging));
        } catch (IOException | RuntimeException e) {
            deleteTree(staging);
            throw e;
        }
    }

    /** The prefix of the staging directories beside {@code directory} (when it did not exist yet). */
    static String prefixBeside(Path directory) {
        return PREFIX + directory.getFileName() + "-";
    }

    Path path() {
        return path;
    }

    /**
     * Creates the staging directory's lock file already locked: it appears under its final name
     * (a rename keeps the lock) only once held, so another run never sees it free while this one lives.
     */
    private static FileChannel lock(Path staging) throws IOException {
        Path fresh = staging.resolve(LOCK + ".new");
        FileChannel channel = FileChannel.open(fresh, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            if (channel.tryLock() == null) {
                throw new IOException("cannot lock " + fresh);
            }
            Files.move(fresh, staging.resolve(LOCK), StandardCopyOption.ATOMIC_MOVE);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Whether the staging directory {@code dir} belongs to a run of this plugin that is no longer alive. */
    static Boolean isDead(Path dir) {
        Path lockFile = dir.resolve(LOCK);
        if (!Files.isRegularFile(lockFile, LinkOption.NOFOLLOW_LINKS)) {
            return null; // not ours, or ours before it was locked: leave it
        }
        try (FileChannel c = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
            FileLock l = c.tryLock();
            if (l == null) {
                return false; // another process holds it
            }
            l.release();
            return true;
        } catch (OverlappingFileLockException e) {
            return false; // this JVM holds it: a live run in the same build (e.g. mvn -T)
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Removes the lock file left in {@code directory} by a run killed right after renaming its
     * staging directory into place.
     */
    static void removeDeadLock(Path directory) throws IOException {
        if (Boolean.TRUE.equals(isDead(directory))) {
            Files.deleteIfExists(directory.resolve(LOCK));
        }
    }

    /** Removes the staging directories under {@code parent} named {@code prefix*} whose run is dead. */
    static void removeStale(Path parent, String prefix, Consumer<String> warnings) throws IOException {
        List<Path> candidates = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(parent, p -> p.getFileName().toString()
                .startsWith(prefix) && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))) {
            s.forEach(candidates::add);
        }
        for (Path dir : candidates) {
            Boolean dead = isDead(dir);
            if (dead == null) {
                warnings.accept(dir + " looks like a staging directory of dps-maven-plugin but holds no " + LOCK
                        + " file; left as it is (remove it if no build is running)");
            } else if (dead) {
                deleteTree(dir);
                if (Files.exists(dir)) {
                    warnings.accept("cannot remove " + dir + ", the staging directory of an interrupted run");
                }
            }
        }
    }

    /**
     * Renames this staging directory to {@code directory}, keeping the lock (then its file is
     * removed, the lock still held); false if the file system will not.
     */
    boolean renameTo(Path directory, Consumer<String> warnings) {
        try {
            Files.move(path, directory, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            return false; // e.g. the directory appeared meanwhile, or Windows with the lock file open: file by file
        }
        try {
            Files.deleteIfExists(directory.resolve(LOCK)); // still held: no other run takes it for a dead one
        } catch (IOException e) {
            warnings.accept("cannot remove " + directory.resolve(LOCK) + ": " + e.getMessage());
        }
        return true;
    }

    /**
     * Releases the lock; unless {@code keep}, removes the directory first (all but the lock file,
     * so no other run takes it for a dead one meanwhile) and then what is left.
     */
    void close(boolean keep) {
        if (!keep) {
            deleteTreeExceptLock(path);
        }
        try {
            lockChannel.close(); // releases the lock
        } catch (IOException ignored) {
            // closing a lock file cannot lose data
        }
        if (!keep && Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            deleteTree(path);
        }
    }

    /** Adds to {@code files} the names of the regular files in {@code dir} (prefixed), except the plugin's own {@code .dps-*}. */
    static void listFiles(Path dir, String prefix, List<String> files) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String n = p.getFileName().toString();
                if (!n.startsWith(RESERVED) && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    files.add(prefix + n);
                }
            }
        }
    }

    /** Creates the subdirectory of {@code name} under {@code root}, if it has one ({@code previous/} of a rollout). */
    static void createSubdirectory(Path root, String name) throws IOException {
        int slash = name.indexOf('/');
        if (slash > 0) {
            Path sub = root.resolve(name.substring(0, slash));
            if (!Files.isDirectory(sub, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(sub);
            }
        }
    }

    /**
     * Removes those of {@code subdirectories} that held some of {@code removed} once they are empty; a
     * subdirectory still holding anything (a file the plugin did not write) stays.
     */
    static void removeEmptySubdirectories(Path root, List<String> subdirectories,
            java.util.Collection<String> removed) {
        for (String sub : subdirectories) {
            if (removed.stream().anyMatch(n -> n.startsWith(sub + "/"))) {
                try {
                    Files.deleteIfExists(root.resolve(sub));
                } catch (IOException e) {
                    // not empty (or not ours to remove): left as it is
                }
            }
        }
    }

    private static void deleteTreeExceptLock(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path lockFile = dir.resolve(LOCK);
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).filter(p -> !p.equals(lockFile) && !p.equals(dir)).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: removed by the next run when dead
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover staging directory holds no secret and is removed by the next run
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
