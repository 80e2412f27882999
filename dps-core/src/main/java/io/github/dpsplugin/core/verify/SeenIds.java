package io.github.dpsplugin.core.verify;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

/**
 * The registration IDs of a manifest read so far, to find one listed twice, in 16 to 32 bytes per
 * device rather than the ~200 of a string in a hash map: a fleet's manifest is otherwise verified
 * in bounded memory. Each ID is kept as 64 bits of its SHA-256 and its position (open addressing).
 * Equal digests are only a suspicion: the caller compares the IDs themselves (reading the earlier
 * one again) and records a collision with {@link #addExact}, so two IDs are never taken for one.
 */
final class SeenIds {

    private final java.util.function.ToLongFunction<String> digest;
    private long[] digests = new long[1 << 10];
    /** Position + 1 of the ID in each slot; 0 for an empty slot. */
    private long[] positions = new long[1 << 10];
    private int size;
    /** IDs whose digest another ID shares, exactly; almost always empty. */
    private final Map<String, Long> exact = new HashMap<>();

    SeenIds() {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
        }
        this.digest = id -> {
            byte[] h = sha256.digest(id.getBytes(StandardCharsets.UTF_8));
            long d = 0;
            for (int i = 0; i < 8; i++) {
                d = (d << 8) | (h[i] & 0xff);
            }
            return d;
        };
    }

    /** With another digest: tests make every ID collide. */
    SeenIds(java.util.function.ToLongFunction<String> digest) {
        this.digest = digest;
    }

    /**
     * Records {@code id} at {@code position}; returns -1 when no earlier ID has its digest, else the
     * earlier position (the same ID, or a collision for the caller to tell apart).
     */
    long add(String id, long position) {
        Long known = exact.get(id);
        if (known != null) {
            return known;
        }
        long d = digest.applyAsLong(id);
        int mask = digests.length - 1;
        for (int i = (int) (d ^ (d >>> 32)) & mask; ; i = (i + 1) & mask) {
            if (positions[i] == 0) {
                digests[i] = d;
                positions[i] = position + 1;
                if (++size * 2 > digests.length) {
                    grow();
                }
                return -1;
            }
            if (digests[i] == d) {
                return positions[i] - 1;
            }
        }
    }

    /** After a collision: {@code id} at {@code position} and the other ID are told apart exactly from now on. */
    void addExact(String id, long position, String other, long otherPosition) {
        exact.putIfAbsent(other, otherPosition);
        exact.putIfAbsent(id, position);
    }

    private void grow() {
        long[] oldDigests = digests;
        long[] oldPositions = positions;
        digests = new long[oldDigests.length * 2];
        positions = new long[oldPositions.length * 2];
        int mask = digests.length - 1;
        for (int j = 0; j < oldDigests.length; j++) {
            if (oldPositions[j] != 0) {
                long d = oldDigests[j];
                int i = (int) (d ^ (d >>> 32)) & mask;
                while (positions[i] != 0) {
                    i = (i + 1) & mask;
                }
                digests[i] = d;
                positions[i] = oldPositions[j];
            }
        }
    }
}
