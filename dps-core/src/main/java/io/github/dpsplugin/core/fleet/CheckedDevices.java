package io.github.dpsplugin.core.fleet;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.output.FileNames;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A run's devices, read and validated in the one pass that also feeds the generation: each
 * device's fields, UDS source, file names and uniqueness are checked as it is read, and a device in
 * error is counted in {@link DeviceErrors} instead of returned. The run stops computing at the
 * first such error, reads the rest so that the report covers the whole fleet, and publishes
 * nothing. Reading the inputs once, while the certificates of the first devices are being
 * computed, rather than in a pass of its own before them, is most of what a short run spends
 * before its first certificate.
 */
final class CheckedDevices implements AutoCloseable {

    private final DeviceSelection devices;
    private final BatchListener listener;
    private final DeviceErrors errors = new DeviceErrors();
    /** Where the first device of each ID was given, to name both positions of a repeated one (labels built only then). */
    private final Map<String, String> firstOf = new HashMap<>();
    private final ArrayDeque<DeviceSpec> ahead = new ArrayDeque<>();
    private long count;
    private boolean ended;
    private long readNanos;

    CheckedDevices(DeviceSelection devices, BatchListener listener) {
        this.devices = devices;
        this.listener = listener;
    }

    /** The next valid device, or null when there is none, or once a device was in error. */
    DeviceSpec next() {
        if (failed()) {
            return null;
        }
        DeviceSpec d = ahead.poll();
        return d != null ? d : read();
    }

    /** Reads until {@code n} valid devices wait (or the input ends); whether they do. */
    boolean readAhead(int n) {
        while (ahead.size() < n) {
            DeviceSpec d = read();
            if (d == null) {
                return false;
            }
            ahead.add(d);
        }
        return true;
    }

    /** Reads and validates the rest without keeping the devices: every device's error is counted. */
    void drain() {
        ahead.clear();
        while (!ended) {
            read();
        }
    }

    /** The next valid device read, or null at the end of the input. */
    private DeviceSpec read() {
        long t = System.nanoTime();
        try {
            while (!ended) {
                DeviceSpec d = errors.next(devices);
                if (d == null) {
                    ended = true;
                    break;
                }
                count++;
                if (valid(d)) {
                    return d;
                }
            }
            return null;
        } finally {
            readNanos += System.nanoTime() - t;
        }
    }

    private boolean valid(DeviceSpec d) {
        String id = d.registrationId().value();
        if (firstOf.containsKey(id)) {
            errors.add(IdCollisions.listedTwice(d.registrationId(), d.label(), DeviceSpec.label(id, firstOf.get(id))));
            return false;
        }
        firstOf.put(id, d.where());
        try {
            FileNames.stem(d.registrationId());
        } catch (DpsException e) {
            errors.add(e.forDevice(d.label()));
            return false;
        }
        if (d.registrationId().exceedsDocumentedLimit()) {
            listener.warning("device " + d.label() + ": registrationId has "
                    + d.registrationId().value().length() + " characters; the device can encode it, but DPS"
                    + " documents " + RegistrationId.DPS_DOCUMENTED_MAX + " as the limit for X.509"
                    + " registration IDs and may refuse it");
        }
        return true;
    }

    /** Whether a device was in error: nothing may be published. */
    boolean failed() {
        return !errors.isEmpty();
    }

    /** The devices' errors as one report, once every device was read ({@link #drain()}). */
    DpsException exception() {
        return errors.exception(true);
    }

    /** Devices read so far, those in error after their fields were read included. */
    long count() {
        return count;
    }

    /** The devices of the run: exact once all are read, else estimated from the share of the devices file read. */
    long total() {
        return ended ? count : devices.estimatedTotal(count);
    }

    /** Time spent reading and validating, in nanoseconds. */
    long readNanos() {
        return readNanos;
    }

    @Override
    public void close() {
        ahead.clear();
        devices.close();
    }
}
