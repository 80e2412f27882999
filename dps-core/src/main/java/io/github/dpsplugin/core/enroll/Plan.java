package io.github.dpsplugin.core.enroll;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What a run does to DPS: the writes (creates, updates, deletes), how many enrollments are left as
 * they are, the devices refused, and what it costs in DPS operations.
 */
public final class Plan {

    /** DPS's default quota of operations per minute and service (adjustable per service). */
    public static final int DEFAULT_QUOTA_PER_MINUTE = 1000;
    /** Enrollments per bulk operation: the service's limit. */
    public static final int BULK = 10;

    final List<Action> creates = new ArrayList<>();
    final List<Action> updates = new ArrayList<>();
    final List<Action> deletes = new ArrayList<>();
    final List<String> refusals = new ArrayList<>();
    final List<String> left = new ArrayList<>();
    long devices;
    long foreign;
    long readCalls;

    public int creates() {
        return creates.size();
    }

    public int updates() {
        return updates.size();
    }

    public int deletes() {
        return deletes.size();
    }

    /** Enrollments of the output that already match: no write. */
    public int leaves() {
        return left.size();
    }

    /** Devices refused, each with the reason, naming the device. */
    public List<String> refusals() {
        return Collections.unmodifiableList(refusals);
    }

    /** Devices in the output. */
    public long devices() {
        return devices;
    }

    /** Enrollments DPS holds that are not in the output: never touched. */
    public long foreign() {
        return foreign;
    }

    /** Writes to DPS: bulk operations of up to {@value #BULK}, before any per-device fallback. */
    public long writeCalls() {
        return batches(creates.size()) + batches(updates.size()) + batches(deletes.size());
    }

    /** DPS calls of the run: the query pages that read the enrollments and the bulk writes. */
    public long calls() {
        return readCalls + writeCalls();
    }

    /** How long {@link #calls()} operations take at the default quota. */
    public Duration timeAtDefaultQuota() {
        return Duration.ofMillis(calls() * 60_000L / DEFAULT_QUOTA_PER_MINUTE);
    }

    private static long batches(int n) {
        return (n + BULK - 1) / BULK;
    }

    /** One line: the counts and the cost. */
    public String summary() {
        return String.format(Locale.ROOT, "%d device(s): %d to create, %d to update, %d left as they are, %d to"
                + " delete%s; %d enrollment(s) not in the output are not touched; %d DPS call(s) (%d to read, %d to"
                + " write), about %s at the default quota of %d operations/min", devices, creates(), updates(),
                leaves(), deletes(), refusals.isEmpty() ? "" : ", " + refusals.size() + " refused", foreign, calls(),
                readCalls, writeCalls(), human(timeAtDefaultQuota()), DEFAULT_QUOTA_PER_MINUTE);
    }

    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return Math.max(s, d.isZero() ? 0 : 1) + " s";
        }
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %d min", s / 3600, (s % 3600) / 60);
    }
}
