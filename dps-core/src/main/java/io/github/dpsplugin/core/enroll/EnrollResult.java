package io.github.dpsplugin.core.enroll;

import java.util.Locale;

/** What a run did: its plan, the writes made and the DPS calls sent (retries included). */
public record EnrollResult(Plan plan, int created, int updated, int deleted, long calls, boolean dryRun) {

    /** One line for the build log. */
    public String summary() {
        return String.format(Locale.ROOT, "Enrolled %d device(s): %d created, %d updated, %d left as they were, %d"
                + " old enrollment(s) deleted; %d DPS call(s)", plan.devices(), created, updated, plan.leaves(),
                deleted, calls);
    }
}
