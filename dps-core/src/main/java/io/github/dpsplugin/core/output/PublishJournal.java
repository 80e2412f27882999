package io.github.dpsplugin.core.output;

import io.github.dpsplugin.core.common.DpsException;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Moves staged files into an existing output directory one by one, in the layout's order, under a
 * journal naming the run being published: a run killed halfway is completed by the next one
 * ({@link #recover}), which finds the journal. A failure while moving puts back the files that
 * were replaced. Then the files of the previous run that this run does not write are removed:
 * only names the layout says the previous run wrote, never another file.
 */
final class PublishJournal {

    /** The journal of a publish in progress, in the output directory. */
    static final String FILE_NAME = ".dps-publish";
    private static final String HEADER = "dps-publish 1";
    private static final String REPLACED = ".dps-replaced";
    private static final String FIELD = "outputDirectory";

    private final Path directory;
    private final Path staging;
    private final StagedOutput.Storage storage;
    private final OutputLayout layout;
    private final Consumer<String> warnings;
    private boolean keepStaging;

    PublishJournal(Path directory, Path staging, StagedOutput.Storage storage, OutputLayout layout,
            Consumer<String> warnings) {
        this.directory = directory;
        this.staging = staging;
        this.storage = storage;
        this.layout = layout;
        this.warnings = warnings;
    }

    /**
     * Whether the staging directory must outlive this run: the journal still names it, for the
     * next run to complete or retry this publish.
     */
    boolean keepStaging() {
        return keepStaging;
    }

    /** Completes a publish that a run killed halfway left behind (its journal names it). */
    static void recover(Path directory, OutputLayout layout, StagedOutput.Storage storage, Consumer<String> warnings)
            throws IOException {
        Path journal = directory.resolve(FILE_NAME);
        if (!Files.isRegularFile(journal, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<String> lines;
        try (BufferedReader r = Files.newBufferedReader(journal, StandardCharsets.UTF_8)) {
            lines = r.lines().toList();
        }
        if (lines.size() < 2 || !lines.get(0).equals(HEADER)) {
            warnings.accept(journal + " is not a journal this plugin can read; left as it is");
            return;
        }
        Path absolute = directory.toAbsolutePath();
        Path staging = absolute.resolve(lines.get(1)).normalize();
        boolean ourStaging = staging.getFileName() != null
                && staging.getFileName().toString().startsWith(StagingDirectory.PREFIX)
                && (absolute.equals(staging.getParent()) || absolute.getParent() != null
                        && absolute.getParent().equals(staging.getParent()));
        if (!ourStaging) {
            warnings.accept(journal + " names " + staging + ", not a staging directory; left as it is");
            return;
        }
        int moved = 0;
        if (Files.isDirectory(staging, LinkOption.NOFOLLOW_LINKS)) {
            if (Boolean.FALSE.equals(StagingDirectory.isDead(staging))) {
                return; // that run is alive and publishing right now
            }
            List<String> files = new ArrayList<>();
            StagingDirectory.listFiles(staging, "", files);
            for (String sub : layout.subdirectories()) {
                if (Files.isDirectory(staging.resolve(sub), LinkOption.NOFOLLOW_LINKS)) {
                    StagingDirectory.listFiles(staging.resolve(sub), sub + "/", files);
                }
            }
            for (String n : layout.publishOrder(files)) {
                StagingDirectory.createSubdirectory(directory, n);
                storage.move(staging.resolve(n), directory.resolve(n));
                moved++;
            }
        }
        List<String> deleted = new ArrayList<>();
        for (String line : lines.subList(2, lines.size())) {
            String n = line.substring(line.indexOf(' ') + 1);
            int slash = n.indexOf('/');
            if (line.startsWith("delete ") && layout.isOutputName(n) && (slash < 0
                    || Files.isDirectory(directory.resolve(n.substring(0, slash)), LinkOption.NOFOLLOW_LINKS))) {
                Files.deleteIfExists(directory.resolve(n)); // never through a link to elsewhere
                deleted.add(n);
            }
        }
        StagingDirectory.removeEmptySubdirectories(directory, layout.subdirectories(), deleted);
        StagingDirectory.deleteTree(staging);
        Files.deleteIfExists(journal);
        warnings.accept("completed the publishing of an earlier run into " + directory + " that was interrupted ("
                + moved + " files were still to be moved)");
    }

    /**
     * Publishes the staged {@code names}; unless {@code keepPrevious}, then removes the files of the
     * previous run that are not among them.
     */
    void publish(Set<String> names, boolean keepPrevious) {
        List<String> order = layout.publishOrder(names);
        for (String sub : layout.subdirectories()) {
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
        Set<String> previous = keepPrevious ? Set.of() : layout.previous(directory, warnings);
        List<String> stale = new ArrayList<>();
        for (String n : previous) {
            if (!names.contains(n) && Files.isRegularFile(directory.resolve(n), LinkOption.NOFOLLOW_LINKS)) {
                stale.add(n);
            }
        }
        Collections.sort(stale);
        Path journal = directory.resolve(FILE_NAME);
        try {
            Path draft = staging.resolve(FILE_NAME + ".new");
            try (BufferedWriter w = new BufferedWriter(new OutputStreamWriter(storage.create(draft),
                    StandardCharsets.UTF_8))) {
                Path where = directory.toAbsolutePath().relativize(staging.toAbsolutePath());
                w.write(HEADER + "\n" + where + "\n");
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
        for (String sub : layout.subdirectories()) {
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
                StagingDirectory.createSubdirectory(directory, n);
                if (Files.exists(t, LinkOption.NOFOLLOW_LINKS)) {
                    StagingDirectory.createSubdirectory(replaced, n);
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
            StagingDirectory.removeEmptySubdirectories(directory, layout.subdirectories(), created);
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
        StagingDirectory.removeEmptySubdirectories(directory, layout.subdirectories(), stale);
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
            layout.warnAboutForeignFiles(directory, names, stale, warnings);
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
}
