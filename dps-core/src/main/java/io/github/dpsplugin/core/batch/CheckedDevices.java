package io.github.dpsplugin.core.batch;

import io.github.dpsplugin.core.DpsException;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.output.FileNames;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's devices, read and validated in the one pass that also feeds the generation: each
 * device's fields, UDS source and file names are checked as it is read, and a device in error is
 * recorded (up to {@link BatchGenerator#MAX_LISTED_ERRORS} + 1 of them) instead of returned. The
 * run stops computing at the first such error, reads the rest for the complete list, and
 * publishes nothing. Reading the inputs once, while the certificates of the first devices are
 * being computed, rather than in a pass of its own before them, is most of what a short run
 * spends before its first certificate.
 */
final class CheckedDevices implements AutoCloseable {

    private final DeviceSelection devices;
    private final BatchListener listener;
    private final List<DpsException> errors = new ArrayList<>();
    private final ArrayDeque<DeviceSpec> ahead = new ArrayDeque<>();
    private long count;
    private boolean ended;
    private long readNanos;

    CheckedDevices(DeviceSelection devices, BatchListener listener) {
        this.devices = devices;
        this.listener = listener;
    }

    /** The next valid device, or null when there is none (or enough errors were found to stop). */
    DeviceSpec next() {
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

    /** Reads and validates the rest without keeping the devices: the complete list of errors. */
    void drain() {
        ahead.clear();
        while (read() != null) {
            // validation only
        }
    }

    private DeviceSpec read() {
        long t = System.nanoTime();
        try {
            while (!ended) {
                DeviceSpec d;
                try {
                    if (!devices.hasNext()) {
                        ended = true;
                        break;
                    }
                    d = devices.next();
                } catch (DpsException e) {
                    if (e.device() == null) {
                        throw e; // the file itself is unusable
                    }
                    errors.add(e);
                    if (errors.size() > BatchGenerator.MAX_LISTED_ERRORS) {
                        ended = true;
                    }
                    continue;
                }
                count++;
                try {
                    FileNames.stem(d.registrationId());
                } catch (DpsException e) {
                    errors.add(e.forDevice(d.label()));
                    continue;
                }
                if (d.registrationId().exceedsDocumentedLimit()) {
                    listener.warning("device " + d.label() + ": registrationId has "
                            + d.registrationId().value().length() + " characters; the device can encode it, but DPS"
                            + " documents " + RegistrationId.DPS_DOCUMENTED_MAX + " as the limit for X.509"
                            + " registration IDs and may refuse it");
                }
                return d;
            }
            return null;
        } finally {
            readNanos += System.nanoTime() - t;
        }
    }

    /** Whether a device was in error: nothing may be published. */
    boolean failed() {
        return !errors.isEmpty();
    }

    List<DpsException> errors() {
        return errors;
    }

    /** Devices read so far, those in error after their fields were read included. */
    long count() {
        return count;
    }

    /** Whether every device has been read. */
    boolean ended() {
        return ended;
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
