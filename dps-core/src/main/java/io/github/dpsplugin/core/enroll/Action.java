package io.github.dpsplugin.core.enroll;

/**
 * One write the plan makes to one enrollment. {@code read} is the enrollment as read (compact JSON
 * bytes: an update's, a delete's, or for a create the old enrollment whose settings are carried),
 * {@code null} for a plain create. The PEMs are read from the output only when the write is sent.
 */
record Action(Kind kind, String id, FleetDevice device, byte[] read, String etag, String primaryFile,
        String secondaryFile, Secondary secondary, String reason) {

    enum Kind {
        CREATE("create"), UPDATE("updateIfMatchETag"), DELETE("delete");

        final String bulkMode;

        Kind(String bulkMode) {
            this.bulkMode = bulkMode;
        }
    }

    /** What the secondary slot must hold after the write. */
    enum Secondary {
        /** Whatever it holds: kept as read. */
        KEEP,
        /** The previous firmware's certificate. */
        PREVIOUS,
        /** Nothing. */
        NONE
    }
}
