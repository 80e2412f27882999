package io.github.dpsplugin.maven;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.rollout.PreviousFirmware;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.project.MavenProject;

/**
 * The firmware parameters that {@code generate} and {@code verify} share, read once for both: the
 * firmware ({@code firmwareElf}, or {@code firmwareBin} + {@code firmwareMap}, which have defaults
 * from the build directory), the previous firmware ({@code previousFirmware*}, no defaults) and the
 * nonce policy of the firmware's RIoT signer.
 *
 * <p>When an ELF is given it is used and the .bin/.map are not read. A POM may set the .bin/.map
 * for everyday builds and a command line add {@code -Ddps.firmwareElf=…}, so this is not an error;
 * but a .bin or .map set to something other than its default is named in a warning, so that
 * nobody believes those files were measured.
 */
final class FirmwareParameters {

    private FirmwareParameters() {
    }

    /** The firmware to measure; warns about explicitly set .bin/.map that an ELF overrides. */
    static FirmwareFiles current(File bin, File map, File elf, MavenProject project, Log log) {
        if (elf != null) {
            elfWins("", elf, isDefault(bin, project, ".bin") ? null : bin, isDefault(map, project, ".map") ? null : map,
                    "the measured bytes", log);
            return FirmwareFiles.of(null, null, elf.toPath());
        }
        return FirmwareFiles.of(AbstractDpsMojo.path(bin, "firmwareBin"), AbstractDpsMojo.path(map, "firmwareMap"),
                null);
    }

    /** The previous firmware, or {@code null} when none of its files is given. */
    static PreviousFirmware previous(File bin, File map, File elf, String version, Log log) {
        if (bin == null && map == null && elf == null) {
            return null;
        }
        if (elf != null) {
            elfWins("previous", elf, bin, map, "the previous firmware's measured bytes", log);
            return PreviousFirmware.of(null, null, elf.toPath(), version);
        }
        return PreviousFirmware.of(bin == null ? null : bin.toPath(), map == null ? null : map.toPath(), null, version);
    }

    /** The "ELF wins" warning: names the .bin and .map given beside the ELF ({@code null}: not given). */
    private static void elfWins(String prefix, File elf, File bin, File map, String measured, Log log) {
        List<String> ignored = new ArrayList<>();
        if (bin != null) {
            ignored.add(name(prefix, "FirmwareBin") + " (" + bin + ")");
        }
        if (map != null) {
            ignored.add(name(prefix, "FirmwareMap") + " (" + map + ")");
        }
        if (!ignored.isEmpty()) {
            log.warn(name(prefix, "FirmwareElf") + " is given, so " + String.join(" and ", ignored)
                    + (ignored.size() > 1 ? " are" : " is") + " not used: " + measured + " come from " + elf);
        }
    }

    /** {@code firmwareBin}, {@code previousFirmwareBin}, …: the parameter's name. */
    private static String name(String prefix, String suffix) {
        return prefix.isEmpty() ? Character.toLowerCase(suffix.charAt(0)) + suffix.substring(1) : prefix + suffix;
    }

    /** Whether {@code f} is the default {@code ${project.build.directory}/${project.build.finalName}<ext>}. */
    private static boolean isDefault(File f, MavenProject project, String ext) {
        if (f == null || f.getPath().contains("${")) {
            return true; // a default Maven could not interpolate, e.g. without a POM
        }
        if (project == null || project.getBuild() == null || project.getBuild().getDirectory() == null) {
            return true; // cannot tell; stay quiet rather than warn about a default
        }
        File d = new File(project.getBuild().getDirectory(), project.getBuild().getFinalName() + ext);
        return d.getAbsoluteFile().equals(f.getAbsoluteFile());
    }

    /**
     * The {@code nonce} parameter: {@code devkit} or {@code rfc6979}, and with {@code allowAny} also
     * {@code any} (returned as {@code null}: no expectation).
     */
    static NoncePolicy noncePolicy(String nonce, boolean allowAny) {
        String n = nonce == null ? "devkit" : nonce.strip().toLowerCase(Locale.ROOT);
        switch (n) {
            case "devkit":
                return NoncePolicy.DEVKIT;
            case "rfc6979":
                return NoncePolicy.RFC6979;
            case "any":
                if (allowAny) {
                    return null;
                }
                break;
            default:
                break;
        }
        throw new DpsException("nonce", DpsException.quote(nonce) + " is not a nonce policy; expected devkit"
                + " (what DevKit firmware computes)" + (allowAny ? ", rfc6979 or any" : " or rfc6979"));
    }
}
