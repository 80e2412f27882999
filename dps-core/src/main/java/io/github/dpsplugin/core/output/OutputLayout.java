package io.github.dpsplugin.core.output;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The policy a {@link StagedOutput} publishes by: which names an output may have, in which order
 * they are published, what a previous run wrote (and may be removed as stale). The staging and
 * publishing mechanism knows none of the output's file names; this knows none of the mechanism's.
 */
interface OutputLayout {

    /** The subdirectories, one level deep, that outputs may be written into. */
    List<String> subdirectories();

    /** Whether {@code name} (a plain file name, or {@code <subdirectory>/<file>}) may be an output. */
    boolean isOutputName(String name);

    /** {@code names} in the order they are published; the last is what makes a run the current one. */
    List<String> publishOrder(Collection<String> names);

    /** The names a previous run in {@code directory} wrote, which a new run may remove as stale. */
    Set<String> previous(Path directory, Consumer<String> warnings);

    /**
     * Tells {@code warnings} about files in {@code directory} that look like outputs but that neither
     * this run wrote ({@code written}) nor the previous one ({@code removed}); they are left alone.
     */
    void warnAboutForeignFiles(Path directory, Set<String> written, List<String> removed, Consumer<String> warnings);
}
