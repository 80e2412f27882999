package io.github.dpsplugin.core.output;

import io.github.dpsplugin.core.common.DpsException;
import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * All-or-nothing output. Files are written into a hidden staging directory and appear in the
 * output directory only at {@link #publish()}; {@link #close()} without publishing removes the
 * staging directory, so a failed run leaves the previous run's outputs as they were.
 *
 * <p>Where the staging directory is:
 * <ul>
 *   <li>when the output directory does not exist yet (after {@code mvn clean}), beside it,
 *       {@code <parent>/.dps-staging-<name>-*}, and {@link #publish()} renames it into place: one
 *       atomic step, no file is moved twice;
 *   <li>else inside it, {@code .dps-staging-*}, and {@link #publish()} moves the files one by one,
 *       the manifest last, under a journal ({@code .dps-publish}) naming the run being published:
 *       a run killed halfway is completed by the next one, which finds the journal. A failure while
 *       moving puts back the files that were replaced. Then the certificates of the previous run that
 *       this run does not list are removed: only names the previous manifest listed (and the plugin's
 *       own fixed names), never a file the plugin did not write; {@code .pem} files no manifest lists
 *       are reported, not touched.
 * </ul>
 *
 * <p>Each staging directory holds a lock file, locked while its run lives: the next run removes
 * staging directories whose lock is free (a run killed with {@code kill -9}), never a live one of
 * another build, and never a directory without the lock file.
 *
 * <p>Files can be written synchronously ({@link #write}, {@link #newOutputStream})
 * or handed to the output's own writer threads ({@link #writeNewLater}); a write error of either
 * kind fails the run with {@link DpsException.Kind#ENVIRONMENT}.
 *
 * <p>The mechanism is in {@link StagingDirectory}, {@link PublishJournal} and {@link BackgroundWriters};
 * which names an output has, in which order they are published and what a previous run wrote is
 * the {@link OutputLayout} passed in ({@link OutputFiles#layout()} by default).
 */
public final class StagedOutput implements AutoCloseable {

    /** Prefix of staging directories (inside the output directory, or beside it followed by its name). */
    public static final String STAGING_PREFIX = StagingDirectory.PREFIX;
    /** The journal of a publish in progress, in the output directory. */
    public static final String JOURNAL = PublishJournal.FILE_NAME;

    private static final String FIELD = "outputDirectory";

    /** Where bytes go: the file system, or in tests one that fails like a full disk. */
    public interface Storage {
        /** Creates or truncates a file for writing. */
        OutputStream create(Path file) throws IOException;

        /** Renames {@code source} to {@code target}, replacing a file there; atomically where the file system can. */
        void move(Path source, Path target) throws IOException;

        /** The real file system. */
        Storage FILES = new Storage() {
            @Override
            public OutputStream create(Path file) throws IOException {
                return Files.newOutputStream(file);
            }

            @Override
            public void move(Path source, Path target) throws IOException {
                try {
                    Files.move(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        };
    }

    private final Path directory;
    private final StagingDirectory stagingDirectory;
    private final Path staging;
    private final boolean beside;
    private final OutputLock outputLock;
    private final Storage storage;
    private final OutputLayout layout;
    private final Consumer<String> warnings;
    private final Set<String> names = ConcurrentHashMap.newKeySet();
    /** Subdirectories made in the staging directory: a rollout's 10 000 previous/ files need one lstat, not one each. */
    private final Set<String> stagedSubdirectories = new java.util.HashSet<>();
    private final BackgroundWriters writers;
    private PublishJournal journal;
    private volatile boolean published;
    private volatile boolean closed;
    /** Set by {@link #keepPreviousFiles()}: publishing replaces the staged names and removes nothing. */
    private boolean keepPrevious;

    private StagedOutput(Path directory, StagingDirectory stagingDirectory, boolean beside, OutputLock outputLock,
            Storage storage, OutputLayout layout, Consumer<String> warnings) {
        this.directory = directory;
        this.stagingDirectory = stagingDirectory;
        this.staging = stagingDirectory.path();
        this.beside = beside;
        this.outputLock = outputLock;
        this.storage = storage;
        this.layout = layout;
        this.warnings = warnings;
        this.writers = new BackgroundWriters(this::writeNow, (name, e) -> DpsException.environment(FIELD,
                "cannot write " + name + " in " + directory + ": " + e, e), this::checkOpen);
    }

    /** Opens a staged output for {@code directory}, which is created at {@link #publish()} if missing. */
    public static StagedOutput open(Path directory) {
        return open(directory, Storage.FILES, w -> { });
    }

    /**
     * Opens a staged output for {@code directory}: first completes a publish that an earlier run
     * left half done and removes staging directories of dead runs, telling {@code warnings} what it did.
     * Another run writing into the same directory (another build, or another module of this one)
     * is waited for, up to 10 minutes.
     */
    public static StagedOutput open(Path directory, Storage storage, Consumer<String> warnings) {
        return open(directory, storage, warnings, OutputLock.DEFAULT_WAIT);
    }

    /**
     * Like {@link #open(Path, Storage, Consumer)}, waiting up to {@code lockWait} for another run
     * writing into the same directory; the directory's lock is held until {@link #close()}.
     */
    public static StagedOutput open(Path directory, Storage storage, Consumer<String> warnings,
            java.time.Duration lockWait) {
        return open(directory, OutputFiles.layout(), storage, warnings, lockWait);
    }

    /** Like {@link #open(Path, Storage, Consumer, java.time.Duration)}, publishing by {@code layout}. */
    static StagedOutput open(Path directory, OutputLayout layout, Storage storage, Consumer<String> warnings,
            java.time.Duration lockWait) {
        if (Files.isSymbolicLink(directory) && !Files.exists(directory)) {
            String target;
            try {
                target = Files.readSymbolicLink(directory).toString();
            } catch (IOException e) {
                target = "?";
            }
            throw new DpsException(FIELD, directory + " is a dangling symbolic link to " + target + "; expected a"
                    + " directory (create " + target + ", or remove the link and the directory is created)");
        }
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new DpsException(FIELD, directory + " exists and is not a directory; expected a directory for the"
                    + " certificates (it is created if missing)");
        }
        // the nearest existing ancestor must be a directory; else createDirectories reports only "Not a directory"
        Path parent = directory.toAbsolutePath().getParent();
        for (Path p = parent; p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new DpsException(FIELD, "cannot create " + directory + ": " + p + " is a file; expected a"
                            + " directory (or a path whose existing parts are directories)");
                }
                break;
            }
        }
        OutputLock outputLock = null;
        try {
            outputLock = OutputLock.acquire(directory, lockWait, warnings);
            boolean exists = Files.isDirectory(directory);
            if (exists) {
                PublishJournal.recover(directory, layout, storage, warnings);
                StagingDirectory.removeStale(directory, StagingDirectory.PREFIX, warnings);
                // the lock file of a run killed right after renaming its staging directory into place
                StagingDirectory.removeDeadLock(directory);
            }
            boolean beside = !exists && parent != null;
            if (parent != null && Files.isDirectory(parent)) {
                StagingDirectory.removeStale(parent, StagingDirectory.prefixBeside(directory), warnings);
            }
            Files.createDirectories(beside ? parent : directory);
            StagingDirectory staging = beside
                    ? StagingDirectory.create(parent, StagingDirectory.prefixBeside(directory))
                    : StagingDirectory.create(directory, StagingDirectory.PREFIX);
            StagedOutput out = new StagedOutput(directory, staging, beside, outputLock, storage, layout, warnings);
            outputLock = null;
            return out;
        } catch (FileAlreadyExistsException e) {
            throw new DpsException(FIELD, "cannot create " + directory + ": " + e.getFile() + " is a file; expected"
                    + " a directory (or a path whose existing parts are directories)");
        } catch (AccessDeniedException e) {
            throw DpsException.environment(FIELD, "cannot write to " + directory + " (permission denied); expected a"
                    + " directory this build may create files in", e);
        } catch (IOException e) {
            throw DpsException.environment(FIELD, "cannot write to " + directory + " (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + ")", e);
        } finally {
            if (outputLock != null) {
                outputLock.close();
            }
        }
    }

    public Path directory() {
        return directory;
    }

    /**
     * Makes {@link #publish()} remove nothing: for a run that writes only part of an output (a
     * merged manifest on its own), whose staged names say nothing about what is stale.
     */
    public synchronized void keepPreviousFiles() {
        keepPrevious = true;
    }

    /** Where {@code name} will be after {@link #publish()}. */
    public Path finalPath(String name) {
        return directory.resolve(name);
    }

    /** Writes a staged file (replacing what this run staged under that name). */
    public void write(String name, byte[] content) {
        checkWrites();
        register(name);
        writeNow(name, content);
    }

    /**
     * Writes a file that must not be one this run wrote already (returns false, writing nothing, if
     * it is), by the output's writer threads while the caller goes on (at most
     * {@value BackgroundWriters#MAX_PENDING_WRITES} files wait; beyond that the caller waits). A
     * write error is thrown by a later call of this output or by {@link #publish()}. {@code content}
     * must not be changed afterwards.
     */
    public boolean writeNewLater(String name, byte[] content) {
        checkWrites();
        if (!register(name)) {
            return false;
        }
        writers.submit(name, content, (n, e) -> DpsException.environment(FIELD, "interrupted while writing " + n, e));
        return true;
    }

    private void checkWrites() {
        writers.check();
    }

    /** Throws if this output takes no more files. */
    private void checkOpen() {
        if (published || closed) {
            throw new IllegalStateException(published ? "already published" : "closed");
        }
    }

    private void writeNow(String name, byte[] content) {
        try (OutputStream o = storage.create(staging.resolve(name))) {
            o.write(content);
        } catch (IOException e) {
            throw writeError(name, e);
        }
    }

    private DpsException writeError(String name, IOException e) {
        return DpsException.environment(FIELD, "cannot write " + name + " in " + directory + ": "
                + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e);
    }

    /**
     * Creates a scratch file in the staging directory, never published (a {@code .dps-} name) and
     * removed with the staging directory even after a {@code kill -9}; the caller removes it when done.
     */
    public Path createScratchFile(String prefix) throws IOException {
        return Files.createTempFile(staging, StagingDirectory.RESERVED + prefix, ".part");
    }

    /** Makes a staged file executable by its owner, where the file system has POSIX permissions. */
    public void makeExecutable(String name) {
        Path p = staging.resolve(name);
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            perms.add(java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE);
            Files.setPosixFilePermissions(p, perms);
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: run it with sh
        }
    }

    /**
     * Opens a staged file for streaming writes; its write errors are thrown as {@link DpsException}
     * ({@link DpsException.Kind#ENVIRONMENT}) naming the file.
     */
    public OutputStream newOutputStream(String name) {
        checkWrites();
        register(name);
        OutputStream raw;
        try {
            raw = storage.create(staging.resolve(name));
        } catch (IOException e) {
            throw writeError(name, e);
        }
        // buffered: the zip and manifest writers emit many small pieces
        return new BufferedOutputStream(new FilterOutputStream(raw) {
            @Override
            public void write(byte[] b, int off, int len) {
                try {
                    out.write(b, off, len);
                } catch (IOException e) {
                    throw writeError(name, e);
                }
            }

            @Override
            public void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void flush() {
                try {
                    out.flush();
                } catch (IOException e) {
                    throw writeError(name, e);
                }
            }

            @Override
            public void close() {
                try {
                    out.close();
                } catch (IOException e) {
                    throw writeError(name, e);
                }
            }
        }, 1 << 16);
    }

    /**
     * Claims a name without writing it; false if this run staged or claimed it already. A run that
     * will not publish (another device failed) goes on finding repeated names this way.
     */
    public boolean reserve(String name) {
        return register(name);
    }

    /** Records a staged name; false if this run staged it already. */
    private synchronized boolean register(String name) {
        checkOpen();
        if (!layout.isOutputName(name) || name.startsWith(StagingDirectory.RESERVED)) {
            throw new IllegalArgumentException("not an output file name: " + name);
        }
        if (names.contains(name)) {
            return false;
        }
        int slash = name.indexOf('/');
        if (slash > 0 && !stagedSubdirectories.contains(name.substring(0, slash))) {
            try {
                StagingDirectory.createSubdirectory(staging, name);
            } catch (IOException e) {
                throw writeError(name, e);
            }
            stagedSubdirectories.add(name.substring(0, slash));
        }
        return names.add(name);
    }

    /**
     * Waits for the writer threads, then makes the staged files the output directory's content:
     * as one rename when the directory did not exist, else file by file under a journal with the
     * manifest last, then removes what the previous run wrote and this one does not.
     */
    public synchronized void publish() {
        writers.await();
        checkWrites();
        checkOpen();
        try {
            if (beside && !Files.exists(directory, LinkOption.NOFOLLOW_LINKS)
                    && stagingDirectory.renameTo(directory, warnings)) {
                published = true;
                return;
            }
            journal = new PublishJournal(directory, staging, storage, layout, warnings);
            journal.publish(names, keepPrevious);
            published = true;
        } finally {
            close();
        }
    }

    /**
     * Stops the writer threads and waits for them, then discards what was not published (the
     * staging directory) and releases the lock.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        writers.stop();
        stagingDirectory.close(journal != null && journal.keepStaging());
        outputLock.close();
    }
}
