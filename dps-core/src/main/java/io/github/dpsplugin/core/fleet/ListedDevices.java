package io.github.dpsplugin.core.fleet;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.dice.UdsSource;
import io.github.dpsplugin.core.id.RegistrationId;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A fleet's devices without their UDS, selected exactly as {@link BatchGenerator} selects them
 * (listed devices, then the devices file, filtered to the shard) and validated as it validates
 * them: for checking that a release's certificates leave none of them out. Immutable.
 */
public final class ListedDevices extends DevicesRequest {

    /** A selected device: its registration ID, and where it was listed (e.g. {@code devices.csv:12}). */
    public record Listed(RegistrationId registrationId, String where) {
    }

    /** The UDS of a device that is only listed: never opened. */
    private static final class NotRead implements UdsSource {
        @Override
        public Uds open() {
            throw new IllegalStateException("a listed device's UDS is not read");
        }

        @Override
        public String toString() {
            return "not read";
        }
    }

    private ListedDevices(Builder b) {
        super(b);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads the selected devices in order, each valid one to {@code each}; a device in error is
     * reported as {@code generate} reports it (naming the device and the field, a repeated ID with
     * both places), once every device is read. A selection without any device is an error too.
     */
    public void forEach(Consumer<Listed> each) {
        long count = 0;
        try (CheckedDevices devices = new CheckedDevices(new DeviceSelection(devices(), devicesFile(),
                defaultFirmwareVersion(), id -> new NotRead(), shard()), BatchListener.NONE)) {
            DeviceSpec d;
            while ((d = devices.next()) != null) {
                count++;
                each.accept(new Listed(d.registrationId(), d.where() != null ? d.where() : "listed"));
            }
            devices.drain();
            if (devices.failed()) {
                throw devices.exception();
            }
        }
        if (count == 0) {
            throw new DpsException("devices", shard().isAll() ? "no device is listed; list devices, give a"
                    + " devicesFile, or a registrationId (or macAddress and firmwareVersion)"
                    : "shard " + shard() + " holds no device; the fleet has fewer devices than shards");
        }
    }

    /** The selection as a report names it, e.g. {@code 2 listed devices + devices.csv, shard 1/2}; no absolute path. */
    public String description() {
        List<String> parts = new ArrayList<>();
        if (!devices().isEmpty()) {
            parts.add(devices().size() + " listed device" + (devices().size() == 1 ? "" : "s"));
        }
        if (devicesFile() != null) {
            Path name = devicesFile().getFileName();
            parts.add(name == null ? devicesFile().toString() : name.toString());
        }
        return String.join(" + ", parts) + (shard().isAll() ? "" : ", shard " + shard());
    }

    /** Builds a {@link ListedDevices}; default: the whole fleet. */
    public static final class Builder extends DevicesRequest.Builder<Builder> {

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        /**
         * A listed device, validated as {@code generate} validates it.
         *
         * @param label how the user knows the device while its ID is not known, e.g. "#2 of &lt;devices&gt;"
         * @throws DpsException attributed to the device, naming the field at fault
         */
        public Builder device(String label, String registrationId, String macAddress, String firmwareVersion) {
            return add(DeviceSpec.parse(label, registrationId, macAddress, firmwareVersion, new NotRead()));
        }

        /** Streams devices from a CSV devices file; {@code defaultFirmwareVersion} serves rows without one. */
        public Builder devicesFile(Path file, String defaultFirmwareVersion) {
            return file(file, defaultFirmwareVersion);
        }

        public ListedDevices build() {
            return new ListedDevices(this);
        }
    }
}
