package io.github.dpsplugin.core.riot;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.common.Hashes;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.math.raw.Nat256;

/**
 * RIoT's private-key derivation (spec, steps 4 and 7): one round of SP 800-108 counter-mode KDF
 * with HMAC-SHA256, as the RIoT code implements it.
 *
 * <p>Two deliberate deviations from the textbook KDF that the device has, and that therefore
 * must be reproduced: the counter (1) and the output length in bits (256) are written
 * <em>little-endian</em> (the reference's byte-swap macro is a no-op), and the HMAC output is read
 * into the scalar <em>little-endian</em>.
 */
public final class RiotKdf {

    /** Label of the DeviceID key derivation. */
    public static final String IDENTITY_LABEL = "Identity";
    /** Label of the Alias key derivation. */
    public static final String ALIAS_LABEL = "Alias";

    private static final int MAX_LABEL_LENGTH = 32;
    private static final int[] N_WORDS = Nat256.fromBigInteger(P256.N);

    private RiotKdf() {
    }

    /**
     * Derives a P-256 private scalar from {@code key} and {@code label}.
     *
     * @throws DpsException if the scalar is 0 or not below n: the device would loop forever
     *     recomputing the same value, so this UDS/firmware pair is unusable (odds about 2^-32)
     */
    public static BigInteger deriveScalar(byte[] key, String label) {
        int[] words = deriveScalarWords(key, label);
        try {
            return Nat256.toBigInteger(words);
        } finally {
            Arrays.fill(words, 0);
        }
    }

    /**
     * As {@link #deriveScalar}, as 8 little-endian 32-bit words ({@link Nat256}'s layout), with no
     * branch or address depending on the scalar: what the key generator uses. Clear it after use.
     */
    static int[] deriveScalarWords(byte[] key, String label) {
        byte[] labelBytes = label.getBytes(StandardCharsets.US_ASCII);
        int labelLength = Math.min(labelBytes.length, MAX_LABEL_LENGTH);
        byte[] msg = new byte[4 + labelLength + 1 + 4];
        msg[0] = 1; // counter = 1, little-endian
        System.arraycopy(labelBytes, 0, msg, 4, labelLength);
        // msg[4 + labelLength] = 0: the separator; then 256 (bits) little-endian: 00 01 00 00
        msg[4 + labelLength + 2] = 1;
        return wordsFromHmac(Hashes.hmacSha256(key, msg), label);
    }

    /**
     * Reads the 32-byte HMAC output {@code out} little-endian into a scalar and checks it is in
     * [1, n-1]. Clears {@code out}.
     *
     * @throws DpsException if the scalar is 0 or not below n
     */
    static BigInteger scalarFromHmac(byte[] out, String label) {
        int[] words = wordsFromHmac(out, label);
        try {
            return Nat256.toBigInteger(words);
        } finally {
            Arrays.fill(words, 0);
        }
    }

    /**
     * The scalar as words: little-endian bytes are little-endian words, so no reversal. The range
     * check runs in constant time (an OR of all words, a full-length subtraction of n); only its
     * outcome, which fails the build anyway, is branched on.
     */
    static int[] wordsFromHmac(byte[] out, String label) {
        int[] d = new int[8];
        for (int i = 0; i < 8; i++) {
            d[i] = (out[4 * i] & 0xff) | (out[4 * i + 1] & 0xff) << 8 | (out[4 * i + 2] & 0xff) << 16
                    | out[4 * i + 3] << 24;
        }
        Arrays.fill(out, (byte) 0);
        int any = 0;
        for (int w : d) {
            any |= w;
        }
        int nonZero = (any | -any) >>> 31;
        int[] scratch = new int[8];
        int belowN = -Nat256.sub(d, N_WORDS, scratch); // the borrow: 1 when d < n
        Arrays.fill(scratch, 0);
        if ((nonZero & belowN) == 0) {
            Arrays.fill(d, 0);
            throw new DpsException("uds", "this UDS and firmware derive an out-of-range " + label
                    + " private key (0 or not below the P-256 order); the device would loop forever at boot."
                    + " This UDS/firmware pair cannot be used: change the firmware's measured code or the UDS");
        }
        return d;
    }
}
