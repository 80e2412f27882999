package io.github.dpsplugin.core.fleet;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.common.Hashes;
import io.github.dpsplugin.core.dice.Uds;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Finds two devices with one UDS: they would get the same DeviceID key, a provisioning mistake.
 *
 * <p>Each UDS is remembered by a fingerprint only, SHA-256 of a random per-run salt and the UDS, of
 * which 128 bits are kept: not the UDS, nor any value of the device's own derivation (which
 * hashes the UDS unsalted), and useless once the run ends. About 100 bytes per device with the
 * device's ID and position (its label is built only for a message): a fleet of 100 000 devices
 * still streams in bounded memory.
 */
final class UdsFingerprints {

    private final byte[] salt = new byte[32];
    private final Map<Fingerprint, Device> seen = new HashMap<>();

    private record Fingerprint(long high, long low) {
    }

    /** The first device with a UDS: its ID (the device's own string) and where it was given ({@link DeviceSpec#label}). */
    private record Device(String id, String where) {
    }

    UdsFingerprints() {
        new SecureRandom().nextBytes(salt);
    }

    /** The fingerprint of {@code uds} in this run; safe to call from any thread. */
    Object of(Uds uds) {
        byte[] b = uds.copyBytes();
        byte[] d = null;
        try {
            // the thread's own engine: a provider lookup per device cost more than the hash
            d = Hashes.sha256(salt, b);
            ByteBuffer buf = ByteBuffer.wrap(d);
            return new Fingerprint(buf.getLong(), buf.getLong());
        } finally {
            Arrays.fill(b, (byte) 0);
            if (d != null) {
                Arrays.fill(d, (byte) 0);
            }
        }
    }

    /**
     * Records the device's UDS fingerprint; the error to report when an earlier device had the same
     * UDS, else null. Called in the devices' order, so the earlier device is named first.
     */
    DpsException check(Object fingerprint, DeviceSpec device) {
        if (!(fingerprint instanceof Fingerprint f)) {
            return null;
        }
        String id = device.registrationId().value();
        Device first = seen.putIfAbsent(f, new Device(id, device.where()));
        if (first == null || first.id.equals(id)) {
            return null; // a repeated ID has its UDS twice: reported as the repeated ID it is
        }
        return new DpsException("uds", "is the same as the UDS of device " + DeviceSpec.label(first.id, first.where)
                + "; each device has a UDS of its own (two devices with one UDS get the same DeviceID key). Check the"
                + " UDS file or the udsServerId/udsEnv of these devices").forDevice(device.label());
    }
}
