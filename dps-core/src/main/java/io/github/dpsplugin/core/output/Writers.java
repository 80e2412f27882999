package io.github.dpsplugin.core.output;

import io.github.dpsplugin.core.common.DpsException;

/** The writers of a run's staged files, finished together. */
public final class Writers {

    private Writers() {
    }

    /**
     * Closes every writer that is not {@code null}; after a failure, quietly (their files are
     * discarded and their own errors would hide the first one). Otherwise the first error is thrown
     * once all are closed.
     */
    public static void closeAll(boolean failed, AutoCloseable... writers) {
        RuntimeException first = null;
        for (AutoCloseable w : writers) {
            if (w == null) {
                continue;
            }
            try {
                w.close();
            } catch (Exception e) {
                if (!failed && first == null) {
                    first = e instanceof RuntimeException r ? r
                            : DpsException.environment("outputDirectory", e.getMessage(), e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
