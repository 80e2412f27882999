package io.github.dpsplugin.core.fleet;

import io.github.dpsplugin.core.output.Shard;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What a request over a fleet's devices says of which devices: the listed ones (e.g. a POM's), a
 * devices file streamed after them, and the shard. One shape for {@link BatchRequest} and
 * {@link UdsFileRequest}, so that {@code generate} and {@code generate-uds} are given their devices
 * alike. Immutable.
 */
public abstract class DevicesRequest {

    private final List<DeviceSpec> devices;
    private final Path devicesFile;
    private final String defaultFirmwareVersion;
    private final Shard shard;

    DevicesRequest(Builder<?> b) {
        this.devices = Collections.unmodifiableList(new ArrayList<>(b.devices));
        this.devicesFile = b.devicesFile;
        this.defaultFirmwareVersion = b.defaultFirmwareVersion;
        this.shard = Objects.requireNonNull(b.shard, "shard");
    }

    /** Devices listed explicitly (e.g. in a POM); they come before those of the devices file. */
    public List<DeviceSpec> devices() {
        return devices;
    }

    /** A CSV devices file read after {@link #devices()}, or {@code null}. */
    public Path devicesFile() {
        return devicesFile;
    }

    /** The version devices report under the firmware being built, for devices file rows without one. */
    public String defaultFirmwareVersion() {
        return defaultFirmwareVersion;
    }

    public Shard shard() {
        return shard;
    }

    /** The devices part of a request's builder; default: no device, the whole fleet. */
    public abstract static class Builder<B extends Builder<B>> {
        private final List<DeviceSpec> devices = new ArrayList<>();
        private Path devicesFile;
        private String defaultFirmwareVersion;
        private Shard shard = Shard.ALL;

        Builder() {
        }

        abstract B self();

        final B add(DeviceSpec device) {
            devices.add(Objects.requireNonNull(device, "device"));
            return self();
        }

        /** Streams devices from a CSV devices file; {@code defaultFirmwareVersion} serves rows without one. */
        final B file(Path file, String defaultFirmwareVersion) {
            this.devicesFile = file;
            this.defaultFirmwareVersion = defaultFirmwareVersion;
            return self();
        }

        /**
         * The version devices report under the firmware being built (for devices file rows without
         * one, and to name the firmware in a rollout's summary); the devices file's setter also sets it.
         */
        public B defaultFirmwareVersion(String version) {
            this.defaultFirmwareVersion = version;
            return self();
        }

        public B shard(Shard shard) {
            this.shard = shard;
            return self();
        }
    }
}
