package io.github.dpsplugin.maven;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.UdsSource;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.io.File;
import java.util.Locale;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * The parameters {@code generate} and {@code verify} share, under the same names and {@code dps.*}
 * properties: the firmware, where a device's UDS comes from, and the nonce policy; and the one
 * place for what both do with them: UDS sourcing ({@link #udsSources()}, {@link #udsSource}), the
 * refusal of a UDS given as a value ({@link #refusedUds}), nonce parsing ({@link #noncePolicy})
 * and how paths are shown in the log ({@link #relative}).
 */
abstract class AbstractFirmwareMojo extends AbstractDpsMojo {

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

    /**
     * The raw flash image of the firmware the devices run now, before the update to this build's
     * firmware. With it (and {@code previousFirmwareMap}), {@code generate} prepares a rollout (see
     * "Releasing new firmware") and {@code verify} tells a certificate of the previous firmware from
     * one that matches neither.
     */
    @Parameter(property = "dps.previousFirmwareBin")
    protected File previousFirmwareBin;

    /** The GNU ld link map of the previous firmware's link (with {@code previousFirmwareBin}). */
    @Parameter(property = "dps.previousFirmwareMap")
    protected File previousFirmwareMap;

    /** The previous firmware's linked ELF, instead of previousFirmwareBin + previousFirmwareMap. */
    @Parameter(property = "dps.previousFirmwareElf")
    protected File previousFirmwareElf;

    /** Id of the settings.xml {@code <server>} whose password (plain or Maven-encrypted) is the device's UDS. */
    @Parameter(property = "dps.udsServerId")
    protected String udsServerId;

    /** Name of the environment variable that holds the device's UDS. */
    @Parameter(property = "dps.udsEnv")
    protected String udsEnv;

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

    protected AbstractFirmwareMojo(SettingsDecrypter settingsDecrypter) {
        super(settingsDecrypter);
    }

    /**
     * Refuses a UDS given as a value: {@code -Ddps.uds=…} (or a {@code dps.uds} system or POM
     * property) and {@code <uds>} in the plugin configuration. There is no {@code uds} parameter on
     * purpose: Maven's debug log (-X) prints every parameter's value before the goal runs, so the
     * value is looked for here, in the session's properties and the raw configuration, and never read.
     */
    protected void refuseUdsValues() {
        UdsValues.refuse(session, project, mojoExecution);
    }

    /**
     * The UDS source named by {@code serverId} or {@code env}, or {@code null} when neither is given.
     * {@code device} labels the device in the error when both are given ({@code null}: no device).
     */
    protected static UdsSource udsSource(MavenUdsSources sources, String serverId, String env, String device) {
        boolean hasServer = notBlank(serverId);
        boolean hasEnv = notBlank(env);
        if (hasServer && hasEnv) {
            DpsException e = new DpsException("udsServerId", "give either udsServerId or udsEnv, not both");
            throw device == null ? e : e.forDevice(device);
        }
        if (hasServer) {
            return sources.settingsServer(serverId.strip());
        }
        if (hasEnv) {
            return sources.environmentVariable(env.strip());
        }
        return null;
    }

    /**
     * The {@code nonce} parameter: {@code devkit} or {@code rfc6979}, and with {@code allowAny} also
     * {@code any} (returned as {@code null}: no expectation).
     */
    protected NoncePolicy noncePolicy(boolean allowAny) {
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
