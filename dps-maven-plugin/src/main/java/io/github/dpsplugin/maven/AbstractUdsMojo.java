package io.github.dpsplugin.maven;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.fleet.SecretFiles;
import io.github.dpsplugin.core.fleet.UdsFiles;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The goals that take a device's UDS from somewhere ({@code generate}, {@code generate-uds},
 * {@code verify}): the {@code udsServerId} and {@code udsEnv} parameters under one rule
 * ({@link UdsReference}), the refusal of a UDS given as a value, and the reading of UDS files.
 */
abstract class AbstractUdsMojo extends AbstractDpsMojo {

    /**
     * Id of the settings.xml {@code <server>} whose password (plain or Maven-encrypted) is the
     * device's UDS. {@code generate-uds} makes no UDS for a device that names one.
     */
    @Parameter(property = "dps.udsServerId") protected String udsServerId;

    /**
     * Name of the environment variable that holds the device's UDS. {@code generate-uds} makes no
     * UDS for a device that names one.
     */
    @Parameter(property = "dps.udsEnv") protected String udsEnv;

    /**
     * Refuses a UDS given as a value: {@code -Ddps.uds=…} (or a {@code dps.uds} system or POM
     * property) and {@code <uds>} in the plugin configuration. There is no {@code uds} parameter on
     * purpose: Maven's debug log (-X) prints every parameter's value before the goal runs, so the
     * value is looked for here, in the session's properties and the raw configuration, and never read.
     */
    protected void refuseUdsValues() {
        UdsValues.refuse(session, project, mojoExecution);
    }

    /** The UDS source named by {@code udsServerId} or {@code udsEnv}; {@code device} labels errors ({@code null}: none). */
    protected UdsReference udsReference(String device) {
        return UdsReference.of(udsServerId, udsEnv, device);
    }

    /** The UDS files, read; a warning names each that others than its owner may read, as ssh does for a key. */
    protected UdsFiles readUdsFiles(List<Path> files) {
        return readUdsFiles(files, "udsFile");
    }

    /** As {@link #readUdsFiles(List)}, the files given by the parameter {@code field}, which errors and warnings name. */
    protected UdsFiles readUdsFiles(List<Path> files, String field) {
        for (Path file : files) {
            String warning = SecretFiles.readableByOthers(file, field);
            if (warning != null) {
                getLog().warn(warning);
            }
        }
        try {
            return UdsFiles.read(files);
        } catch (DpsException e) {
            throw "udsFile".equals(e.field()) ? e.forField(field) : e;
        }
    }
}
