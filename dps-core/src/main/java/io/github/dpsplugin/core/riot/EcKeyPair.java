package io.github.dpsplugin.core.riot;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.raw.Nat256;

/**
 * A P-256 key pair derived by RIoT. The private scalar is a secret: {@link #toString()} shows the
 * public key only. It is kept as 8 words and handed out as a {@link BigInteger} only on request
 * (to sign with it; a {@code BigInteger} cannot be cleared); the public point as Bouncy Castle
 * object is made on request too: the hot path needs only its encoding.
 */
public final class EcKeyPair {

    private final int[] privateWords;
    private final byte[] publicEncoded;

    private EcKeyPair(int[] privateWords, byte[] publicEncoded) {
        this.privateWords = privateWords;
        this.publicEncoded = publicEncoded;
    }

    /**
     * Key pairs for several scalars at once (8 little-endian words each, in [1, n-1]): with the
     * constant-time {@link BaseMultiplier#TABLE}, the public points are brought to affine form
     * together, one field inversion for all instead of one each (Montgomery's trick). The pairs
     * keep copies of the scalars; the caller clears its own.
     */
    static EcKeyPair[] fromPrivate(BaseMultiplier multiplier, int[]... scalars) {
        byte[][] encoded = multiplier.publicKeys(scalars);
        EcKeyPair[] pairs = new EcKeyPair[scalars.length];
        for (int i = 0; i < scalars.length; i++) {
            pairs[i] = new EcKeyPair(scalars[i].clone(), encoded[i]);
        }
        return pairs;
    }

    /** Builds a pair from an existing scalar (for example to check a recovered key). */
    public static EcKeyPair fromPrivate(BigInteger d) {
        if (d.signum() <= 0 || d.compareTo(P256.N) >= 0) {
            throw new IllegalArgumentException("private scalar out of range");
        }
        int[] words = Nat256.fromBigInteger(d);
        try {
            return fromPrivate(BaseMultiplier.TABLE, words)[0];
        } finally {
            Arrays.fill(words, 0);
        }
    }

    /** The private scalar, as a new {@code BigInteger} (not constant-time beyond this point). */
    public BigInteger privateScalar() {
        return Nat256.toBigInteger(privateWords);
    }

    /** The public point, affine (a new Bouncy Castle point, checked to be on the curve). */
    public ECPoint publicPoint() {
        return P256.DOMAIN.getCurve().decodePoint(publicEncoded);
    }

    /** {@code 04 || X || Y}, 65 bytes. */
    public byte[] publicKeyUncompressed() {
        return publicEncoded.clone();
    }

    @Override
    public String toString() {
        return "EcKeyPair[public=" + HexFormat.of().formatHex(publicEncoded) + "]";
    }
}
