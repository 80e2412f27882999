package io.github.dpsplugin.maven;

import io.github.dpsplugin.core.rollout.PreviousFirmware;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.logging.Log;

/**
 * The previous firmware's parameters ({@code previousFirmwareElf}, or {@code previousFirmwareBin}
 * + {@code previousFirmwareMap}), under the same rules as the current firmware's: the ELF wins
 * and a .bin or .map given beside it is named in a warning. They have no defaults: without any of
 * them there is no previous firmware.
 */
final class PreviousFirmwareParameters {

    private PreviousFirmwareParameters() {
    }

    /** The previous firmware, or {@code null} when none of its files is given. */
    static PreviousFirmware of(File bin, File map, File elf, String version, Log log) {
        if (bin == null && map == null && elf == null) {
            return null;
        }
        if (elf != null) {
            List<String> ignored = new ArrayList<>();
            if (bin != null) {
                ignored.add("previousFirmwareBin (" + bin + ")");
            }
            if (map != null) {
                ignored.add("previousFirmwareMap (" + map + ")");
            }
            if (!ignored.isEmpty()) {
                log.warn("previousFirmwareElf is given, so " + String.join(" and ", ignored)
                        + (ignored.size() > 1 ? " are" : " is") + " not used: the previous firmware's measured bytes"
                        + " come from " + elf);
            }
            return PreviousFirmware.of(null, null, elf.toPath(), version);
        }
        return PreviousFirmware.of(bin == null ? null : bin.toPath(), map == null ? null : map.toPath(), null, version);
    }
}
