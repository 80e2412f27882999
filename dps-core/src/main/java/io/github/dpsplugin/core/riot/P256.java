package io.github.dpsplugin.core.riot;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECPoint;

/** The NIST P-256 group, on Bouncy Castle's custom field arithmetic for secp256r1. */
public final class P256 {

    private static final X9ECParameters X9 = CustomNamedCurves.getByName("secp256r1");

    /** Domain parameters (curve, G, n, h). */
    public static final ECDomainParameters DOMAIN =
            new ECDomainParameters(X9.getCurve(), X9.getG(), X9.getN(), X9.getH(), X9.getSeed());

    /** The group order n. */
    public static final BigInteger N = X9.getN();


    private P256() {
    }

    /**
     * {@code d·G}, normalised (affine), by Bouncy Castle's comb: for public scalars (constants,
     * tests); keys are derived with the constant-time {@link BaseMultiplier#TABLE}.
     */
    public static ECPoint multiplyG(BigInteger d) {
        return BaseMultiplier.COMB.multiply(d).normalize();
    }

    /** {@code d·G} with the given multiplier, normalised (affine). */
    public static ECPoint multiplyG(BigInteger d, BaseMultiplier multiplier) {
        return multiplier.multiply(d).normalize();
    }

    /** Uncompressed SEC 1 encoding {@code 04 || X || Y}. */
    public static byte[] encodeUncompressed(ECPoint q) {
        return q.getEncoded(false);
    }
}
