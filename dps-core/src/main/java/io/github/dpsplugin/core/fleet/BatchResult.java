package io.github.dpsplugin.core.fleet;

import io.github.dpsplugin.core.rollout.RolloutSummary;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;

/**
 * The published outputs of a run.
 *
 * @param devices the first {@link #MAX_KEPT} devices' outputs, in order
 * @param deviceCount how many devices were written
 * @param manifest {@code <outputDirectory>/dps-manifest.json}
 * @param archive {@code <outputDirectory>/dps-certificates.zip}, or {@code null} if not requested
 * @param elapsedNanos time spent generating (after the firmware was measured)
 * @param rollout what the rollout changes, when the run prepared one ({@link BatchRequest#previousFirmware()});
 *     else {@code null}
 */
public record BatchResult(List<DeviceOutput> devices, long deviceCount, Path manifest, Path archive,
        long elapsedNanos, RolloutSummary rollout) {

    /** At most this many device outputs are kept in {@link #devices()}; fleets are counted, not kept. */
    public static final int MAX_KEPT = 1000;

    public BatchResult {
        devices = Collections.unmodifiableList(devices);
    }

    BatchResult(List<DeviceOutput> devices, long deviceCount, Path manifest, Path archive, long elapsedNanos) {
        this(devices, deviceCount, manifest, archive, elapsedNanos, null);
    }
}
