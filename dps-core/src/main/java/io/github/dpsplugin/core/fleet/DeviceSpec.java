package io.github.dpsplugin.core.fleet;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.UdsSource;
import io.github.dpsplugin.core.id.FirmwareVersion;
import io.github.dpsplugin.core.id.MacAddress;
import io.github.dpsplugin.core.id.RegistrationId;
import java.util.Objects;

/** One device to generate for: its registration ID and where its UDS comes from. */
public final class DeviceSpec {

    /** Where the device was given (e.g. {@code devices.csv:12}), or null. */
    private final String where;
    private final RegistrationId registrationId;
    private final UdsSource uds;

    private DeviceSpec(String where, RegistrationId registrationId, UdsSource uds) {
        this.where = where;
        this.registrationId = registrationId;
        this.uds = uds;
    }

    public static DeviceSpec of(RegistrationId registrationId, UdsSource uds) {
        return new DeviceSpec(null, registrationId, Objects.requireNonNull(uds, "uds"));
    }

    /**
     * Validates a device as users write it: either an explicit {@code registrationId}, or a
     * {@code macAddress} with a {@code firmwareVersion} from which the device derives its ID.
     *
     * @param label how the user knows this device when the ID is not yet known, e.g. "#3" or
     *     "devices.csv:12"; errors are attributed to it
     * @throws DpsException attributed to the device, naming the field at fault
     */
    public static DeviceSpec parse(String label, String registrationId, String macAddress, String firmwareVersion,
            UdsSource uds) {
        return parseChecked(label, registrationId, macAddress, firmwareVersion, id -> uds, null, "udsServerId",
                "no UDS source; give udsServerId (a settings.xml server whose password is the UDS) or udsEnv (an"
                        + " environment variable)");
    }

    /**
     * As {@link #parse(String, String, String, String, UdsSource)}, with the UDS source looked up by
     * the device's final registration ID (which may be derived from the MAC address), e.g. in a
     * UDS file; {@code missingUds} explains what to do when the lookup gives {@code null}.
     */
    public static DeviceSpec parse(String label, String registrationId, String macAddress, String firmwareVersion,
            java.util.function.Function<String, UdsSource> udsLookup, String missingUdsField, String missingUds) {
        return parseChecked(label, registrationId, macAddress, firmwareVersion, udsLookup, null, missingUdsField,
                missingUds);
    }

    /**
     * As {@link #parse(String, String, String, String, java.util.function.Function, String, String)};
     * when the lookup has nothing under the device's final ID, it is asked again under
     * {@code fallbackId}'s answer for that ID (for a rollout: the device's previous registration ID,
     * under which a UDS file may still list it), unless that is {@code null} or the same ID.
     */
    public static DeviceSpec parse(String label, String registrationId, String macAddress, String firmwareVersion,
            java.util.function.Function<String, UdsSource> udsLookup,
            java.util.function.UnaryOperator<RegistrationId> fallbackId, String missingUdsField, String missingUds) {
        return parseChecked(label, registrationId, macAddress, firmwareVersion, udsLookup, fallbackId, missingUdsField,
                missingUds);
    }

    private static DeviceSpec parseChecked(String label, String registrationId, String macAddress,
            String firmwareVersion, java.util.function.Function<String, UdsSource> udsLookup,
            java.util.function.UnaryOperator<RegistrationId> fallbackId, String udsField, String noUds) {
        // how an error names the device, built only for an error: the ID as written and where it was
        // written (a devices-file line number finds a bad ID fastest), the MAC once read, the final ID
        MacAddress mac = null;
        RegistrationId id = null;
        boolean noSource = false;
        try {
            if (registrationId != null && !registrationId.isEmpty()) {
                if (macAddress != null && !macAddress.isBlank()) {
                    throw new DpsException("registrationId", "give either registrationId or macAddress"
                            + " (+ firmwareVersion), not both");
                }
                id = RegistrationId.of(registrationId);
            } else if (macAddress != null && !macAddress.isBlank()) {
                mac = MacAddress.parse(macAddress);
                if (firmwareVersion == null || firmwareVersion.isBlank()) {
                    throw new DpsException("firmwareVersion", "is not set; a device given by macAddress needs"
                            + " the firmware version it reports (N.N.N) to derive its registration ID");
                }
                id = RegistrationId.derive(mac, FirmwareVersion.parse(firmwareVersion));
            } else {
                throw new DpsException("registrationId", "is not set; give registrationId, or macAddress and"
                        + " firmwareVersion");
            }
            UdsSource uds = udsLookup.apply(id.value());
            if (uds == null && fallbackId != null) {
                RegistrationId other = fallbackId.apply(id);
                if (other != null && !other.equals(id)) {
                    uds = udsLookup.apply(other.value());
                }
            }
            if (uds == null) {
                noSource = true;
                throw new DpsException(udsField, noUds);
            }
            return new DeviceSpec(label, id, uds);
        } catch (DpsException e) {
            if (e.device() != null) {
                throw e;
            }
            String who = noSource ? DpsException.quote(id.value()) + " (" + label + ")"
                    : mac != null ? label + " (MAC " + mac + ")"
                    : registrationId != null && !registrationId.isBlank()
                            ? DpsException.quote(registrationId) + " (" + label + ")" : label;
            throw e.forDevice(who);
        }
    }

    /** How messages name this device (built when a message needs it, not for each device of a fleet). */
    public String label() {
        return label(registrationId.value(), where);
    }

    /** Where the device was given, or null: with its ID, all a message needs to name it ({@link #label}). */
    String where() {
        return where;
    }

    static String label(String registrationId, String where) {
        String id = DpsException.quote(registrationId);
        return where == null ? id : id + " (" + where + ")";
    }

    public RegistrationId registrationId() {
        return registrationId;
    }

    public UdsSource udsSource() {
        return uds;
    }

    @Override
    public String toString() {
        return "DeviceSpec[" + registrationId + ", uds from " + uds + "]";
    }
}
