package io.github.dpsplugin.core.batch;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.Uds;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
 * device's label, so 100 000 devices stream as before.
 */
final class UdsFingerprints {

    private final byte[] salt = new byte[32];
    private final Map<Fingerprint, Device> seen = new HashMap<>();

    private record Fingerprint(long high, long low) {
    }

    /** The first device with a UDS: its ID (the device's own string) and how messages name it. */
    private record Device(String id, String label) {
    }

    UdsFingerprints() {
        new SecureRandom().nextBytes(salt);
    }

    /** The fingerprint of {@code uds} in this run; safe to call from any thread. */
    Object of(Uds uds) {
        byte[] b = uds.copyBytes();
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(salt);
            byte[] d = sha.digest(b);
            ByteBuffer buf = ByteBuffer.wrap(d);
            return new Fingerprint(buf.getLong(), buf.getLong());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        } finally {
            Arrays.fill(b, (byte) 0);
        }
    }

    /**
     * Records the device's UDS fingerprint; the error to report when an earlier device had the same
     * UDS, else null. Called in the devices' order, so the earlier device is named first.
     */
    DpsException check(Object fingerprint, String id, String label) {
        if (!(fingerprint instanceof Fingerprint f)) {
            return null;
        }
        Device first = seen.putIfAbsent(f, new Device(id, label));
        if (first == null || first.id.equals(id)) {
            return null; // a repeated ID has its UDS twice: reported as the repeated ID it is
        }
        return new DpsException("uds", "is the same as the UDS of device " + first.label + "; each device has a UDS of"
                + " its own (two devices with one UDS get the same DeviceID key). Check the UDS file or the"
                + " udsServerId/udsEnv of these devices").forDevice(label);
    }
}
