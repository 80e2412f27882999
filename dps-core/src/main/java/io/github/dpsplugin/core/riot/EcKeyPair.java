package io.github.dpsplugin.core.riot;

import java.math.BigInteger;
import java.util.HexFormat;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A P-256 key pair derived by RIoT. The private scalar is a secret: {@link #toString()} shows the
 * public key only. (A {@link BigInteger} cannot be cleared; it lives only as long as the caller
 * keeps this object.)
 */
public final class EcKeyPair {

    private final BigInteger privateScalar;
    private final ECPoint publicPoint;
    private final byte[] publicEncoded;

    EcKeyPair(BigInteger privateScalar) {
        this(privateScalar, P256.multiplyG(privateScalar));
    }

    private EcKeyPair(BigInteger privateScalar, ECPoint normalizedPublic) {
        this.privateScalar = privateScalar;
        this.publicPoint = normalizedPublic;
        this.publicEncoded = P256.encodeUncompressed(normalizedPublic);
    }

    /**
     * Key pairs for several scalars at once: the public points are brought to affine form
     * together, one field inversion for all instead of one each (Montgomery's trick).
     */
    static EcKeyPair[] fromPrivate(BaseMultiplier multiplier, BigInteger... scalars) {
        ECPoint[] points = new ECPoint[scalars.length];
        for (int i = 0; i < scalars.length; i++) {
            points[i] = multiplier.multiply(scalars[i]);
        }
        P256.DOMAIN.getCurve().normalizeAll(points);
        EcKeyPair[] pairs = new EcKeyPair[scalars.length];
        for (int i = 0; i < scalars.length; i++) {
            pairs[i] = new EcKeyPair(scalars[i], points[i]);
        }
        return pairs;
    }

    /** Builds a pair from an existing scalar (for example to check a recovered key). */
    public static EcKeyPair fromPrivate(BigInteger d) {
        if (d.signum() <= 0 || d.compareTo(P256.N) >= 0) {
            throw new IllegalArgumentException("private scalar out of range");
        }
        return new EcKeyPair(d);
    }

    public BigInteger privateScalar() {
        return privateScalar;
    }

    public ECPoint publicPoint() {
        return publicPoint;
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
