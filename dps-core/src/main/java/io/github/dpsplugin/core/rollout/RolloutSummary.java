package io.github.dpsplugin.core.rollout;

import java.util.Locale;

/**
 * What a rollout changes, counted over the run's devices; public facts only.
 *
 * @param from how the previous firmware is named (its version, else its file)
 * @param to how the new firmware is named
 * @param certificateChanges devices kept under their registration ID whose certificate changes (updated at start
 *     and finish)
 * @param registrationIdChanges devices whose registration ID changes (created at start, old enrollment deleted at
 *     finish)
 * @param unchanged devices whose certificate stays the same (no entry)
 */
public record RolloutSummary(String from, String to, String previousFwid, String fwid, long certificateChanges,
        long registrationIdChanges, long unchanged, int startFiles, int finishFiles) {

    /**
     * One line for the build log, e.g. {@code rollout 2.0.0 -> 2.1.0: 1180 devices change certificate
     * (FWID 0148... -> c5d6...), 20 change registration ID, 0 unchanged; apply ...}.
     */
    public String describe() {
        String what = previousFwid.equals(fwid) ? "FWID " + abbreviate(fwid) + " unchanged: riot_core changed"
                : "FWID " + abbreviate(previousFwid) + " -> " + abbreviate(fwid);
        String line = String.format(Locale.ROOT, "rollout %s -> %s: %d device%s change%s certificate (%s), %d change"
                + " registration ID, %d unchanged", from, to, certificateChanges, certificateChanges == 1 ? "" : "s",
                certificateChanges == 1 ? "s" : "", what, registrationIdChanges, unchanged);
        if (startFiles == 0 && finishFiles == 0) {
            return line + "; no enrollment to change";
        }
        return line + "; apply dps-rollout-start-*.json before the update, dps-rollout-finish-*.json after (or run"
                + " dps-rollout.sh start, then finish)";
    }

    private static String abbreviate(String hex) {
        return hex.length() <= 8 ? hex : hex.substring(0, 4) + "...";
    }

    @Override
    public String toString() {
        return "RolloutSummary[" + describe() + "]";
    }
}
