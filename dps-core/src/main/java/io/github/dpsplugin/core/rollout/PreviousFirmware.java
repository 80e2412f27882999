package io.github.dpsplugin.core.rollout;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.firmware.FirmwareImage;
import io.github.dpsplugin.core.id.FirmwareVersion;
import io.github.dpsplugin.core.id.RegistrationId;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The firmware the devices run now, before an OTA update to the firmware being built: its files
 * (an ELF, or a .bin with its .map, as for the current firmware) and, optionally, the version
 * the devices report under it, which decides their previous MAC-derived registration ID.
 * Immutable; validated when made.
 */
public final class PreviousFirmware {

    private final FirmwareFiles files;
    private final FirmwareVersion version;

    private PreviousFirmware(FirmwareFiles files, FirmwareVersion version) {
        this.files = files;
        this.version = version;
    }

    /**
     * @param elf the previous firmware's ELF, or {@code null} for {@code bin} and {@code map}
     * @param version the version devices report under the previous firmware (N.N.N), or
     *     {@code null} when each device reported the version it reports now
     * @throws DpsException naming {@code previousFirmwareBin}, {@code previousFirmwareMap} or
     *     {@code previousFirmwareVersion}
     */
    public static PreviousFirmware of(Path bin, Path map, Path elf, String version) {
        if (elf == null && (bin == null || map == null)) {
            throw new DpsException(bin == null ? "previousFirmwareBin" : "previousFirmwareMap", "the previous"
                    + " firmware needs both its .bin and its .map (previousFirmwareBin and previousFirmwareMap), or"
                    + " its ELF (previousFirmwareElf)");
        }
        FirmwareVersion v = null;
        if (version != null && !version.isBlank()) {
            try {
                v = FirmwareVersion.parse(version.strip());
            } catch (DpsException e) {
                throw renamed(e);
            }
        }
        return new PreviousFirmware(FirmwareFiles.of(bin, map, elf), v);
    }

    /** Reads the previous firmware's measured ranges; errors name the {@code previousFirmware*} parameters. */
    public FirmwareImage read() {
        try {
            return files.read();
        } catch (DpsException e) {
            throw renamed(e);
        }
    }

    /** The previous firmware's file names by role, as the manifest records them. */
    public Map<String, String> names() {
        return files.names();
    }

    /** The version devices report under the previous firmware, or {@code null} (each device's own). */
    public FirmwareVersion version() {
        return version;
    }

    /**
     * The registration ID a device had under the previous firmware: an explicit ID does not change;
     * a MAC-derived one is derived again with the previous version.
     *
     * @throws DpsException naming {@code previousFirmwareVersion} when the derived ID does not fit the device
     */
    public RegistrationId previousId(RegistrationId current) {
        if (version == null || current.macAddress() == null || version.equals(current.firmwareVersion())) {
            return current;
        }
        try {
            return RegistrationId.derive(current.macAddress(), version);
        } catch (DpsException e) {
            throw renamed(e);
        }
    }

    /** The same error about the previous firmware's parameter: {@code firmwareMap} becomes {@code previousFirmwareMap}. */
    static DpsException renamed(DpsException e) {
        String field = e.field();
        String prefix = field + ": ";
        String message = e.getMessage();
        String detail = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
        // the message also names the parameters to fix (firmwareBin is …, give firmwareElf …): name the previous ones
        detail = detail.replaceAll("\\bfirmware(Bin|Map|Elf)\\b", "previousFirmware$1");
        String name = field.startsWith("previous") ? field
                : "previous" + field.substring(0, 1).toUpperCase(Locale.ROOT) + field.substring(1);
        // a read fault stays the environment's, a bad file stays the user's
        return e.kind() == DpsException.Kind.ENVIRONMENT ? DpsException.environment(name, detail, e)
                : new DpsException(name, detail, e);
    }

    @Override
    public String toString() {
        return "PreviousFirmware[" + names() + (version == null ? "" : ", version " + version) + "]";
    }
}
