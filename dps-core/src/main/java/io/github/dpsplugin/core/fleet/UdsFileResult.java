package io.github.dpsplugin.core.fleet;

import java.nio.file.Path;

/**
 * What {@link UdsFileWriter} wrote: the file and how many devices it holds (never a UDS).
 *
 * @param file the new UDS file; null when every selected device already had a UDS, and no file was written
 * @param deviceCount devices that got a new UDS: the file's lines after the header
 * @param skippedCount selected devices left out because their UDS comes from elsewhere (each named in a warning)
 * @param heldCount selected devices left out because the existing UDS files already hold them
 */
public record UdsFileResult(Path file, long deviceCount, long skippedCount, long heldCount) {
}
