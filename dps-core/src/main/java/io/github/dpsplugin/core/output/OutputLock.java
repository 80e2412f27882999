package io.github.dpsplugin.core.output;

import io.github.dpsplugin.core.common.DpsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The exclusive right to write into one output directory, held from the recovery of an
 * interrupted publish to the end of this run's publish: two builds into one directory run one
 * after the other, never interleaved (a mix of two runs' certificates would pass every check of
 * the manifest but fail on the devices).
 *
 * <p>The lock file is {@code <parent>/.dps-lock-<name>} beside the output directory (the directory
 * itself may not exist yet, and is then created by renaming the staging directory into place), or
 * {@code <directory>/.dps-lock-output} when the parent is not writable. It is removed when the run
 * ends; a run killed with {@code kill -9} leaves it, unlocked, and the next run takes it over. It
 * says which process holds it and since when.
 *
 * <p>An operating-system file lock excludes other processes only: runs in one JVM ({@code mvn -T})
 * are serialised by a semaphore per lock file first, and a waiting run in the same JVM never opens
 * the file (closing any channel of a file releases the JVM's POSIX lock on it).
 */
final class OutputLock implements AutoCloseable {

    /** Prefix of the lock file beside the output directory, followed by the directory's name. */
    static final String PREFIX = ".dps-lock-";
    /** The lock file inside the output directory, when its parent is not writable. */
    static final String INSIDE = ".dps-lock-output";
    /** How long a run waits for another one writing into the same directory by default. */
    static final Duration DEFAULT_WAIT = Duration.ofMinutes(10);
    private static final long POLL_MILLIS = 50;
    private static final int MAX_HOLDER_CHARS = 200;
    private static final String FIELD = "outputDirectory";
    private static final ConcurrentHashMap<Path, Semaphore> IN_JVM = new ConcurrentHashMap<>();
    /** What the holder in this JVM wrote into each lock file. */
    private static final ConcurrentHashMap<Path, String> HOLDERS = new ConcurrentHashMap<>();

    private final Path file;
    private final Path key;
    private final Semaphore inJvm;
    private final FileChannel channel;
    private boolean closed;

    private OutputLock(Path file, Path key, Semaphore inJvm, FileChannel channel) {
        this.file = file;
        this.key = key;
        this.inJvm = inJvm;
        this.channel = channel;
    }

    /** The lock file {@link #acquire} uses for {@code directory}. */
    static Path fileFor(Path directory) {
        Path absolute = directory.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        return parent == null || absolute.getFileName() == null ? absolute.resolve(INSIDE)
                : parent.resolve(PREFIX + absolute.getFileName());
    }

    /**
     * Takes the lock of {@code directory}, waiting up to {@code wait} for another run to finish
     * (telling {@code warnings} once that it waits, and for whom).
     *
     * @throws DpsException if another run still holds it after {@code wait}
     */
    static OutputLock acquire(Path directory, Duration wait, Consumer<String> warnings) throws IOException {
        Path file = fileFor(directory);
        Files.createDirectories(file.getParent());
        if (!Files.isWritable(file.getParent()) && Files.isDirectory(directory)) {
            file = directory.toAbsolutePath().normalize().resolve(INSIDE);
        }
        Path key = file.getParent().toRealPath().resolve(file.getFileName());
        Semaphore semaphore = IN_JVM.computeIfAbsent(key, k -> new Semaphore(1));
        long deadline = System.nanoTime() + wait.toNanos();
        boolean told = false;
        try {
            if (!semaphore.tryAcquire()) {
                // never open the file here: closing any channel of it would release the holder's lock (POSIX)
                warnings.accept(waiting(directory, file, "another run in this build (" + HOLDERS.get(key) + ")"));
                told = true;
                if (!semaphore.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw timeout(directory, file, wait, "another run in this build (" + HOLDERS.get(key) + ")");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DpsException.environment(FIELD, "interrupted while waiting for " + file, e);
        }
        try {
            while (true) {
                Object before = fileKey(file);
                if (before == null) {
                    // create it, then look again: what is locked must be what the name denotes
                    FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE).close();
                    continue;
                }
                FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                boolean keep = false;
                try {
                    // a holder removes the file before releasing it: a lock on a removed file is no lock
                    if (tryLock(channel) != null && before.equals(fileKey(file))) {
                        String me = "pid " + ProcessHandle.current().pid() + ", since "
                                + Instant.now().truncatedTo(ChronoUnit.SECONDS);
                        byte[] bytes = (me + "\n").getBytes(StandardCharsets.UTF_8);
                        channel.truncate(0);
                        ByteBuffer b = ByteBuffer.wrap(bytes);
                        while (b.hasRemaining()) {
                            channel.write(b, b.position());
                        }
                        HOLDERS.put(key, me);
                        keep = true;
                        return new OutputLock(file, key, semaphore, channel);
                    }
                } finally {
                    if (!keep) {
                        channel.close();
                    }
                }
                if (!told) {
                    warnings.accept(waiting(directory, file, who(file)));
                    told = true;
                }
                if (System.nanoTime() - deadline > 0) {
                    throw timeout(directory, file, wait, who(file));
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            semaphore.release();
            Thread.currentThread().interrupt();
            throw DpsException.environment(FIELD, "interrupted while waiting for " + file, e);
        } catch (IOException | RuntimeException e) {
            semaphore.release();
            throw e;
        }
    }

    /** The file's identity (device and inode where the file system has them), or null if it is missing. */
    private static Object fileKey(Path file) throws IOException {
        try {
            java.nio.file.attribute.BasicFileAttributes a = Files.readAttributes(file,
                    java.nio.file.attribute.BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            // without a file key (Windows), the creation time tells a new file from the removed one
            return a.fileKey() != null ? a.fileKey() : a.creationTime();
        } catch (java.nio.file.NoSuchFileException e) {
            return null;
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // this JVM holds it under another name of the same file
        }
    }

    /** Who holds the lock file, as it says itself (pid and start), or null. */
    private static String holder(Path file) {
        try {
            byte[] b = Files.readAllBytes(file);
            String s = new String(b, 0, Math.min(b.length, MAX_HOLDER_CHARS), StandardCharsets.UTF_8).strip();
            return s.startsWith("pid ") && s.chars().noneMatch(Character::isISOControl) ? s : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Who holds the lock file, read from it: only ever called by a process that holds no lock on it. */
    private static String who(Path file) {
        String h = holder(file);
        return h == null ? "another build" : "another build (" + h + ")";
    }

    private static String waiting(Path directory, Path file, String who) {
        return who + " is writing into " + directory + " (it holds " + file + "); waiting for it to finish";
    }

    private static DpsException timeout(Path directory, Path file, Duration wait, String who) {
        return DpsException.environment(FIELD, who + " is still writing into " + directory + " after "
                + (wait.toMillis() % 1000 == 0 ? wait.toSeconds() + " s" : wait.toMillis() + " ms") + " (it holds the lock file " + file + "); nothing was changed. Run the builds one"
                + " after the other, or give them different output directories", null);
    }

    /**
     * Removes the lock file, while still holding it, then releases it: a run that opened the file
     * before the removal finds, once it has the lock, that the name no longer denotes that file, and
     * tries again.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        HOLDERS.remove(key);
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // e.g. Windows, where an open file cannot be removed: the next run takes it over
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // closing releases the lock either way
        } finally {
            inJvm.release();
        }
    }
}
