package io.github.dpsplugin.core.batch;

import java.nio.file.Path;

/** What {@link UdsFileWriter} wrote: the file and how many devices it holds (never a UDS). */
public final class UdsFileResult {

    private final Path file;
    private final long deviceCount;
    private final long skippedCount;

    UdsFileResult(Path file, long deviceCount, long skippedCount) {
        this.file = file;
        this.deviceCount = deviceCount;
        this.skippedCount = skippedCount;
    }

    /** The new UDS file. */
    public Path file() {
        return file;
    }

    /** Devices that got a new UDS: the file's lines after the header. */
    public long deviceCount() {
        return deviceCount;
    }

    /** Selected devices left out because their UDS comes from elsewhere (each named in a warning). */
    public long skippedCount() {
        return skippedCount;
    }

    @Override
    public String toString() {
        return "UdsFileResult[" + file + ", " + deviceCount + " devices, " + skippedCount + " skipped]";
    }
}
