package io.github.dpsplugin.core.fleet;

/** Progress and remarks of a run, for the caller to log. Never receives secrets. Called from one thread. */
public interface BatchListener {

    /** A detail worth a debug line (e.g. a symbol defined twice in the map). */
    default void debug(String message) {
    }

    /** Something the user should know that does not stop the run (e.g. an ID past 64 characters). */
    default void warning(String message) {
    }

    /** One device's outputs were staged (they are published together at the end). */
    default void deviceDone(DeviceOutput output) {
    }

    /**
     * Called at most once per progress interval during long runs.
     *
     * @param done devices finished so far
     * @param total devices in this run (this shard)
     * @param elapsedNanos time since generation started
     */
    default void progress(long done, long total, long elapsedNanos) {
    }

    /** Does nothing. */
    BatchListener NONE = new BatchListener() {
    };
}
