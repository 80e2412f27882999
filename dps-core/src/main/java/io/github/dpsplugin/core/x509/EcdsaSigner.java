package io.github.dpsplugin.core.x509;

import io.github.dpsplugin.core.common.Hashes;
import io.github.dpsplugin.core.riot.EcKeyPair;
import io.github.dpsplugin.core.riot.P256;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;

/** ECDSA P-256 over SHA-256 with an explicit {@link NoncePolicy}. No low-s normalisation, as on the device. */
public final class EcdsaSigner {

    /**
     * The DevKit's nonce. Its "random" source is a stub that writes 32, 31, …, 1 into a
     * little-endian word array, which read as the big-endian scalar is 01 02 … 20.
     */
    public static final BigInteger DEVKIT_NONCE =
            new BigInteger("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20", 16);

    private EcdsaSigner() {
    }

    /** Signs {@code SHA256(data)} and returns the DER {@code SEQUENCE { r, s }}. */
    public static byte[] sign(byte[] data, EcKeyPair key, NoncePolicy policy) {
        BigInteger[] rs = signRaw(Hashes.sha256(data), key, policy);
        try {
            return new DERSequence(new ASN1Integer[] {new ASN1Integer(rs[0]), new ASN1Integer(rs[1])})
                    .getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * {@code r} of every DEVKIT signature, {@code (k·G).x mod n}, and {@code k⁻¹ mod n}: with a
     * constant nonce both are constants, so a DEVKIT signature costs no point multiplication.
     */
    private static final BigInteger DEVKIT_R =
            P256.multiplyG(DEVKIT_NONCE).getAffineXCoord().toBigInteger().mod(P256.N);
    private static final BigInteger DEVKIT_K_INVERSE = DEVKIT_NONCE.modInverse(P256.N);

    /** Signs a 32-byte hash; returns {@code {r, s}}. */
    public static BigInteger[] signRaw(byte[] hash, EcKeyPair key, NoncePolicy policy) {
        if (policy == NoncePolicy.DEVKIT) {
            return signDevkit(hash, key.privateScalar());
        }
        return signWithBouncyCastle(hash, key, policy);
    }

    /** {@code s = k⁻¹ (e + d·r) mod n} with the precomputed constants; e is the 256-bit hash itself. */
    static BigInteger[] signDevkit(byte[] hash, BigInteger d) {
        BigInteger e = new BigInteger(1, hash);
        BigInteger s = DEVKIT_K_INVERSE.multiply(e.add(d.multiply(DEVKIT_R))).mod(P256.N);
        if (s.signum() == 0) {
            throw new IllegalStateException("the fixed DevKit nonce gives s = 0 for this certificate; the device"
                    + " cannot sign it either");
        }
        return new BigInteger[] {DEVKIT_R, s};
    }

    /**
     * Every other policy, through Bouncy Castle's ECDSA (no low-s normalisation). DEVKIT never gets
     * here: {@link #signDevkit} signs it with the precomputed constants.
     */
    static BigInteger[] signWithBouncyCastle(byte[] hash, EcKeyPair key, NoncePolicy policy) {
        if (policy != NoncePolicy.RFC6979) {
            throw new IllegalArgumentException("no Bouncy Castle nonce calculator for policy " + policy);
        }
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
        signer.init(true, new ECPrivateKeyParameters(key.privateScalar(), P256.DOMAIN));
        return signer.generateSignature(hash);
    }
}
