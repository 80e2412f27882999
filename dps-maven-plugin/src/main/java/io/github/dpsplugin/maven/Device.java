package io.github.dpsplugin.maven;

/**
 * One {@code <device>} of the {@code <devices>} list: a registration ID (or the MAC address and
 * firmware version it is derived from) and a reference to its UDS. The UDS itself is never
 * written in the POM.
 */
public class Device {

    /** The DPS registration ID, also the certificate's subject CN. Alternative to {@code macAddress}. */
    private String registrationId;

    /** The device's Wi-Fi MAC address; the ID is then {@code az-<mac>v<x>v<y>v<z>} as the DevKit derives it. */
    private String macAddress;

    /** The firmware version the device reports (N.N.N); defaults to the plugin's {@code firmwareVersion}. */
    private String firmwareVersion;

    /** Id of the settings.xml {@code <server>} whose password (plain or Maven-encrypted) is this device's UDS. */
    private String udsServerId;

    /** Name of the environment variable that holds this device's UDS. */
    private String udsEnv;

    /**
     * Whether a {@code <uds>} was written (refused: a UDS in the POM would be committed and logged;
     * use {@code udsServerId} or {@code udsEnv}). Only its presence is kept, never the value.
     */
    private boolean inlineUds;

    public String getRegistrationId() {
        return registrationId;
    }

    public void setRegistrationId(String registrationId) {
        this.registrationId = registrationId;
    }

    public String getMacAddress() {
        return macAddress;
    }

    public void setMacAddress(String macAddress) {
        this.macAddress = macAddress;
    }

    public String getFirmwareVersion() {
        return firmwareVersion;
    }

    public void setFirmwareVersion(String firmwareVersion) {
        this.firmwareVersion = firmwareVersion;
    }

    public String getUdsServerId() {
        return udsServerId;
    }

    public void setUdsServerId(String udsServerId) {
        this.udsServerId = udsServerId;
    }

    public String getUdsEnv() {
        return udsEnv;
    }

    public void setUdsEnv(String udsEnv) {
        this.udsEnv = udsEnv;
    }

    /** Whether a UDS was written into the POM (refused). */
    boolean hasInlineUds() {
        return inlineUds;
    }

    /**
     * Maven sets it from a {@code <uds>} in the POM; only that one was written is kept. Not a
     * String: Maven's debug log (-X) prints what a setter receives, here {@link InlineUds}'s
     * placeholder instead of the value.
     */
    public void setUds(InlineUds uds) {
        this.inlineUds = uds != null;
    }

    /**
     * A {@code <uds>} written into a POM {@code <device>}, which is refused; it holds nothing of the
     * value. Maven builds it from the element's text through {@link #set(boolean)}: the text is
     * converted to a boolean on the way in (any UDS reads as {@code false}), so neither this object
     * nor the debug log line of that call holds the secret.
     */
    public static final class InlineUds {

        /** Maven's setter for an element's text; the boolean it is turned into is not kept either. */
        public void set(boolean ignored) {
            // nothing of the value is kept: that a <uds> was written is all the refusal needs
        }

        @Override
        public String toString() {
            return "(a UDS written in the POM: refused, not shown)";
        }
    }

    @Override
    public String toString() {
        return "Device[registrationId=" + registrationId + ", macAddress=" + macAddress + ", firmwareVersion="
                + firmwareVersion + ", udsServerId=" + udsServerId + ", udsEnv=" + udsEnv + "]";
    }
}
