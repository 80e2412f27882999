package io.github.dpsplugin.maven;

import io.github.dpsplugin.core.DpsException;
import java.io.File;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * The parameters {@code generate} and {@code verify} share, under the same names and {@code dps.*}
 * properties: the firmware, where a device's UDS comes from, and the nonce policy.
 */
abstract class AbstractDpsMojo extends AbstractMojo {

    /** Skips the goal. */
    @Parameter(property = "dps.skip", defaultValue = "false")
    protected boolean skip;

    /** The raw flash image of the firmware (objcopy {@code -O binary}); byte 0 is the FLASH origin. */
    @Parameter(property = "dps.firmwareBin", defaultValue = "${project.build.directory}/${project.build.finalName}.bin")
    protected File firmwareBin;

    /** The GNU ld link map of the same link ({@code -Wl,-Map,…}): gives the FLASH origin and the riot symbols. */
    @Parameter(property = "dps.firmwareMap", defaultValue = "${project.build.directory}/${project.build.finalName}.map")
    protected File firmwareMap;

    /**
     * The linked firmware ELF (32-bit little-endian ARM), instead of firmwareBin + firmwareMap: the
     * riot symbols come from its symbol table and the measured bytes from its sections. When given,
     * the .bin and .map are not read.
     */
    @Parameter(property = "dps.firmwareElf")
    protected File firmwareElf;

    /** Id of the settings.xml {@code <server>} whose password (plain or Maven-encrypted) is the device's UDS. */
    @Parameter(property = "dps.udsServerId")
    protected String udsServerId;

    /** Name of the environment variable that holds the device's UDS. */
    @Parameter(property = "dps.udsEnv")
    protected String udsEnv;

    /**
     * Refused on purpose: a UDS given in the POM or with {@code -D} ends up in version control, shell
     * history and logs. Use {@code udsServerId} (settings.xml, encryptable) or {@code udsEnv}.
     */
    @Parameter(property = "dps.uds")
    protected String uds;

    /**
     * ECDSA nonce policy of the device's RIoT signer: {@code devkit} (the DevKit's fixed nonce: what
     * DevKit firmware computes) or {@code rfc6979} (deterministic and secret); {@code verify} also
     * takes {@code any}.
     */
    @Parameter(property = "dps.nonce", defaultValue = "devkit")
    protected String nonce;

    /**
     * Silences the warning that with the {@code devkit} nonce the DeviceID private key can be computed
     * from any certificate; set it once you have read and accepted that.
     */
    @Parameter(property = "dps.acknowledgeDevkitNonce", defaultValue = "false")
    protected boolean acknowledgeDevkitNonce;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    protected MavenSession session;

    @Parameter(defaultValue = "${project}", readonly = true)
    protected MavenProject project;

    protected final SettingsDecrypter settingsDecrypter;

    protected AbstractDpsMojo(SettingsDecrypter settingsDecrypter) {
        this.settingsDecrypter = settingsDecrypter;
    }

    /**
     * The Maven form of a core error: the user's input is a build failure
     * ({@link MojoFailureException}); an I/O or environment fault is a {@link MojoExecutionException}
     * with its cause attached.
     */
    static Exception mojoException(DpsException e) {
        if (e.kind() == DpsException.Kind.ENVIRONMENT) {
            return new MojoExecutionException(e.getMessage(), e);
        }
        return new MojoFailureException(e.getMessage());
    }

    /** Throws {@link #mojoException(DpsException)}. */
    static void fail(DpsException e) throws MojoExecutionException, MojoFailureException {
        Exception m = mojoException(e);
        if (m instanceof MojoExecutionException) {
            throw (MojoExecutionException) m;
        }
        throw (MojoFailureException) m;
    }

    /** Anything else escaping the core is not the user's fault: an execution error with its cause. */
    static MojoExecutionException unexpected(RuntimeException e) {
        return new MojoExecutionException("unexpected " + e.getClass().getName()
                + (e.getMessage() != null ? ": " + e.getMessage() : ""), e);
    }
}
