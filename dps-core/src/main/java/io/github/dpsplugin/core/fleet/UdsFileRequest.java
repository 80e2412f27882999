package io.github.dpsplugin.core.fleet;

import io.github.dpsplugin.core.common.DpsException;
import java.nio.file.Path;

/**
 * What {@link UdsFileWriter} makes: a new UDS file at {@link #udsFile()} for the devices selected
 * exactly as {@link BatchGenerator} selects them (listed devices, then the devices file, filtered
 * to the shard). Immutable.
 */
public final class UdsFileRequest extends DevicesRequest {

    private final Path udsFile;
    private final UdsFiles existing;

    private UdsFileRequest(Builder b) {
        super(b);
        if (b.udsFile == null) {
            throw new DpsException("udsFile", "is not set; give the path of the new UDS file to write");
        }
        this.udsFile = b.udsFile;
        this.existing = b.existing;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The file to create; it must not exist, its directory must. */
    public Path udsFile() {
        return udsFile;
    }

    /** The fleet's UDS files so far, or null: a device they hold gets no new UDS. */
    public UdsFiles existing() {
        return existing;
    }

    /** Builds an {@link UdsFileRequest}; default: the whole fleet. */
    public static final class Builder extends DevicesRequest.Builder<Builder> {
        private Path udsFile;
        private UdsFiles existing;

        private Builder() {
        }

        @Override
        Builder self() {
            return this;
        }

        public Builder udsFile(Path file) {
            this.udsFile = file;
            return this;
        }

        /**
         * The fleet's UDS files so far (read by the caller, who closes them): a selected device they
         * hold, by registration ID or, for an ID derived from a MAC, by its MAC under any firmware
         * version, gets no new UDS. So the whole devices file can be given at a release that adds devices.
         */
        public Builder existing(UdsFiles files) {
            this.existing = files;
            return this;
        }

        /**
         * A listed device that gets a new UDS, validated as {@code generate} validates it.
         *
         * @param label how the user knows the device while its ID is not known, e.g. "#2 of &lt;devices&gt;"
         * @throws DpsException attributed to the device, naming the field at fault
         */
        public Builder device(String label, String registrationId, String macAddress, String firmwareVersion) {
            return add(UdsFileWriter.newUdsDevice(label, registrationId, macAddress, firmwareVersion));
        }

        /**
         * A listed device whose UDS comes from somewhere else ({@code where}, e.g. "settings.xml server
         * 'x'"): {@code generate} will not read it from the UDS file, so it gets no line there. It
         * still holds its position for the shard.
         */
        public Builder deviceWithOwnUds(String label, String registrationId, String macAddress, String firmwareVersion,
                String where) {
            return add(UdsFileWriter.ownUdsDevice(label, registrationId, macAddress, firmwareVersion, where));
        }

        /** Streams devices from a CSV devices file; {@code defaultFirmwareVersion} serves rows without one. */
        public Builder devicesFile(Path file, String defaultFirmwareVersion) {
            return file(file, defaultFirmwareVersion);
        }

        public UdsFileRequest build() {
            return new UdsFileRequest(this);
        }
    }
}
