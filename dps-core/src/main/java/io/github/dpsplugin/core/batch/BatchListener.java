package io.github.dpsplugin.core.batch;

/** Progress and remarks of a run, for the caller to log. Never receives secrets. */
public interface BatchListener {

    /** A detail worth a debug line (e.g. a symbol defined twice in the map). */
    default void debug(String message) {
    }

    /** Something the user should know that does not stop the run (e.g. an ID past 64 characters). */
    default void warning(String message) {
    }

    /** One device's outputs were computed (not yet published; see {@link BatchResult}). */
    default void deviceDone(DeviceOutput output) {
    }

    /** Does nothing. */
    BatchListener NONE = new BatchListener() {
    };
}
