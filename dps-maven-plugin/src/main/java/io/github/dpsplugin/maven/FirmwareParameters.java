package io.github.dpsplugin.maven;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.project.MavenProject;

/**
 * The firmware parameters that {@code generate} and {@code verify} share: {@code firmwareElf}, or
 * {@code firmwareBin} + {@code firmwareMap} (which have defaults from the build directory).
 *
 * <p>When {@code firmwareElf} is given it is used and the .bin/.map are not read. A POM may set the
 * .bin/.map for everyday builds and a command line add {@code -Ddps.firmwareElf=…}, so this is not
 * an error; but a .bin or .map set to something other than its default is named in a warning, so
 * that nobody believes those files were measured.
 */
final class FirmwareParameters {

    private FirmwareParameters() {
    }

    /** True when the ELF is to be read (it is given); warns about explicitly set .bin/.map that it overrides. */
    static boolean useElf(File elf, File bin, File map, MavenProject project, Log log) {
        if (elf == null) {
            return false;
        }
        List<String> ignored = new ArrayList<>();
        if (bin != null && !isDefault(bin, project, ".bin")) {
            ignored.add("firmwareBin (" + bin + ")");
        }
        if (map != null && !isDefault(map, project, ".map")) {
            ignored.add("firmwareMap (" + map + ")");
        }
        if (!ignored.isEmpty()) {
            log.warn("firmwareElf is given, so " + String.join(" and ", ignored) + (ignored.size() > 1 ? " are" : " is")
                    + " not used: the measured bytes come from " + elf);
        }
        return true;
    }

    /** Whether {@code f} is the default {@code ${project.build.directory}/${project.build.finalName}<ext>}. */
    private static boolean isDefault(File f, MavenProject project, String ext) {
        if (f.getPath().contains("${")) {
            return true; // a default Maven could not interpolate, e.g. without a POM
        }
        if (project == null || project.getBuild() == null || project.getBuild().getDirectory() == null) {
            return true; // cannot tell; stay quiet rather than warn about a default
        }
        File d = new File(project.getBuild().getDirectory(), project.getBuild().getFinalName() + ext);
        return d.getAbsoluteFile().equals(f.getAbsoluteFile());
    }
}
