package io.github.dpsplugin.core.output;

import io.github.dpsplugin.core.DpsException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * All-or-nothing output: files are written into a hidden staging directory inside the output
 * directory and moved into place only by {@link #publish()}. {@link #close()} without publishing
 * removes the staging directory, so a failed run leaves the previous run's outputs untouched and
 * no half-written file behind.
 */
public final class StagedOutput implements AutoCloseable {

    private static final String FIELD = "outputDirectory";

    private final Path directory;
    private final Path staging;
    private final boolean createdDirectory;
    private final List<String> names = new ArrayList<>();
    private boolean published;

    private StagedOutput(Path directory, Path staging, boolean createdDirectory) {
        this.directory = directory;
        this.staging = staging;
        this.createdDirectory = createdDirectory;
    }

    /** Creates {@code directory} if needed and a staging directory inside it. */
    public static StagedOutput open(Path directory) {
        if (Files.exists(directory) && !Files.isDirectory(directory)) {
            throw new DpsException(FIELD, directory + " exists and is not a directory; expected a directory for the"
                    + " certificates (it is created if missing)");
        }
        // the nearest existing ancestor must be a directory; else createDirectories reports only "Not a directory"
        for (Path p = directory.toAbsolutePath().getParent(); p != null; p = p.getParent()) {
            if (Files.exists(p)) {
                if (!Files.isDirectory(p)) {
                    throw new DpsException(FIELD, "cannot create " + directory + ": " + p + " is a file; expected a"
                            + " directory (or a path whose existing parts are directories)");
                }
                break;
            }
        }
        boolean existed = Files.isDirectory(directory);
        try {
            Files.createDirectories(directory);
            return new StagedOutput(directory, Files.createTempDirectory(directory, ".dps-staging-"), !existed);
        } catch (FileAlreadyExistsException e) {
            throw new DpsException(FIELD, "cannot create " + directory + ": " + e.getFile() + " is a file; expected"
                    + " a directory (or a path whose existing parts are directories)");
        } catch (AccessDeniedException e) {
            throw new DpsException(FIELD, "cannot write to " + directory + " (permission denied); expected a"
                    + " directory this build may create files in", e);
        } catch (IOException e) {
            throw new DpsException(FIELD, "cannot write to " + directory + " (" + e.getClass().getSimpleName()
                    + ": " + e.getMessage() + ")", e);
        }
    }

    public Path directory() {
        return directory;
    }

    /** Where {@code name} will be after {@link #publish()}. */
    public Path finalPath(String name) {
        return directory.resolve(name);
    }

    /** Writes a staged file. */
    public void write(String name, byte[] content) {
        try {
            Files.write(stage(name), content);
        } catch (IOException e) {
            throw new DpsException(FIELD, "cannot write " + name + " in " + directory + ": " + e.getMessage(), e);
        }
    }

    /**
     * Writes a staged file that must not exist yet; returns false, writing nothing, if it does
     * (two devices with the same output name).
     */
    public boolean writeNew(String name, byte[] content) {
        try {
            Files.write(stage(name), content, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            throw new DpsException(FIELD, "cannot write " + name + " in " + directory + ": " + e.getMessage(), e);
        }
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

    /** Opens a staged file for streaming writes. */
    public OutputStream newOutputStream(String name) {
        try {
            // buffered: the zip and manifest writers emit many small pieces
            return new BufferedOutputStream(Files.newOutputStream(stage(name)), 1 << 16);
        } catch (IOException e) {
            throw new DpsException(FIELD, "cannot write " + name + " in " + directory + ": " + e.getMessage(), e);
        }
    }

    private synchronized Path stage(String name) {
        if (published) {
            throw new IllegalStateException("already published");
        }
        names.add(name);
        Path p = staging.resolve(name);
        if (name.indexOf('/') >= 0) {
            // a name in a subdirectory (e.g. previous/<id>.pem of a rollout)
            try {
                Files.createDirectories(p.getParent());
            } catch (IOException e) {
                throw new DpsException(FIELD, "cannot write " + name + " in " + directory + ": " + e.getMessage(), e);
            }
        }
        return p;
    }

    /** Moves every staged file into the output directory, replacing files of the same name. */
    public synchronized void publish() {
        try {
            for (String name : names) {
                Path target = directory.resolve(name);
                if (name.indexOf('/') >= 0) {
                    Files.createDirectories(target.getParent());
                }
                try {
                    Files.move(staging.resolve(name), target, StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(staging.resolve(name), target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            published = true;
        } catch (IOException e) {
            throw new DpsException(FIELD, "cannot move outputs into " + directory + ": " + e.getMessage(), e);
        } finally {
            deleteStaging();
        }
    }

    /** Discards what was not published; removes the output directory too if this run created it and it is empty. */
    @Override
    public synchronized void close() {
        deleteStaging();
        if (!published && createdDirectory) {
            try {
                Files.deleteIfExists(directory);
            } catch (IOException ignored) {
                // not empty (someone else wrote there) or gone: leave it
            }
        }
    }

    private void deleteStaging() {
        if (!Files.exists(staging)) {
            return;
        }
        try (Stream<Path> files = Files.walk(staging)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort: a leftover hidden staging directory holds no secret
                }
            });
        } catch (IOException ignored) {
            // best effort
        }
    }
}
