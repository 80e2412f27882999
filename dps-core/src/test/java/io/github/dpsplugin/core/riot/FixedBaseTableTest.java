package io.github.dpsplugin.core.riot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.fuzz.Fuzz;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.math.raw.Nat256;
import org.junit.jupiter.api.Test;

/**
 * The constant-time table computes exactly the points of Bouncy Castle's own fixed-point comb
 * multiplier, for random scalars ({@code 10 000 × dps.fuzz.scale}: {@code -Ddps.fuzz.scale=10} for
 * 100 000) and edge scalars, in every
 * width; its point formulas handle infinity, doubling and opposite points; and every lookup
 * reads the whole window, whatever the scalar.
 */
class FixedBaseTableTest {

    private static final BigInteger N = P256.N;
    private static final ECPoint G = P256.DOMAIN.getG();
    private static final FixedBaseTable TABLE = new FixedBaseTable(G);
    /** Batch sizes around {@link FixedBaseTable#AFFINE_BATCH}, where publicKeys changes path. */
    private static final int[] BATCH_SIZES = {1, 2, 7, FixedBaseTable.AFFINE_BATCH - 1, FixedBaseTable.AFFINE_BATCH,
        FixedBaseTable.AFFINE_BATCH + 1, 64};

    /** Bouncy Castle's reference: {@code d·G} by its comb, encoded. */
    private static byte[] reference(BigInteger d) {
        return new FixedPointCombMultiplier().multiply(G, d).normalize().getEncoded(false);
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** Ours, through the production path (a batch: one inversion for all). */
    private static byte[][] ours(List<BigInteger> scalars) {
        int[][] words = new int[scalars.size()][];
        for (int i = 0; i < words.length; i++) {
            words[i] = Nat256.fromBigInteger(scalars.get(i));
        }
        return BaseMultiplier.TABLE.publicKeys(words);
    }

    private static void sameAsBouncyCastle(List<BigInteger> scalars) {
        byte[][] got = ours(scalars);
        for (int i = 0; i < got.length; i++) {
            BigInteger d = scalars.get(i);
            assertEquals(hex(reference(d)), hex(got[i]), () -> "d = " + d.toString(16));
        }
    }

    /** Each path of {@code table} on its own: one scalar at a time (Jacobian), or all as one batch (affine). */
    private static byte[][] ours(FixedBaseTable table, List<BigInteger> scalars, boolean batch) {
        int n = scalars.size();
        int[][] words = new int[n][];
        for (int i = 0; i < n; i++) {
            words[i] = Nat256.fromBigInteger(scalars.get(i));
        }
        PointWorkspace w = new PointWorkspace();
        int[] xyz = new int[24 * n];
        if (batch) {
            table.multiplyAll(words, w, xyz);
        } else {
            for (int i = 0; i < n; i++) {
                table.multiply(words[i], w, xyz, 24 * i);
            }
        }
        int[] xy = new int[16 * n];
        FixedBaseTable.normalizeAll(xyz, n, xy);
        byte[][] encoded = new byte[n][];
        for (int i = 0; i < n; i++) {
            encoded[i] = BaseMultiplier.encodeUncompressed(xy, 16 * i);
        }
        return encoded;
    }

    /** Both paths of {@code table}, in batches of {@code size}, against the references. */
    private static void bothPathsSameAs(FixedBaseTable table, List<BigInteger> scalars, List<String> references,
            int size) {
        for (int from = 0; from < scalars.size(); from += size) {
            List<BigInteger> part = scalars.subList(from, Math.min(scalars.size(), from + size));
            for (boolean batch : new boolean[] {false, true}) {
                byte[][] got = ours(table, part, batch);
                for (int i = 0; i < got.length; i++) {
                    BigInteger d = part.get(i);
                    String path = batch ? "batch of " + part.size() : "one at a time";
                    assertEquals(references.get(from + i), hex(got[i]), () -> path + ", d = " + d.toString(16));
                }
            }
        }
    }

    private static List<String> references(List<BigInteger> scalars) {
        List<String> refs = new ArrayList<>();
        for (BigInteger d : scalars) {
            refs.add(hex(reference(d)));
        }
        return refs;
    }

    private static BigInteger randomScalar(SplittableRandom random) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return new BigInteger(1, b).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
    }

    /** 1, 2, n-1, n-2, powers of two, and scalars whose windows (raw or recoded) are zero or maximal. */
    static List<BigInteger> edgeScalars(int width) {
        Set<BigInteger> s = new LinkedHashSet<>();
        for (long v = 1; v <= 8; v++) {
            s.add(BigInteger.valueOf(v));
            s.add(N.subtract(BigInteger.valueOf(v)));
        }
        s.add(N.shiftRight(1));
        s.add(N.shiftRight(1).add(BigInteger.ONE));
        s.add(BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE).mod(N));
        BigInteger windowMax = BigInteger.ONE.shiftLeft(width).subtract(BigInteger.ONE);
        for (int i = 0; i < 256; i++) {
            s.add(BigInteger.ONE.shiftLeft(i)); // every bit alone; one window non-zero
            s.add(BigInteger.ONE.shiftLeft(i).subtract(BigInteger.ONE)); // all windows below i maximal
            s.add(N.subtract(BigInteger.ONE.shiftLeft(i)));
        }
        for (int i = 0; i * width < 256; i++) {
            s.add(windowMax.shiftLeft(i * width)); // one maximal window, the others zero
            s.add(N.subtract(windowMax.shiftLeft(i * width)));
        }
        // scalars given by their recoded digits: all +max, all -max, all +1, all -1, alternating
        int windows = (256 + width - 1) / width;
        int max = (1 << width) - 1;
        int[][] patterns = {{max}, {-max}, {1}, {-1}, {max, -max}, {1, -1}, {-max, 1}};
        for (int[] pattern : patterns) {
            BigInteger low = BigInteger.ZERO;
            for (int i = 0; i < windows - 1; i++) {
                low = low.add(BigInteger.valueOf(pattern[i % pattern.length]).shiftLeft(i * width));
            }
            for (int top = 1; top <= max; top += 2) {
                BigInteger k = low.add(BigInteger.valueOf(top).shiftLeft((windows - 1) * width));
                if (k.signum() > 0 && k.compareTo(N) < 0) {
                    s.add(k);
                    s.add(N.subtract(k)); // even: computed as -(k·G)
                }
            }
        }
        s.addAll(lastAdditionIsADoubling(width));
        s.removeIf(d -> d.signum() <= 0 || d.compareTo(N) >= 0);
        return new ArrayList<>(s);
    }

    /**
     * Scalars whose last addition adds a point to itself: the accumulator before the top window
     * is {@code k − d_top·2^(w·(m−1))}, equal to the added point when {@code k ≡ 2·d_top·2^(w·(m−1))}
     * (mod n). Found by trying every top digit; these need the complete formulas.
     */
    static List<BigInteger> lastAdditionIsADoubling(int width) {
        int windows = (256 + width - 1) / width;
        int shift = width * (windows - 1);
        List<BigInteger> found = new ArrayList<>();
        for (int d = 1; d < (1 << width); d += 2) {
            BigInteger k = BigInteger.valueOf(2L * d).shiftLeft(shift).mod(N);
            for (BigInteger candidate : List.of(k, N.subtract(k))) {
                BigInteger odd = candidate.testBit(0) ? candidate : N.subtract(candidate);
                BigInteger a = odd.shiftRight(1).setBit(width * windows - 1);
                int top = 2 * a.shiftRight(shift).intValue() + 1 - (1 << width);
                BigInteger accumulator = odd.subtract(BigInteger.valueOf(top).shiftLeft(shift));
                if (accumulator.subtract(BigInteger.valueOf(top).shiftLeft(shift)).mod(N).signum() == 0) {
                    found.add(candidate);
                }
            }
        }
        return found;
    }

    @Test
    void scalarsWhoseLastAdditionIsADoublingExistAndAreComputedRight() {
        List<BigInteger> doubling = lastAdditionIsADoubling(FixedBaseTable.DEFAULT_WIDTH);
        assertTrue(doubling.size() >= 1, "found " + doubling.size());
        sameAsBouncyCastle(doubling);
    }

    @Test
    void edgeScalarsAreBouncyCastlesPoints() {
        List<BigInteger> edges = edgeScalars(FixedBaseTable.DEFAULT_WIDTH);
        assertTrue(edges.size() > 700, "edge scalars: " + edges.size());
        sameAsBouncyCastle(edges);
    }

    @Test
    void randomScalarsAreBouncyCastlesPoints() {
        SplittableRandom random = new SplittableRandom(Fuzz.SEED);
        long count = Math.max(1000, Math.round(10_000 * Fuzz.SCALE));
        List<BigInteger> batch = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            batch.add(randomScalar(random));
            if (batch.size() == BATCH_SIZES[(int) (i % BATCH_SIZES.length)]) { // both paths of publicKeys
                sameAsBouncyCastle(batch);
                batch.clear();
            }
        }
        sameAsBouncyCastle(batch);
    }

    @Test
    void edgeScalarsAreBouncyCastlesPointsOnBothPathsInEveryBatchSize() {
        List<BigInteger> edges = edgeScalars(FixedBaseTable.DEFAULT_WIDTH);
        List<String> references = references(edges);
        for (int size : new int[] {1, 2, 3, 16, 33, edges.size()}) {
            bothPathsSameAs(TABLE, edges, references, size);
        }
    }

    @Test
    void everyWidthGivesBouncyCastlesPoints() {
        SplittableRandom random = new SplittableRandom(5);
        for (int width = 2; width <= 8; width++) {
            FixedBaseTable table = new FixedBaseTable(G, width, null);
            List<BigInteger> scalars = edgeScalars(width);
            for (int i = 0; i < 100; i++) {
                scalars.add(randomScalar(random));
            }
            bothPathsSameAs(table, scalars, references(scalars), 37);
        }
    }

    @Test
    void theCompleteFormulasHandleInfinityDoublingAndOppositePoints() {
        ECCurve curve = P256.DOMAIN.getCurve();
        SplittableRandom random = new SplittableRandom(11);
        PointWorkspace w = new PointWorkspace();
        for (int i = 0; i < 200; i++) {
            ECPoint q = G.multiply(randomScalar(random)).normalize();
            int[] x2 = words(q.getAffineXCoord().toBigInteger());
            int[] y2 = words(q.getAffineYCoord().toBigInteger());
            // (X : Y : Z) = (λx : λy : λ) for a random λ: the formulas must not care about the scaling
            BigInteger p = curve.getField().getCharacteristic();
            BigInteger lambda = randomScalar(random).mod(p);
            int[] z1 = words(lambda);
            int[] x1 = words(q.getAffineXCoord().toBigInteger().multiply(lambda).mod(p));
            int[] y1 = words(q.getAffineYCoord().toBigInteger().multiply(lambda).mod(p));
            int[] x3 = new int[8];
            int[] y3 = new int[8];
            int[] z3 = new int[8];

            // infinity + Q = Q
            w.addMixed(new int[8], words(BigInteger.ONE), new int[8], x2, y2, x3, y3, z3);
            assertEquals(q, affine(x3, y3, z3));
            // Q + Q = 2Q (the doubling case of an addition)
            w.addMixed(x1, y1, z1, x2, y2, x3, y3, z3);
            assertEquals(q.twice().normalize(), affine(x3, y3, z3));
            // Q + (-Q) = infinity: Z = 0
            int[] negY = words(p.subtract(q.getAffineYCoord().toBigInteger()));
            w.addMixed(x1, y1, z1, x2, negY, x3, y3, z3);
            assertEquals(BigInteger.ZERO, Nat256.toBigInteger(z3));
            // R + Q for an unrelated R
            ECPoint r = G.multiply(randomScalar(random)).normalize();
            w.addMixed(words(r.getAffineXCoord().toBigInteger()),
                    words(r.getAffineYCoord().toBigInteger()), words(BigInteger.ONE), x2, y2, x3, y3, z3);
            assertEquals(r.add(q).normalize(), affine(x3, y3, z3));
        }
    }

    @Test
    void everyLookupReadsEveryEntryWhateverTheScalar() {
        List<Integer> reads = new ArrayList<>();
        FixedBaseTable traced = new FixedBaseTable(G, FixedBaseTable.DEFAULT_WIDTH, reads::add);
        int all = traced.windows() * traced.entriesPerWindow();
        List<Integer> expected = new ArrayList<>();
        for (int e = 0; e < all; e++) {
            expected.add(e); // window by window, every entry of the window, in the same order
        }
        SplittableRandom random = new SplittableRandom(3);
        List<BigInteger> scalars = new ArrayList<>(List.of(BigInteger.ONE, BigInteger.TWO,
                N.subtract(BigInteger.ONE), N.subtract(BigInteger.TWO)));
        for (int i = 0; i < 50; i++) {
            scalars.add(randomScalar(random));
        }
        for (BigInteger d : scalars) {
            reads.clear();
            ECPoint got = traced.multiplyToPoint(d);
            assertEquals(expected, reads, () -> "d = " + d.toString(16));
            assertArrayEquals(reference(d), got.getEncoded(false));
        }
    }

    @Test
    void aBatchReadsEveryEntryOfEachWindowForEachScalarWhateverTheScalars() {
        List<Integer> reads = new ArrayList<>();
        FixedBaseTable traced = new FixedBaseTable(G, FixedBaseTable.DEFAULT_WIDTH, reads::add);
        int n = 20;
        List<Integer> expected = new ArrayList<>();
        for (int window = 0; window < traced.windows(); window++) {
            // window 0 and the last are read scalar by scalar too, so the order is the same throughout
            for (int j = 0; j < n; j++) {
                for (int e = 0; e < traced.entriesPerWindow(); e++) {
                    expected.add(window * traced.entriesPerWindow() + e);
                }
            }
        }
        SplittableRandom random = new SplittableRandom(11);
        for (int round = 0; round < 5; round++) {
            List<BigInteger> scalars = new ArrayList<>();
            for (int j = 0; j < n; j++) {
                scalars.add(round == 0 && j < 2 ? BigInteger.valueOf(j + 1) : randomScalar(random));
            }
            reads.clear();
            byte[][] got = ours(traced, scalars, true);
            assertEquals(expected, reads, "round " + round);
            assertEquals(references(scalars), Arrays.stream(got).map(FixedBaseTableTest::hex).toList());
        }
    }

    @Test
    void theTableIsSmallAndItsLookupsTheAdvertisedCount() {
        assertEquals(43, TABLE.windows());
        assertEquals(32, TABLE.entriesPerWindow());
    }

    @Test
    void keysDerivedWithEitherMultiplierAreEqual() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 200; i++) {
            int[] d1 = Nat256.fromBigInteger(randomScalar(random));
            int[] d2 = Nat256.fromBigInteger(randomScalar(random));
            EcKeyPair[] comb = EcKeyPair.fromPrivate(BaseMultiplier.COMB, d1, d2);
            EcKeyPair[] table = EcKeyPair.fromPrivate(BaseMultiplier.TABLE, d1, d2);
            for (int k = 0; k < 2; k++) {
                assertEquals(hex(comb[k].publicKeyUncompressed()), hex(table[k].publicKeyUncompressed()));
                assertEquals(comb[k].privateScalar(), table[k].privateScalar());
                assertEquals(comb[k].publicPoint(), table[k].publicPoint());
            }
        }
    }

    private static int[] words(BigInteger v) {
        return Nat256.fromBigInteger(v);
    }

    private static ECPoint affine(int[] x, int[] y, int[] z) {
        BigInteger p = P256.DOMAIN.getCurve().getField().getCharacteristic();
        BigInteger zi = Nat256.toBigInteger(z).modInverse(p);
        return P256.DOMAIN.getCurve().createPoint(Nat256.toBigInteger(x).multiply(zi).mod(p),
                Nat256.toBigInteger(y).multiply(zi).mod(p));
    }
}
