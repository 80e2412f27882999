package io.github.dpsplugin.core.output;

import io.github.dpsplugin.core.DpsException;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;

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
 * <p>Files can be written synchronously ({@link #write}, {@link #writeNew}, {@link #newOutputStream})
 * or handed to the output's own writer threads ({@link #writeNewLater}); a write error of either
 * kind fails the run with {@link DpsException.Kind#ENVIRONMENT}.
 */
public final class StagedOutput implements AutoCloseable {

    /** Prefix of staging directories (inside the output directory, or beside it followed by its name). */
    public static final String STAGING_PREFIX = ".dps-staging-";
    /** The lock file inside a staging directory, locked while its run lives. */
    static final String LOCK = ".dps-lock";
    /** The journal of a publish in progress, in the output directory. */
    public static final String JOURNAL = ".dps-publish";
    private static final String JOURNAL_HEADER = "dps-publish 1";
    private static final String REPLACED = ".dps-replaced";
    /** Files being written by the writer threads at most; bounds memory. */
    static final int MAX_PENDING_WRITES = 1024;
    /**
     * Writer threads. Creating a small file costs 30-50 us of system time here (ext4), a rename
     * 20-30 us; two threads create 40 000 files 1.4x as fast as one, four no faster than two
     * (creations in one directory serialise on its lock).
     */
    static final int WRITER_THREADS = 2;
    /** Files per writer task (see {@link #submitBatch}). */
    static final int WRITE_BATCH = 32;
    /** Foreign look-alike files named in a warning at most. */
    private static final int MAX_NAMED = 5;

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
    private final Path staging;
    private final boolean beside;
    private final FileChannel lockChannel;
    private final OutputLock outputLock;
    private final Storage storage;
    private final Consumer<String> warnings;
    private final Set<String> names = ConcurrentHashMap.newKeySet();
    /** Subdirectories made in the staging directory: a rollout's 10 000 previous/ files need one lstat, not one each. */
    private final Set<String> stagedSubdirectories = new java.util.HashSet<>();
    private final Semaphore pendingWrites = new Semaphore(MAX_PENDING_WRITES);
    private final AtomicReference<DpsException> writeFailure = new AtomicReference<>();
    private ExecutorService writers;
    /** Files handed to {@link #writeNewLater} and not yet to a writer thread. */
    private final List<String> batchNames = new ArrayList<>();
    private final List<byte[]> batchContents = new ArrayList<>();
    private boolean published;
    private boolean closed;
    private boolean keepStaging;
    /** Set by {@link #keepPreviousFiles()}: publishing replaces the staged names and removes nothing. */
    private boolean keepPrevious;

    private StagedOutput(Path directory, Path staging, boolean beside, FileChannel lockChannel, OutputLock outputLock,
            Storage storage, Consumer<String> warnings) {
        this.directory = directory;
        this.staging = staging;
        this.beside = beside;
        this.lockChannel = lockChannel;
        this.outputLock = outputLock;
        this.storage = storage;
        this.warnings = warnings;
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
                recover(directory, storage, warnings);
                removeStale(directory, STAGING_PREFIX, warnings);
                if (Boolean.TRUE.equals(isDead(directory))) {
                    // the lock file of a run killed right after renaming its staging directory into place
                    Files.deleteIfExists(directory.resolve(LOCK));
                }
            }
            boolean beside = !exists && parent != null;
            if (parent != null && Files.isDirectory(parent)) {
                removeStale(parent, stagingPrefixBeside(directory), warnings);
            }
            Files.createDirectories(beside ? parent : directory);
            Path staging = beside
                    ? Files.createTempDirectory(parent, stagingPrefixBeside(directory))
                    : Files.createTempDirectory(directory, STAGING_PREFIX);
            try {
                StagedOutput out = new StagedOutput(directory, staging, beside, lock(staging), outputLock, storage,
                        warnings);
                outputLock = null;
                return out;
            } catch (IOException | RuntimeException e) {
                deleteTree(staging);
                throw e;
            }
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

    private static String stagingPrefixBeside(Path directory) {
        return STAGING_PREFIX + directory.getFileName() + "-";
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
    private static Boolean isDead(Path dir) {
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

    /** Removes the staging directories under {@code parent} named {@code prefix*} whose run is dead. */
    private static void removeStale(Path parent, String prefix, Consumer<String> warnings) throws IOException {
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

    /** Completes a publish that a run killed halfway left behind (its journal names it). */
    private static void recover(Path directory, Storage storage, Consumer<String> warnings) throws IOException {
        Path journal = directory.resolve(JOURNAL);
        if (!Files.isRegularFile(journal, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<String> lines;
        try (BufferedReader r = Files.newBufferedReader(journal, StandardCharsets.UTF_8)) {
            lines = r.lines().toList();
        }
        if (lines.size() < 2 || !lines.get(0).equals(JOURNAL_HEADER)) {
            warnings.accept(journal + " is not a journal this plugin can read; left as it is");
            return;
        }
        Path absolute = directory.toAbsolutePath();
        Path staging = absolute.resolve(lines.get(1)).normalize();
        boolean ourStaging = staging.getFileName() != null
                && staging.getFileName().toString().startsWith(STAGING_PREFIX)
                && (absolute.equals(staging.getParent()) || absolute.getParent() != null
                        && absolute.getParent().equals(staging.getParent()));
        if (!ourStaging) {
            warnings.accept(journal + " names " + staging + ", not a staging directory; left as it is");
            return;
        }
        int moved = 0;
        if (Files.isDirectory(staging, LinkOption.NOFOLLOW_LINKS)) {
            if (Boolean.FALSE.equals(isDead(staging))) {
                return; // that run is alive and publishing right now
            }
            List<String> files = new ArrayList<>();
            listFiles(staging, "", files);
            for (String sub : OutputFiles.subdirectories()) {
                if (Files.isDirectory(staging.resolve(sub), LinkOption.NOFOLLOW_LINKS)) {
                    listFiles(staging.resolve(sub), sub + "/", files);
                }
            }
            for (String n : publishOrder(files)) {
                createSubdirectory(directory, n);
                storage.move(staging.resolve(n), directory.resolve(n));
                moved++;
            }
        }
        List<String> deleted = new ArrayList<>();
        for (String line : lines.subList(2, lines.size())) {
            String n = line.substring(line.indexOf(' ') + 1);
            int slash = n.indexOf('/');
            if (line.startsWith("delete ") && isOutputName(n) && (slash < 0
                    || Files.isDirectory(directory.resolve(n.substring(0, slash)), LinkOption.NOFOLLOW_LINKS))) {
                Files.deleteIfExists(directory.resolve(n)); // never through a link to elsewhere
                deleted.add(n);
            }
        }
        removeEmptySubdirectories(directory, deleted);
        deleteTree(staging);
        Files.deleteIfExists(journal);
        warnings.accept("completed the publishing of an earlier run into " + directory + " that was interrupted ("
                + moved + " files were still to be moved)");
    }

    /** Adds to {@code files} the names of the regular files in {@code dir} (prefixed), except the plugin's own {@code .dps-*}. */
    private static void listFiles(Path dir, String prefix, List<String> files) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                String n = p.getFileName().toString();
                if (!n.startsWith(".dps-") && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    files.add(prefix + n);
                }
            }
        }
    }

    /** Creates the subdirectory of {@code name} under {@code root}, if it has one ({@code previous/} of a rollout). */
    private static void createSubdirectory(Path root, String name) throws IOException {
        int slash = name.indexOf('/');
        if (slash > 0) {
            Path sub = root.resolve(name.substring(0, slash));
            if (!Files.isDirectory(sub, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(sub);
            }
        }
    }

    /**
     * Removes the subdirectories that held some of {@code removed} once they are empty; a
     * subdirectory still holding anything (a file the plugin did not write) stays.
     */
    private static void removeEmptySubdirectories(Path root, java.util.Collection<String> removed) {
        for (String sub : OutputFiles.subdirectories()) {
            if (removed.stream().anyMatch(n -> n.startsWith(sub + "/"))) {
                try {
                    Files.deleteIfExists(root.resolve(sub));
                } catch (IOException e) {
                    // not empty (or not ours to remove): left as it is
                }
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
     * Writes a staged file that must not exist yet; returns false, writing nothing, if this run
     * staged that name already (two devices with the same output name).
     */
    public boolean writeNew(String name, byte[] content) {
        checkWrites();
        if (!register(name)) {
            return false;
        }
        writeNow(name, content);
        return true;
    }

    /**
     * Like {@link #writeNew}, but the file is written by the output's writer threads while the
     * caller goes on (at most {@value #MAX_PENDING_WRITES} files wait; beyond that the caller
     * waits). A write error is thrown by a later call of this output or by {@link #publish()}.
     * {@code content} must not be changed afterwards.
     */
    public boolean writeNewLater(String name, byte[] content) {
        checkWrites();
        if (!register(name)) {
            return false;
        }
        try {
            pendingWrites.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DpsException.environment(FIELD, "interrupted while writing " + name, e);
        }
        synchronized (this) {
            batchNames.add(name);
            batchContents.add(content);
            if (batchNames.size() >= WRITE_BATCH) {
                submitBatch();
            }
        }
        return true;
    }

    /**
     * Hands the files collected so far to a writer thread as one task: one queue hand-off, and at
     * most one wake-up of a parked writer, per 32 files rather than per file. (Measured at 20 000
     * devices: no difference beyond the noise on the development disk, where creating the files
     * dominates; README, "Benchmark".)
     */
    private synchronized void submitBatch() {
        if (batchNames.isEmpty()) {
            return;
        }
        String[] names = batchNames.toArray(new String[0]);
        byte[][] contents = batchContents.toArray(new byte[0][]);
        batchNames.clear();
        batchContents.clear();
        try {
            writers().execute(() -> {
                for (int i = 0; i < names.length; i++) {
                    String name = names[i];
                    try {
                        if (writeFailure.get() == null) {
                            writeNow(name, contents[i]);
                        }
                    } catch (DpsException e) {
                        writeFailure.compareAndSet(null, e);
                    } catch (RuntimeException | Error e) {
                        writeFailure.compareAndSet(null, DpsException.environment(FIELD, "cannot write " + name
                                + " in " + directory + ": " + e, e));
                    } finally {
                        pendingWrites.release();
                    }
                }
            });
        } catch (RuntimeException e) {
            pendingWrites.release(names.length);
            throw e;
        }
    }

    private synchronized ExecutorService writers() {
        if (closed || published) {
            throw new IllegalStateException(published ? "already published" : "closed");
        }
        if (writers == null) {
            AtomicInteger n = new AtomicInteger();
            writers = Executors.newFixedThreadPool(WRITER_THREADS, r -> {
                Thread t = new Thread(r, "dps-write-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return writers;
    }

    private void checkWrites() {
        DpsException e = writeFailure.get();
        if (e != null) {
            throw e;
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
        return Files.createTempFile(staging, ".dps-" + prefix, ".part");
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
        if (published || closed) {
            throw new IllegalStateException(published ? "already published" : "closed");
        }
        if (!isOutputName(name) || name.startsWith(".dps-")) {
            throw new IllegalArgumentException("not an output file name: " + name);
        }
        if (names.contains(name)) {
            return false;
        }
        int slash = name.indexOf('/');
        if (slash > 0 && !stagedSubdirectories.contains(name.substring(0, slash))) {
            try {
                createSubdirectory(staging, name);
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
        awaitWriters();
        checkWrites();
        if (published || closed) {
            throw new IllegalStateException(published ? "already published" : "closed");
        }
        try {
            if (beside && !Files.exists(directory, LinkOption.NOFOLLOW_LINKS) && renameWhole()) {
                published = true;
                return;
            }
            publishFiles();
            published = true;
        } finally {
            close();
        }
    }

    /** Renames the staging directory to the output directory; false if the file system will not. */
    private boolean renameWhole() {
        try {
            Files.move(staging, directory, StandardCopyOption.ATOMIC_MOVE);
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

    private void publishFiles() {
        List<String> order = publishOrder(names);
        for (String sub : OutputFiles.subdirectories()) {
            Path d = directory.resolve(sub);
            if (names.stream().anyMatch(n -> n.startsWith(sub + "/")) && Files.exists(d, LinkOption.NOFOLLOW_LINKS)
                    && !Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                throw DpsException.environment(FIELD, "cannot write into " + d + ": it is a file or a link, not a"
                        + " directory; the plugin writes its " + sub + "/ files only into a directory. Move it away or"
                        + " choose another outputDirectory. Nothing was changed", null);
            }
        }
        for (String n : order) {
            Path t = directory.resolve(n);
            if (Files.exists(t, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(t, LinkOption.NOFOLLOW_LINKS)) {
                throw DpsException.environment(FIELD, "cannot write " + t + ": it is a directory or a link, not a file;"
                        + " the plugin replaces only files. Move it away or choose another outputDirectory. Nothing was"
                        + " changed", null);
            }
        }
        Set<String> previous = keepPrevious ? Set.of() : OutputFiles.previous(directory, warnings);
        List<String> stale = new ArrayList<>();
        for (String n : previous) {
            if (!names.contains(n) && Files.isRegularFile(directory.resolve(n), LinkOption.NOFOLLOW_LINKS)) {
                stale.add(n);
            }
        }
        Collections.sort(stale);
        Path journal = directory.resolve(JOURNAL);
        try {
            Path draft = staging.resolve(JOURNAL + ".new");
            try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(storage.create(draft),
                    StandardCharsets.UTF_8))) {
                Path where = directory.toAbsolutePath().relativize(staging.toAbsolutePath());
                w.write(JOURNAL_HEADER + "\n" + where + "\n");
                for (String s : stale) {
                    w.write("delete " + s + "\n");
                }
            }
            storage.move(draft, journal);
        } catch (IOException e) {
            throw DpsException.environment(FIELD, "cannot write " + journal + ": " + e.getMessage()
                    + "; nothing was changed", e);
        }
        Path replaced = staging.resolve(REPLACED);
        List<String> created = new ArrayList<>(); // subdirectories this publish creates: removed again by a failure
        for (String sub : OutputFiles.subdirectories()) {
            if (!Files.exists(directory.resolve(sub), LinkOption.NOFOLLOW_LINKS)) {
                created.add(sub + "/");
            }
        }
        List<String> done = new ArrayList<>();
        String current = null;
        try {
            Files.createDirectory(replaced);
            for (String n : order) {
                current = n;
                Path t = directory.resolve(n);
                createSubdirectory(directory, n);
                if (Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
                    createSubdirectory(replaced, n);
                    storage.move(t, replaced.resolve(n));
                }
                storage.move(staging.resolve(n), t);
                done.add(n);
                current = null;
            }
        } catch (IOException | RuntimeException e) {
            String what = (e instanceof IOException ? "" : e.getClass().getSimpleName() + ": ") + e.getMessage();
            String failed = current != null ? current : "?";
            if (current != null) {
                done.add(current);
            }
            String undo = undo(done, replaced);
            removeEmptySubdirectories(directory, created);
            if (undo == null) {
                try {
                    Files.deleteIfExists(journal);
                } catch (IOException ignored) {
                    keepStaging = true; // the journal stays: the next run completes this run's publishing instead
                }
                throw DpsException.environment(FIELD, "cannot move " + failed + " into " + directory + " (" + what
                        + "); the previous outputs were put back as they were", e);
            }
            keepStaging = true;
            throw DpsException.environment(FIELD, "cannot move " + failed + " into " + directory + " (" + what
                    + "), and putting the previous outputs back failed too (" + undo + "); the next run completes"
                    + " this one's publishing (see " + journal + ")", e);
        }
        List<String> notRemoved = new ArrayList<>();
        for (String s : stale) {
            try {
                Files.deleteIfExists(directory.resolve(s));
            } catch (IOException e) {
                notRemoved.add(s);
            }
        }
        removeEmptySubdirectories(directory, stale);
        if (!notRemoved.isEmpty()) {
            keepStaging = true; // the journal lists them: the next run retries
            warnings.accept("cannot remove " + notRemoved.size() + " certificate file(s) of the previous run in "
                    + directory + " (e.g. " + notRemoved.get(0) + "); the next run retries");
            return;
        }
        try {
            Files.delete(journal);
        } catch (IOException e) {
            warnings.accept("cannot remove " + journal + ": " + e.getMessage());
        }
        if (!keepPrevious) {
            warnAboutForeignFiles(stale);
        }
    }

    /** Puts back what a failed publish replaced; returns null on success, else what failed. */
    private String undo(List<String> done, Path replaced) {
        String failure = null;
        for (int i = done.size() - 1; i >= 0; i--) {
            String n = done.get(i);
            Path t = directory.resolve(n);
            Path backup = replaced.resolve(n);
            try {
                if (!Files.exists(staging.resolve(n), LinkOption.NOFOLLOW_LINKS)) {
                    // the new file went in: take it out again
                    if (Files.exists(backup, LinkOption.NOFOLLOW_LINKS)) {
                        storage.move(backup, t);
                    } else {
                        Files.deleteIfExists(t);
                    }
                } else if (Files.exists(backup, LinkOption.NOFOLLOW_LINKS)) {
                    storage.move(backup, t);
                }
            } catch (IOException | RuntimeException e) {
                failure = n + ": " + e.getMessage();
            }
        }
        return failure;
    }

    /** Warns once about {@code .pem} files in the directory that no manifest of ours lists. */
    private void warnAboutForeignFiles(List<String> removed) {
        List<String> foreign = new ArrayList<>();
        List<String> prefixes = new ArrayList<>(List.of(""));
        for (String sub : OutputFiles.subdirectories()) {
            if (Files.isDirectory(directory.resolve(sub), LinkOption.NOFOLLOW_LINKS)) {
                prefixes.add(sub + "/");
            }
        }
        for (String prefix : prefixes) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(directory.resolve(prefix.isEmpty() ? "." : prefix),
                    "*.pem")) {
                for (Path p : s) {
                    String n = prefix + p.getFileName().toString();
                    if (!names.contains(n) && !removed.contains(n)) {
                        foreign.add(n);
                    }
                }
            } catch (IOException e) {
                return;
            }
        }
        if (!foreign.isEmpty()) {
            Collections.sort(foreign);
            warnings.accept(foreign.size() + " .pem file" + (foreign.size() == 1 ? "" : "s") + " in " + directory
                    + " that no dps manifest lists (not written by this plugin, or by a run whose manifest is gone)"
                    + " left as they are: " + String.join(", ", foreign.subList(0, Math.min(MAX_NAMED, foreign.size())))
                    + (foreign.size() > MAX_NAMED ? ", ..." : ""));
        }
    }

    /** The names in a stable order, the manifest last: it is what makes a run the current one. */
    private static List<String> publishOrder(java.util.Collection<String> names) {
        List<String> order = new ArrayList<>(names);
        order.sort(Comparator.comparing((String n) -> n.equals(ManifestWriter.FILE_NAME))
                .thenComparing(Comparator.naturalOrder()));
        return order;
    }

    /**
     * A name this output writes: a plain file name, or one in a subdirectory of
     * {@link OutputFiles#subdirectories()} ({@code previous/<id>.pem}), never a hidden one there.
     */
    static boolean isOutputName(String name) {
        int slash = name.indexOf('/');
        if (slash < 0) {
            return isPlainName(name);
        }
        String file = name.substring(slash + 1);
        return OutputFiles.subdirectories().contains(name.substring(0, slash)) && isPlainName(file)
                && !file.startsWith(".");
    }

    static boolean isPlainName(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\\")) {
            return false;
        }
        try {
            Path p = Path.of(name);
            return p.getNameCount() == 1 && p.getFileName().toString().equals(name);
        } catch (InvalidPathException e) {
            return false;
        }
    }

    private void awaitWriters() {
        ExecutorService w;
        synchronized (this) {
            submitBatch();
            w = writers;
        }
        if (w == null) {
            return;
        }
        w.shutdown();
        awaitTermination(w);
    }

    private static void awaitTermination(ExecutorService w) {
        boolean interrupted = false;
        while (true) {
            try {
                if (w.awaitTermination(1, TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true; // keep waiting: the staging directory must not be deleted under a writer
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
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
        if (writers != null) {
            writers.shutdownNow();
            awaitTermination(writers);
        }
        if (!keepStaging) {
            deleteTreeExceptLock(staging);
        }
        try {
            lockChannel.close(); // releases the lock
        } catch (IOException ignored) {
            // closing a lock file cannot lose data
        }
        if (!keepStaging && Files.exists(staging, LinkOption.NOFOLLOW_LINKS)) {
            deleteTree(staging);
        }
        outputLock.close();
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
