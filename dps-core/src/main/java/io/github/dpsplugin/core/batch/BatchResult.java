package io.github.dpsplugin.core.batch;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/** The published outputs of a run. */
public final class BatchResult {

    /** At most this many device outputs are kept in {@link #devices()}; fleets are counted, not kept. */
    public static final int MAX_KEPT = 1000;

    private final List<DeviceOutput> devices;
    private final long deviceCount;
    private final Path manifest;
    private final Path archive;
    private final long elapsedNanos;

    private final io.github.dpsplugin.core.rollout.RolloutSummary rollout;

    BatchResult(List<DeviceOutput> devices, long deviceCount, Path manifest, Path archive, long elapsedNanos) {
        this(devices, deviceCount, manifest, archive, elapsedNanos, null);
    }

    BatchResult(List<DeviceOutput> devices, long deviceCount, Path manifest, Path archive, long elapsedNanos,
            io.github.dpsplugin.core.rollout.RolloutSummary rollout) {
        this.rollout = rollout;
        this.devices = Collections.unmodifiableList(devices);
        this.deviceCount = deviceCount;
        this.manifest = manifest;
        this.archive = archive;
        this.elapsedNanos = elapsedNanos;
    }

    /** The first {@link #MAX_KEPT} devices' outputs, in order. */
    public List<DeviceOutput> devices() {
        return devices;
    }

    /** How many devices were written. */
    public long deviceCount() {
        return deviceCount;
    }

    /** {@code <outputDirectory>/dps-manifest.json}. */
    public Path manifest() {
        return manifest;
    }

    /** {@code <outputDirectory>/dps-certificates.zip}, or {@code null} if not requested. */
    public Path archive() {
        return archive;
    }

    /** What the rollout changes, when the run prepared one ({@link BatchRequest#previousFirmware()}); else {@code null}. */
    public io.github.dpsplugin.core.rollout.RolloutSummary rollout() {
        return rollout;
    }

    /** Time spent generating (after the firmware was measured). */
    public long elapsedNanos() {
        return elapsedNanos;
    }
}
