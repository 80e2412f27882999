package io.github.dpsplugin.core.x509;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.github.dpsplugin.core.riot.EcKeyPair;
import io.github.dpsplugin.core.riot.P256;
import java.math.BigInteger;
import java.util.SplittableRandom;
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
                java.util.Arrays.fill(hash, (byte) 0xff); // e larger than n
            }
            BigInteger d = new BigInteger(1, scalar).mod(P256.N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
            EcKeyPair key = EcKeyPair.fromPrivate(d);
            assertArrayEquals(EcdsaSigner.signWithBouncyCastle(hash, key, NoncePolicy.DEVKIT),
                    EcdsaSigner.signDevkit(hash, d), "signature " + i);
        }
    }
}
