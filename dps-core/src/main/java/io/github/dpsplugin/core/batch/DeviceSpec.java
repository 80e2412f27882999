package io.github.dpsplugin.core.batch;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.UdsSource;
import io.github.dpsplugin.core.id.FirmwareVersion;
import io.github.dpsplugin.core.id.MacAddress;
import io.github.dpsplugin.core.id.RegistrationId;
import java.util.Objects;

/** One device to generate for: its registration ID and where its UDS comes from. */
public final class DeviceSpec {

    private final String label;
    private final RegistrationId registrationId;
    private final UdsSource uds;

    private DeviceSpec(String label, RegistrationId registrationId, UdsSource uds) {
        this.label = label;
        this.registrationId = registrationId;
        this.uds = uds;
    }

    public static DeviceSpec of(RegistrationId registrationId, UdsSource uds) {
        return new DeviceSpec(DpsException.quote(registrationId.value()), registrationId, Objects.requireNonNull(uds, "uds"));
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
        // the ID as written and where it was written: a devices-file line number finds a bad ID fastest
        String who = registrationId != null && !registrationId.isBlank()
                ? DpsException.quote(registrationId) + " (" + label + ")" : label;
        try {
            RegistrationId id;
            if (registrationId != null && !registrationId.isEmpty()) {
                if (macAddress != null && !macAddress.isBlank()) {
                    throw new DpsException("registrationId", "give either registrationId or macAddress"
                            + " (+ firmwareVersion), not both");
                }
                id = RegistrationId.of(registrationId);
            } else if (macAddress != null && !macAddress.isBlank()) {
                MacAddress mac = MacAddress.parse(macAddress);
                who = label + " (MAC " + mac + ")";
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
                who = DpsException.quote(id.value()) + " (" + label + ")";
                throw new DpsException(udsField, noUds);
            }
            return new DeviceSpec(DpsException.quote(id.value()) + " (" + label + ")", id, uds);
        } catch (DpsException e) {
            throw e.device() == null ? e.forDevice(who) : e;
        }
    }

    /** How messages name this device. */
    public String label() {
        return label;
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
