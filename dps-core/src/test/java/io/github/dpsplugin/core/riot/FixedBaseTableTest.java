package io.github.dpsplugin.core.riot;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The byte-window table computes exactly the points of Bouncy Castle's comb multiplier. */
class FixedBaseTableTest {

    private static void same(BigInteger d) {
        assertEquals(P256.multiplyG(d, BaseMultiplier.COMB), P256.multiplyG(d, BaseMultiplier.TABLE), "d = " + d.toString(16));
    }

    @Test
    void edgeScalars() {
        List<BigInteger> edges = new ArrayList<>();
        edges.add(BigInteger.ONE);
        edges.add(BigInteger.TWO);
        edges.add(BigInteger.valueOf(255));
        edges.add(BigInteger.valueOf(256));
        edges.add(P256.N.subtract(BigInteger.ONE));
        edges.add(P256.N.subtract(BigInteger.TWO));
        for (int i = 0; i < 32; i++) {
            edges.add(BigInteger.ONE.shiftLeft(8 * i)); // one non-zero byte in each window
            edges.add(BigInteger.valueOf(255).shiftLeft(8 * i));
        }
        edges.add(BigInteger.ONE.shiftLeft(255));
        edges.add(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE).mod(P256.N));
        edges.forEach(FixedBaseTableTest::same);
    }

    @Test
    void randomScalars() {
        SplittableRandom random = new SplittableRandom(42);
        byte[] b = new byte[32];
        for (int i = 0; i < 500; i++) {
            random.nextBytes(b);
            if (i % 5 == 0) {
                b[random.nextInt(32)] = 0; // zero windows are skipped
            }
            same(new BigInteger(1, b).mod(P256.N.subtract(BigInteger.ONE)).add(BigInteger.ONE));
        }
    }

    @Test
    void keysDerivedWithEitherMultiplierAreEqual() {
        SplittableRandom random = new SplittableRandom(7);
        byte[] b = new byte[32];
        for (int i = 0; i < 50; i++) {
            random.nextBytes(b);
            BigInteger d1 = new BigInteger(1, b).mod(P256.N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
            random.nextBytes(b);
            BigInteger d2 = new BigInteger(1, b).mod(P256.N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
            EcKeyPair[] comb = EcKeyPair.fromPrivate(BaseMultiplier.COMB, d1, d2);
            EcKeyPair[] table = EcKeyPair.fromPrivate(BaseMultiplier.TABLE, d1, d2);
            for (int k = 0; k < 2; k++) {
                assertEquals(java.util.HexFormat.of().formatHex(comb[k].publicKeyUncompressed()),
                        java.util.HexFormat.of().formatHex(table[k].publicKeyUncompressed()));
            }
        }
    }
}
