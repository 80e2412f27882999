package io.github.dpsplugin.core.batch;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/** The published outputs of a run. */
public final class BatchResult {

    private final List<DeviceOutput> devices;
    private final Path manifest;

    BatchResult(List<DeviceOutput> devices, Path manifest) {
        this.devices = Collections.unmodifiableList(devices);
        this.manifest = manifest;
    }

    public List<DeviceOutput> devices() {
        return devices;
    }

    /** {@code <outputDirectory>/dps-manifest.json}. */
    public Path manifest() {
        return manifest;
    }
}
