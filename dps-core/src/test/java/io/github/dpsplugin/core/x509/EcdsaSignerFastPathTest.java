package io.github.dpsplugin.core.x509;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.dpsplugin.core.riot.EcKeyPair;
import io.github.dpsplugin.core.riot.P256;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.DSAKCalculator;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.junit.jupiter.api.Test;

/** The DEVKIT shortcut (precomputed r and k⁻¹) signs exactly as Bouncy Castle's ECDSA with the same k. */
class EcdsaSignerFastPathTest {

    @Test
    void precomputedDevkitSignatureEqualsBouncyCastles() {
        SplittableRandom random = new SplittableRandom(6979);
        for (int i = 0; i < 200; i++) {
            byte[] hash = new byte[32];
            byte[] scalar = new byte[32];
            random.nextBytes(hash);
            random.nextBytes(scalar);
            if (i == 0) {
                Arrays.fill(hash, (byte) 0xff); // e larger than n
            }
            BigInteger d = new BigInteger(1, scalar).mod(P256.N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
            assertArrayEquals(bouncyCastleWithFixedNonce(hash, EcKeyPair.fromPrivate(d)),
                    EcdsaSigner.signDevkit(hash, d), "signature " + i);
        }
    }

    private static BigInteger[] bouncyCastleWithFixedNonce(byte[] hash, EcKeyPair key) {
        ECDSASigner signer = new ECDSASigner(new FixedNonce(EcdsaSigner.DEVKIT_NONCE));
        signer.init(true, new ECPrivateKeyParameters(key.privateScalar(), P256.DOMAIN));
        return signer.generateSignature(hash);
    }

    /** Always the same k; a second request (r or s was 0) fails instead of looping. */
    private static final class FixedNonce implements DSAKCalculator {
        private final BigInteger k;
        private boolean used;

        FixedNonce(BigInteger k) {
            this.k = k;
        }

        @Override
        public boolean isDeterministic() {
            return true;
        }

        @Override
        public void init(BigInteger n, SecureRandom random) {
            throw new IllegalStateException("a fixed nonce takes no randomness");
        }

        @Override
        public void init(BigInteger n, BigInteger d, byte[] message) {
            used = false;
        }

        @Override
        public BigInteger nextK() {
            if (used) {
                throw new IllegalStateException("zero signature component with the fixed nonce");
            }
            used = true;
            return k;
        }
    }
}
