package io.github.dpsplugin.core.riot;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.function.IntConsumer;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.custom.sec.SecP256R1Field;
import org.bouncycastle.math.raw.Nat256;

/**
 * {@code k·G} in constant time, for secret scalars: a fixed-base table of signed odd multiples
 * of {@code G}, read in full at every lookup, and Renes–Costello–Batina complete addition
 * formulas, on Bouncy Castle's allocation-free P-256 field arithmetic ({@link SecP256R1Field},
 * {@link Nat256}). Only the table layout, the scalar recoding and the point formulas are ours;
 * every result is cross-checked against Bouncy Castle's own multiplier (FixedBaseTableTest).
 *
 * <h2>Recoding: every digit odd and non-zero, a fixed sequence of operations</h2>
 * The scalar {@code d} (1 ≤ d &lt; n) is first made odd: {@code k = d} if {@code d} is odd, else
 * {@code k = n − d} (n is odd), chosen by mask; then {@code d·G = ±k·G}, the sign applied at the
 * end by a masked negation of Y. An odd {@code k < 2^(w·m)} is written
 * {@code k = Σ d_i·2^(w·i)} with every digit odd, {@code |d_i| ≤ 2^w − 1}: with
 * {@code A = (k − 1)/2 + 2^(w·m−1)} and {@code a_i} its base-{@code 2^w} digits,
 * {@code d_i = 2·a_i + 1 − 2^w} (since {@code Σ (2a_i + 1 − 2^w)·2^(w·i) = 2A − (2^(w·m) − 1) = k}).
 * No digit is zero, so every multiplication is exactly {@code m} table lookups and {@code m − 1}
 * additions, whatever the scalar; there are no doublings at all.
 *
 * <h2>Table: odd multiples, masked lookups</h2>
 * Window {@code i} holds {@code (2j + 1)·2^(w·i)·G} for {@code j = 0 … 2^(w−1) − 1}, affine, as
 * 8 longs (x then y). The digit {@code d_i} selects entry {@code j = (|d_i| − 1)/2}; the lookup
 * reads every entry of the window and keeps the wanted one with a mask, so the addresses read do
 * not depend on the scalar (as Bouncy Castle's {@code ECLookupTable}); the digit's sign is applied
 * by a masked choice between {@code y} and {@code p − y}.
 *
 * <h2>Edge cases: excluded by the recoding, and complete formulas where they are not</h2>
 * The accumulator starts at window 0's point (never infinity). Windows 1 to m−2 are added with
 * the cheap Jacobian + affine addition (8M + 3S), which is wrong only when the two points are
 * equal or opposite. They never are: before window i the accumulator is {@code S·G} with
 * {@code |S| = |Σ_{j<i} d_j·2^(w·j)| ≤ 2^(w·i) − 1}, the added point is {@code d_i·2^(w·i)·G} with
 * {@code |d_i·2^(w·i)| ≥ 2^(w·i) > |S|}, so {@code S ∓ d_i·2^(w·i)} is a non-zero integer of
 * magnitude below {@code 2^(w·(i+1))} ≤ {@code 2^(w·(m−1))} ≤ {@code 2^255} &lt; n (as
 * {@code m = ⌈256/w⌉}): never a multiple of n, so the points differ and are not opposite. Only
 * the last addition can meet them (for rare scalars, e.g. {@code k ≡ 2·d·2^(w·(m−1))}); it uses
 * the complete mixed addition of Renes, Costello and Batina ("Complete addition formulas for prime
 * order elliptic curves", EUROCRYPT 2016, algorithm 5, a = −3), correct for every accumulator,
 * doubling and opposite points included, after converting the accumulator from Jacobian
 * {@code (X : Y : Z)} to homogeneous {@code (X·Z : Y : Z³)}. The result {@code ±k·G} is never
 * infinity, as {@code 0 < k < n}. So no input takes another path, and none needs a branch.
 *
 * <h2>Many scalars at once: affine additions</h2>
 * A fleet's keys come in batches (a chunk of devices, two keys each). {@link #multiplyAll} runs
 * the batch window by window and adds in affine coordinates: {@code λ = (y2 − y1)/(x2 − x1)},
 * with the batch's {@code 1/(x2 − x1)} from one field inversion (Montgomery's trick). The
 * argument above shows no {@code x2 − x1} is zero in windows 1 to m−2; the last window keeps the
 * complete formulas. A batch of 32 scalars costs about 20 % less per scalar than one at a time, 64
 * about 27 %; below {@link #AFFINE_BATCH} the inversions cost more than they save.
 *
 * <h2>What is not ours and not strictly constant-time</h2>
 * Bouncy Castle's field operations end with a conditional correction (subtract or add p when a
 * carry, a borrow or a result ≥ p occurs), a branch on intermediate values; its inversion is
 * constant-time (safegcd). This is the same arithmetic its {@code FixedPointCombMultiplier}
 * uses, the reference behaviour for this table.
 *
 * <p>The default width w = 6 gives 43 windows of 32 entries (1 376 points, 88 KB), built in a few
 * milliseconds once per JVM and shared read-only by all threads.
 */
final class FixedBaseTable {

    static final int DEFAULT_WIDTH = 6;

    /** The field prime p and the curve's b, as little-endian 32-bit words. */
    private static final int[] P;
    private static final int[] N;

    static {
        ECCurve curve = P256.DOMAIN.getCurve();
        P = Nat256.fromBigInteger(curve.getField().getCharacteristic());
        N = Nat256.fromBigInteger(P256.N);
    }

    private final int width;
    private final int windows;
    private final int entries;
    /** [window][entry][x, y]: 8 longs per entry, each two little-endian words of x, then of y. */
    private final long[] table;
    /** Test hook: told the index of every table entry read, in order; null in use. */
    private final IntConsumer readTrace;

    FixedBaseTable(ECPoint g) {
        this(g, DEFAULT_WIDTH, null);
    }

    FixedBaseTable(ECPoint g, int width, IntConsumer readTrace) {
        if (width < 2 || width > 8) {
            throw new IllegalArgumentException("width " + width);
        }
        this.width = width;
        this.windows = (256 + width - 1) / width;
        this.entries = 1 << (width - 1);
        this.readTrace = readTrace;
        // public data from here on: Bouncy Castle's point arithmetic, one normalisation for all points
        ECPoint[] points = new ECPoint[windows * entries];
        ECPoint base = g.normalize();
        for (int i = 0; i < windows; i++) {
            ECPoint twice = base.twice();
            ECPoint p = base;
            for (int j = 0; j < entries; j++) {
                points[i * entries + j] = p;
                p = p.add(twice);
            }
            base = base.timesPow2(width).normalize();
        }
        g.getCurve().normalizeAll(points);
        this.table = new long[windows * entries * 8];
        for (int e = 0; e < points.length; e++) {
            int[] x = Nat256.fromBigInteger(points[e].getAffineXCoord().toBigInteger());
            int[] y = Nat256.fromBigInteger(points[e].getAffineYCoord().toBigInteger());
            for (int i = 0; i < 4; i++) {
                table[e * 8 + i] = (x[2 * i] & 0xffffffffL) | (long) x[2 * i + 1] << 32;
                table[e * 8 + 4 + i] = (y[2 * i] & 0xffffffffL) | (long) y[2 * i + 1] << 32;
            }
        }
    }

    int windows() {
        return windows;
    }

    int entriesPerWindow() {
        return entries;
    }

    /**
     * {@code d·G} in homogeneous projective coordinates {@code (X : Y : Z)}, x = X/Z, y = Y/Z,
     * written into {@code xyz[off .. off+24)}. {@code d} is 8 little-endian words with
     * {@code 0 < d < n} (checked by the caller, see {@link RiotKdf}). The workspace holds secrets
     * afterwards: clear it when done.
     */
    void multiply(int[] d, PointWorkspace w, int[] xyz, int off) {
        int[] a = w.a;
        int even = recode(d, w, a);
        int[] accX = w.accX;
        int[] accY = w.accY;
        int[] accZ = w.accZ;
        // window 0: the accumulator starts at its point, (x : y : 1)
        entry(0, bits(a, 0, width), w);
        Nat256.copy(w.x, accX);
        Nat256.copy(w.y, accY);
        Nat256.zero(accZ);
        accZ[0] = 1;
        // windows 1 … m-2: Jacobian + affine, never an exceptional case (class comment)
        for (int i = 1; i < windows - 1; i++) {
            entry(i, bits(a, i * width, width), w);
            w.addJacobianAffine(accX, accY, accZ, w.x, w.y);
        }
        // (X : Y : Z) Jacobian is (X·Z : Y : Z³) homogeneous
        SecP256R1Field.multiply(accX, accZ, w.outX, w.tt);
        Nat256.copy(accY, w.outY);
        SecP256R1Field.square(accZ, w.t0, w.tt);
        SecP256R1Field.multiply(w.t0, accZ, w.outZ, w.tt);
        last(a, even, w, xyz, off);
    }

    /**
     * The scalar's recoding: {@code k = d} or {@code n − d}, whichever is odd, and the digits
     * {@code A = (k − 1)/2 + 2^(w·m − 1)} into {@code a} (9 words); returns 1 when {@code d} was
     * even (the result is then negated), else 0, by mask.
     */
    private int recode(int[] d, PointWorkspace w, int[] a) {
        int even = (d[0] & 1) ^ 1;
        Nat256.copy(d, w.k);
        Nat256.sub(N, d, w.nk);
        cmov(even, w.nk, w.k);
        // k >> 1 with bit w·m - 1 set (k >> 1 < 2^255 ≤ 2^(w·m-1))
        for (int i = 0; i < 8; i++) {
            a[i] = (w.k[i] >>> 1) | (i < 7 ? w.k[i + 1] << 31 : 0);
        }
        a[8] = 0;
        int top = width * windows - 1;
        a[top >>> 5] |= 1 << (top & 31);
        return even;
    }

    /**
     * The last window, added to the homogeneous accumulator {@code (w.outX : w.outY : w.outZ)} by
     * the complete formulas (the one addition that can meet equal or opposite points), the sign
     * applied, the result written to {@code xyz[off .. off+24)}.
     */
    private void last(int[] a, int even, PointWorkspace w, int[] xyz, int off) {
        entry(windows - 1, bits(a, (windows - 1) * width, width), w);
        w.addMixed(w.outX, w.outY, w.outZ, w.x, w.y, w.accX, w.accY, w.accZ);
        // -(X : Y : Z) = (X : -Y : Z); Y ≠ 0 since the result is a finite point of odd order
        Nat256.sub(P, w.accY, w.ny);
        cmov(even, w.ny, w.accY);
        System.arraycopy(w.accX, 0, xyz, off, 8);
        System.arraycopy(w.accY, 0, xyz, off + 8, 8);
        System.arraycopy(w.accZ, 0, xyz, off + 16, 8);
    }

    /**
     * Batches at least this large take {@link #multiplyAll}'s affine additions: below it, the
     * field inversion each window pays costs more than the multiplications it saves.
     */
    static final int AFFINE_BATCH = 16;

    /**
     * {@code d·G} for every scalar of a batch (public size, secret values), as {@link #multiply}
     * does one, into {@code xyz[24·j ..]}: the same digits, lookups and last (complete) addition,
     * but windows 1 to m−2 are added in affine coordinates, all scalars of the batch at once.
     * An affine addition needs {@code 1/(x2 − x1)}; Montgomery's trick gives all of a window's
     * inverses from one field inversion and 3 multiplications each, so an addition costs
     * 5M + 1S + (one inversion)/batch instead of 8M + 3S. No {@code x2 − x1} is 0: these are the
     * additions the class comment proves never meet equal or opposite points. The sequence of
     * operations depends on the batch size alone. The workspace holds secrets afterwards.
     */
    void multiplyAll(int[][] scalars, PointWorkspace w, int[] xyz) {
        Batch b = new Batch(scalars.length);
        try {
            for (int j = 0; j < b.n; j++) {
                b.even[j] = recode(scalars[j], w, b.a[j]);
                entry(0, bits(b.a[j], 0, width), w);
                Nat256.copy(w.x, b.accX[j]);
                Nat256.copy(w.y, b.accY[j]);
            }
            // a window's work in methods of their own: the JIT compiles them early and once, where
            // this loop's body would be compiled late, on the stack, and again
            for (int i = 1; i < windows - 1; i++) {
                lookUpWindow(i, b, w);
                addWindow(b, w);
            }
            for (int j = 0; j < b.n; j++) {
                Nat256.copy(b.accX[j], w.outX);
                Nat256.copy(b.accY[j], w.outY);
                Nat256.zero(w.outZ);
                w.outZ[0] = 1;
                last(b.a[j], b.even[j], w, xyz, 24 * j);
            }
        } finally {
            b.clear();
        }
    }

    /** A batch's affine accumulators and, for the window being added, its points, x differences and their running products. */
    private static final class Batch {
        final int n;
        final int[][] a;
        final int[] even;
        final int[][] accX;
        final int[][] accY;
        final int[][] ex;
        final int[][] ey;
        final int[][] dx;
        /** {@code prefix[j] = dx[0]·…·dx[j]}. */
        final int[][] prefix;

        Batch(int n) {
            this.n = n;
            a = new int[n][9];
            even = new int[n];
            accX = new int[n][8];
            accY = new int[n][8];
            ex = new int[n][8];
            ey = new int[n][8];
            dx = new int[n][8];
            prefix = new int[n][8];
        }

        void clear() {
            for (int[][] v : new int[][][] {a, accX, accY, ex, ey, dx, prefix}) {
                for (int[] e : v) {
                    Arrays.fill(e, 0);
                }
            }
            Arrays.fill(even, 0);
        }
    }

    /** Window {@code i}'s point for each scalar, its x difference to the accumulator, and their running products. */
    private void lookUpWindow(int i, Batch b, PointWorkspace w) {
        for (int j = 0; j < b.n; j++) {
            entry(i, bits(b.a[j], i * width, width), w);
            Nat256.copy(w.x, b.ex[j]);
            Nat256.copy(w.y, b.ey[j]);
            SecP256R1Field.subtract(b.ex[j], b.accX[j], b.dx[j]);
        }
        Nat256.copy(b.dx[0], b.prefix[0]);
        for (int j = 1; j < b.n; j++) {
            SecP256R1Field.multiply(b.prefix[j - 1], b.dx[j], b.prefix[j], w.tt);
        }
    }

    /** Adds the looked-up points to the accumulators: one inversion, then each {@code 1/dx[j]} from it, last to first. */
    private static void addWindow(Batch b, PointWorkspace w) {
        int[] inverse = w.t0; // 1/(dx[0]·…·dx[j]) while j runs down
        int[] dxInverse = w.t1;
        SecP256R1Field.inv(b.prefix[b.n - 1], inverse);
        for (int j = b.n - 1; j > 0; j--) {
            SecP256R1Field.multiply(inverse, b.prefix[j - 1], dxInverse, w.tt);
            SecP256R1Field.multiply(inverse, b.dx[j], inverse, w.tt);
            w.addAffine(b.accX[j], b.accY[j], b.ex[j], b.ey[j], dxInverse);
        }
        w.addAffine(b.accX[0], b.accY[0], b.ex[0], b.ey[0], inverse);
    }

    /** {@code (x, y)} of digit {@code d_i = 2·digit + 1 − 2^w} of window {@code i}, into {@code w.x, w.y}. */
    private void entry(int i, int digit, PointWorkspace w) {
        // positive iff the digit's top bit is set; entry (|d_i| - 1)/2
        int positive = digit >>> (width - 1);
        int index = (digit ^ (positive - 1)) & (entries - 1);
        lookup(i, index, w.x, w.y);
        Nat256.sub(P, w.y, w.ny);
        cmov(positive ^ 1, w.ny, w.y);
    }

    /** Bits {@code [from, from + count)} of {@code a}, count ≤ 8, with no branch on their value. */
    private static int bits(int[] a, int from, int count) {
        int word = from >>> 5;
        int shift = from & 31;
        long two = (a[word] & 0xffffffffL) | (word + 1 < a.length ? (long) a[word + 1] << 32 : 0L);
        return (int) (two >>> shift) & ((1 << count) - 1);
    }

    /** Entry {@code index} of window {@code window}, reading every entry of the window. */
    private void lookup(int window, int index, int[] x, int[] y) {
        long x0 = 0, x1 = 0, x2 = 0, x3 = 0, y0 = 0, y1 = 0, y2 = 0, y3 = 0;
        long[] t = table;
        int base = window * entries;
        IntConsumer trace = readTrace;
        for (int j = 0; j < entries; j++) {
            if (trace != null) {
                trace.accept(base + j); // depends on whether tracing is on, never on the scalar
            }
            long mask = ((j ^ index) - 1) >> 31; // -1 when j == index, else 0
            int off = (base + j) << 3;
            x0 |= t[off] & mask;
            x1 |= t[off + 1] & mask;
            x2 |= t[off + 2] & mask;
            x3 |= t[off + 3] & mask;
            y0 |= t[off + 4] & mask;
            y1 |= t[off + 5] & mask;
            y2 |= t[off + 6] & mask;
            y3 |= t[off + 7] & mask;
        }
        x[0] = (int) x0; x[1] = (int) (x0 >>> 32); x[2] = (int) x1; x[3] = (int) (x1 >>> 32);
        x[4] = (int) x2; x[5] = (int) (x2 >>> 32); x[6] = (int) x3; x[7] = (int) (x3 >>> 32);
        y[0] = (int) y0; y[1] = (int) (y0 >>> 32); y[2] = (int) y1; y[3] = (int) (y1 >>> 32);
        y[4] = (int) y2; y[5] = (int) (y2 >>> 32); y[6] = (int) y3; y[7] = (int) (y3 >>> 32);
    }

    /** {@code z = x} when {@code cond} is 1, unchanged when 0, by mask. */
    private static void cmov(int cond, int[] x, int[] z) {
        int mask = -cond;
        for (int i = 0; i < 8; i++) {
            z[i] ^= (z[i] ^ x[i]) & mask;
        }
    }

    /**
     * Brings {@code count} projective points {@code xyz[24·i ..]} to affine {@code (x, y)}, written
     * to {@code xy[16·i ..]}, with one field inversion for all (Montgomery's trick). No Z is 0.
     */
    static void normalizeAll(int[] xyz, int count, int[] xy) {
        int[] tt = new int[16];
        int[] prefix = new int[8 * count];
        System.arraycopy(xyz, 16, prefix, 0, 8);
        int[] z = new int[8];
        int[] acc = new int[8];
        for (int i = 1; i < count; i++) {
            System.arraycopy(prefix, 8 * (i - 1), acc, 0, 8);
            System.arraycopy(xyz, 24 * i + 16, z, 0, 8);
            SecP256R1Field.multiply(acc, z, acc, tt);
            System.arraycopy(acc, 0, prefix, 8 * i, 8);
        }
        int[] inv = new int[8];
        System.arraycopy(prefix, 8 * (count - 1), acc, 0, 8);
        SecP256R1Field.inv(acc, inv);
        int[] zInv = new int[8];
        int[] v = new int[8];
        for (int i = count - 1; i >= 0; i--) {
            if (i > 0) {
                System.arraycopy(prefix, 8 * (i - 1), acc, 0, 8);
                SecP256R1Field.multiply(inv, acc, zInv, tt);
                System.arraycopy(xyz, 24 * i + 16, z, 0, 8);
                SecP256R1Field.multiply(inv, z, inv, tt);
            } else {
                System.arraycopy(inv, 0, zInv, 0, 8);
            }
            System.arraycopy(xyz, 24 * i, v, 0, 8);
            SecP256R1Field.multiply(v, zInv, v, tt);
            System.arraycopy(v, 0, xy, 16 * i, 8);
            System.arraycopy(xyz, 24 * i + 8, v, 0, 8);
            SecP256R1Field.multiply(v, zInv, v, tt);
            System.arraycopy(v, 0, xy, 16 * i + 8, 8);
        }
    }

    /** Test helper: {@code d·G} affine as a Bouncy Castle point. */
    ECPoint multiplyToPoint(BigInteger d) {
        PointWorkspace w = new PointWorkspace();
        int[] xyz = new int[24];
        multiply(Nat256.fromBigInteger(d), w, xyz, 0);
        int[] xy = new int[16];
        normalizeAll(xyz, 1, xy);
        int[] x = new int[8];
        int[] y = new int[8];
        System.arraycopy(xy, 0, x, 0, 8);
        System.arraycopy(xy, 8, y, 0, 8);
        return P256.DOMAIN.getCurve().createPoint(Nat256.toBigInteger(x), Nat256.toBigInteger(y));
    }
}
