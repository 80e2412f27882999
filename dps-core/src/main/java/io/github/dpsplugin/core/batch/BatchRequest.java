package io.github.dpsplugin.core.batch;

import io.github.dpsplugin.core.pem.PemLayout;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/** What one run generates: a firmware, its devices, and where the outputs go. Immutable. */
public final class BatchRequest {

    private final Path firmwareBin;
    private final Path firmwareMap;
    private final List<DeviceSpec> devices;
    private final Path outputDirectory;
    private final NoncePolicy noncePolicy;
    private final PemLayout pemLayout;

    private BatchRequest(Builder b) {
        this.firmwareBin = b.firmwareBin;
        this.firmwareMap = b.firmwareMap;
        this.devices = Collections.unmodifiableList(new ArrayList<>(b.devices));
        this.outputDirectory = Objects.requireNonNull(b.outputDirectory, "outputDirectory");
        this.noncePolicy = Objects.requireNonNull(b.noncePolicy, "noncePolicy");
        this.pemLayout = Objects.requireNonNull(b.pemLayout, "pemLayout");
    }

    public static Builder builder() {
        return new Builder();
    }

    public Path firmwareBin() {
        return firmwareBin;
    }

    public Path firmwareMap() {
        return firmwareMap;
    }

    public List<DeviceSpec> devices() {
        return devices;
    }

    public Path outputDirectory() {
        return outputDirectory;
    }

    public NoncePolicy noncePolicy() {
        return noncePolicy;
    }

    public PemLayout pemLayout() {
        return pemLayout;
    }

    /** Builds a {@link BatchRequest}; nonce policy defaults to DEVKIT, PEM layout to ONE_LINE. */
    public static final class Builder {
        private Path firmwareBin;
        private Path firmwareMap;
        private final List<DeviceSpec> devices = new ArrayList<>();
        private Path outputDirectory;
        private NoncePolicy noncePolicy = NoncePolicy.DEVKIT;
        private PemLayout pemLayout = PemLayout.ONE_LINE;

        public Builder firmware(Path bin, Path map) {
            this.firmwareBin = bin;
            this.firmwareMap = map;
            return this;
        }

        public Builder device(DeviceSpec device) {
            devices.add(Objects.requireNonNull(device, "device"));
            return this;
        }

        public Builder devices(List<DeviceSpec> list) {
            list.forEach(this::device);
            return this;
        }

        public Builder outputDirectory(Path dir) {
            this.outputDirectory = dir;
            return this;
        }

        public Builder noncePolicy(NoncePolicy policy) {
            this.noncePolicy = policy;
            return this;
        }

        public Builder pemLayout(PemLayout layout) {
            this.pemLayout = layout;
            return this;
        }

        public BatchRequest build() {
            return new BatchRequest(this);
        }
    }
}
