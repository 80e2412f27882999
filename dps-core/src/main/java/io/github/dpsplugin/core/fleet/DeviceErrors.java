package io.github.dpsplugin.core.fleet;

import io.github.dpsplugin.core.common.DpsException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The devices in error in one run, reported as a fleet needs: devices that fail the same way (the
 * same field, the same words) are one line with their number, the message (which says the fix)
 * once, and the first few devices; other errors one line each, up to {@link #MAX_LINES}. Memory
 * stays bounded whatever the number of errors, so a run may count them all.
 */
final class DeviceErrors {

    /** Lines of a report at most; errors beyond them are counted. */
    static final int MAX_LINES = 20;
    /** Devices named on the line of errors alike. */
    static final int DEVICES_NAMED = 3;

    /** Errors alike: their first instance, how many, the first few devices. */
    private static final class Group {
        final DpsException first;
        final List<String> devices = new ArrayList<>();
        long count;

        Group(DpsException first) {
            this.first = first;
        }
    }

    private final Map<String, Group> groups = new LinkedHashMap<>();
    private long total;
    private long unlisted;

    void add(DpsException e) {
        total++;
        String key = e.field() + ": " + e.detail();
        Group g = groups.get(key);
        if (g == null) {
            if (groups.size() >= MAX_LINES) {
                unlisted++;
                return;
            }
            g = new Group(e);
            groups.put(key, g);
        }
        g.count++;
        if (e.device() != null && g.devices.size() < DEVICES_NAMED) {
            g.devices.add(e.device());
        }
    }

    /**
     * The next device of {@code devices}, or {@code null} at their end: a device in error is added
     * here and passed over; an error of the input itself (it names no device) is thrown.
     */
    DeviceSpec next(Iterator<DeviceSpec> devices) {
        while (true) {
            try {
                return devices.hasNext() ? devices.next() : null;
            } catch (DpsException e) {
                if (e.device() == null) {
                    throw e; // the devices file itself is unusable
                }
                add(e);
            }
        }
    }

    boolean isEmpty() {
        return total == 0;
    }

    long total() {
        return total;
    }

    /**
     * The report as one error.
     *
     * @param complete whether every device was checked (else the run stopped early and the total
     *     is a lower bound)
     */
    DpsException exception(boolean complete) {
        if (total == 1) {
            return groups.values().iterator().next().first;
        }
        StringBuilder sb = new StringBuilder();
        sb.append(complete ? String.valueOf(total) : "more than " + (total - 1))
                .append(" devices are in error; nothing was written:");
        for (Group g : groups.values()) {
            sb.append("\n  ");
            if (g.count == 1) {
                sb.append(g.first.getMessage());
                continue;
            }
            sb.append(g.count).append(" devices: ").append(g.first.field()).append(": ").append(g.first.detail());
            if (!g.devices.isEmpty()) {
                sb.append(" (").append(String.join(", ", g.devices));
                if (g.count > g.devices.size()) {
                    sb.append(" and ").append(g.count - g.devices.size()).append(" more");
                }
                sb.append(')');
            }
        }
        if (unlisted > 0) {
            sb.append("\n  and ").append(unlisted).append(" more device").append(unlisted == 1 ? "" : "s")
                    .append(" in error otherwise");
        }
        if (!complete) {
            sb.append("\n  ...");
        }
        return new DpsException("devices", sb.toString());
    }
}
