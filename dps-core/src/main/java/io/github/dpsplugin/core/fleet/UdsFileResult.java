package io.github.dpsplugin.core.fleet;

import java.nio.file.Path;

/**
 * What {@link UdsFileWriter} wrote: the file and how many devices it holds (never a UDS).
 *
 * @param file the new UDS file
 * @param deviceCount devices that got a new UDS: the file's lines after the header
 * @param skippedCount selected devices left out because their UDS comes from elsewhere (each named in a warning)
 */
public record UdsFileResult(Path file, long deviceCount, long skippedCount) {
}
