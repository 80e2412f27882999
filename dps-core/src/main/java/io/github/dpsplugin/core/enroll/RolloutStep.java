package io.github.dpsplugin.core.enroll;

import io.github.dpsplugin.core.common.DpsException;
import java.util.Locale;

/** Which enrollments a run makes: a plain run, or a step of a rollout from a previous firmware. */
public enum RolloutStep {
    /** Each device's primary certificate is its alias certificate; the secondary is left as it is. */
    NONE,
    /**
     * Devices may run either firmware: primary the new certificate, secondary the previous one; a
     * device whose ID changes gets an enrollment under its new ID with the old one's settings.
     */
    START,
    /** Every device runs the new firmware: the secondary is removed, old IDs are deleted (when still ours). */
    FINISH;

    /** {@code start}, {@code finish}, or {@code null}/empty for a plain run. */
    public static RolloutStep parse(String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        switch (text.trim().toLowerCase(Locale.ROOT)) {
            case "start":
                return START;
            case "finish":
                return FINISH;
            default:
                throw new DpsException("rolloutStep", DpsException.quote(text) + " is not a rollout step; use start"
                        + " (enroll the new certificates beside the previous ones) or finish (remove the previous"
                        + " ones), or leave it unset for a plain run");
        }
    }
}
