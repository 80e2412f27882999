package io.github.dpsplugin.maven;

import io.github.dpsplugin.core.output.Shard;
import java.io.File;
import java.util.List;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The goals that select a fleet's devices ({@code generate}, {@code generate-uds}, and
 * {@code verify}, which checks that the certificates cover them): the same parameters, read the
 * same way, so that the goals select exactly the same devices: the POM's
 * {@code <devices>}, then a single device given by {@code registrationId}/{@code macAddress}
 * ({@link #forEachListedDevice}), then the {@code devicesFile}, filtered to the {@code shard}.
 */
abstract class AbstractDevicesMojo extends AbstractUdsMojo {

    /** How the single device of registrationId/macAddress is named in messages. */
    static final String SINGLE_DEVICE = "given by dps.registrationId/dps.macAddress";

    /**
     * The devices: each {@code <device>} has a {@code registrationId} or a {@code macAddress} (with
     * {@code firmwareVersion}), and a {@code udsServerId} or {@code udsEnv} unless {@code generate}
     * reads its UDS from the {@code udsFile}. {@code generate-uds} makes no UDS for a device with its
     * own udsServerId or udsEnv (generate reads its UDS from there), with a warning. {@code verify}
     * fails when one of them has no certificate among those it verifies, and recomputes the
     * certificate of one with its own udsServerId or udsEnv.
     */
    @Parameter protected List<Device> devices;

    /**
     * One device's registration ID, for a single device without a {@code <devices>} list (e.g. direct
     * invocation). For {@code verify} with certificate files (no manifest): the ID they must carry.
     */
    @Parameter(property = "dps.registrationId") protected String registrationId;

    /** One device's Wi-Fi MAC address, from which the DevKit derives its registration ID (with {@code firmwareVersion}). */
    @Parameter(property = "dps.macAddress") protected String macAddress;

    /** The firmware version devices report (N.N.N, the DevKit SDK version); the default for every device. */
    @Parameter(property = "dps.firmwareVersion") protected String firmwareVersion;

    /**
     * A fleet's devices: CSV with a header line, columns {@code registrationId}, or {@code macAddress}
     * with an optional {@code firmwareVersion}; {@code #} comments and blank lines allowed. Combined
     * with {@code <devices>}, which come first.
     */
    @Parameter(property = "dps.devicesFile") protected File devicesFile;

    /**
     * Only part of the fleet: {@code i/n} (1-based) takes the devices whose position (POM devices
     * first, then the devices file) modulo n is i−1, so n CI jobs split a fleet without overlap or
     * gap; {@code generate-uds} takes exactly the devices {@code generate} takes, and {@code verify}
     * checks that each of them has a certificate. The manifest records the shard.
     */
    @Parameter(property = "dps.shard") protected String shard;

    /** One listed device as the parameters give it. */
    @FunctionalInterface
    interface ListedDevice {
        /**
         * @param label how messages name the device while its ID is not known, e.g. "#2 of &lt;devices&gt;"
         * @param firmwareVersion the device's own, else the {@code firmwareVersion} parameter
         */
        void accept(String label, String registrationId, String macAddress, String firmwareVersion, UdsReference uds);
    }

    /**
     * The POM's {@code <devices>}, then the single device of {@code registrationId}/{@code macAddress}
     * when given. A {@code <uds>} written in a device is refused here, for every goal.
     */
    protected void forEachListedDevice(ListedDevice each) {
        if (devices != null) {
            for (int i = 0; i < devices.size(); i++) {
                Device d = devices.get(i);
                String label = "#" + (i + 1) + " of <devices>";
                if (d.hasInlineUds()) {
                    throw UdsValues.refused("<uds> of device " + label);
                }
                each.accept(label, d.getRegistrationId(), d.getMacAddress(),
                        d.getFirmwareVersion() != null ? d.getFirmwareVersion() : firmwareVersion,
                        UdsReference.of(d.getUdsServerId(), d.getUdsEnv(), label));
            }
        }
        if (singleDevice()) {
            each.accept(SINGLE_DEVICE, registrationId, macAddress, firmwareVersion, udsReference(SINGLE_DEVICE));
        }
    }

    /** Whether a single device is given by {@code registrationId} or {@code macAddress}. */
    protected boolean singleDevice() {
        return notBlank(registrationId) || notBlank(macAddress);
    }

    protected Shard shard() {
        return shard == null || shard.isBlank() ? Shard.ALL : Shard.parse(shard);
    }
}
