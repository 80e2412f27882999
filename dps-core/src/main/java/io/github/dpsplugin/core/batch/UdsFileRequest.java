package io.github.dpsplugin.core.batch;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.output.Shard;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What {@link UdsFileWriter} makes: a new UDS file at {@link #udsFile()} for the devices selected
 * exactly as {@link BatchGenerator} selects them (listed devices, then the devices file, filtered
 * to the shard). Immutable.
 */
public final class UdsFileRequest {

    private final Path udsFile;
    private final List<DeviceSpec> devices;
    private final Path devicesFile;
    private final String defaultFirmwareVersion;
    private final Shard shard;

    private UdsFileRequest(Builder b) {
        if (b.udsFile == null) {
            throw new DpsException("udsFile", "is not set; give the path of the new UDS file to write");
        }
        this.udsFile = b.udsFile;
        this.devices = Collections.unmodifiableList(new ArrayList<>(b.devices));
        this.devicesFile = b.devicesFile;
        this.defaultFirmwareVersion = b.defaultFirmwareVersion;
        this.shard = Objects.requireNonNull(b.shard, "shard");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The file to create; it must not exist, its directory must. */
    public Path udsFile() {
        return udsFile;
    }

    /** Devices listed explicitly (e.g. in a POM); they come before those of the devices file. */
    public List<DeviceSpec> devices() {
        return devices;
    }

    /** A CSV devices file read after {@link #devices()}, or {@code null}. */
    public Path devicesFile() {
        return devicesFile;
    }

    public String defaultFirmwareVersion() {
        return defaultFirmwareVersion;
    }

    public Shard shard() {
        return shard;
    }

    /** Builds an {@link UdsFileRequest}; default: the whole fleet. */
    public static final class Builder {
        private Path udsFile;
        private final List<DeviceSpec> devices = new ArrayList<>();
        private Path devicesFile;
        private String defaultFirmwareVersion;
        private Shard shard = Shard.ALL;

        public Builder udsFile(Path file) {
            this.udsFile = file;
            return this;
        }

        /**
         * A listed device that gets a new UDS, validated as {@code generate} validates it.
         *
         * @param label how the user knows the device while its ID is not known, e.g. "#2 of &lt;devices&gt;"
         * @throws DpsException attributed to the device, naming the field at fault
         */
        public Builder device(String label, String registrationId, String macAddress, String firmwareVersion) {
            devices.add(UdsFileWriter.newUdsDevice(label, registrationId, macAddress, firmwareVersion));
            return this;
        }

        /**
         * A listed device whose UDS comes from somewhere else ({@code where}, e.g. "settings.xml server
         * 'x'"): {@code generate} will not read it from the UDS file, so it gets no line there. It
         * still holds its position for the shard.
         */
        public Builder deviceWithOwnUds(String label, String registrationId, String macAddress, String firmwareVersion,
                String where) {
            devices.add(UdsFileWriter.ownUdsDevice(label, registrationId, macAddress, firmwareVersion, where));
            return this;
        }

        /** Streams devices from a CSV devices file; {@code defaultFirmwareVersion} serves rows without one. */
        public Builder devicesFile(Path file, String defaultFirmwareVersion) {
            this.devicesFile = file;
            this.defaultFirmwareVersion = defaultFirmwareVersion;
            return this;
        }

        public Builder shard(Shard shard) {
            this.shard = shard;
            return this;
        }

        public UdsFileRequest build() {
            return new UdsFileRequest(this);
        }
    }
}
