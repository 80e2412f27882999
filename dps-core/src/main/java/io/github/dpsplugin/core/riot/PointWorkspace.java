package io.github.dpsplugin.core.riot;

import java.util.Arrays;
import org.bouncycastle.math.ec.custom.sec.SecP256R1Field;
import org.bouncycastle.math.raw.Nat256;

/**
 * Scratch space of one multiplication or batch (no allocation in the loop), and the point
 * additions that work in it, on Bouncy Castle's P-256 field arithmetic. Where each formula may
 * be used, and why its exceptional cases never occur there, is {@link FixedBaseTable}'s class
 * comment. Holds secrets after use: {@link #clear()} it.
 */
final class PointWorkspace {

    /** The curve's b, as little-endian 32-bit words. */
    private static final int[] B = Nat256.fromBigInteger(P256.DOMAIN.getCurve().getB().toBigInteger());

    final int[] k = new int[8];
    final int[] nk = new int[8];
    final int[] a = new int[9];
    final int[] x = new int[8];
    final int[] y = new int[8];
    final int[] ny = new int[8];
    final int[] t0 = new int[8];
    final int[] t1 = new int[8];
    final int[] t2 = new int[8];
    final int[] t3 = new int[8];
    final int[] t4 = new int[8];
    final int[] tt = new int[16];
    final int[] tt2 = new int[16];
    final int[] accX = new int[8];
    final int[] accY = new int[8];
    final int[] accZ = new int[8];
    final int[] outX = new int[8];
    final int[] outY = new int[8];
    final int[] outZ = new int[8];

    void clear() {
        for (int[] v : new int[][] {k, nk, a, x, y, ny, t0, t1, t2, t3, t4, tt, tt2, accX, accY, accZ, outX, outY,
            outZ}) {
            Arrays.fill(v, 0);
        }
    }

    /**
     * {@code (X1 : Y1 : Z1) += (x2, y2)} in Jacobian coordinates (x = X/Z², y = Y/Z³), the classic
     * 8M + 3S mixed addition, in place. Not defined when the two points are equal, opposite or the
     * first is infinity; the recoding guarantees none of these (class comment).
     */
    void addJacobianAffine(int[] x1, int[] y1, int[] z1, int[] x2, int[] y2) {
        SecP256R1Field.square(z1, t0, tt);          // Z1²
        SecP256R1Field.multiply(x2, t0, t1, tt);    // U2 = x2·Z1²
        SecP256R1Field.multiply(z1, t0, t2, tt);    // Z1³
        SecP256R1Field.multiply(y2, t2, t2, tt);    // S2 = y2·Z1³
        SecP256R1Field.subtract(t1, x1, t1);        // H = U2 - X1
        SecP256R1Field.subtract(t2, y1, t2);        // r = S2 - Y1
        SecP256R1Field.multiply(z1, t1, z1, tt);    // Z3 = Z1·H
        SecP256R1Field.square(t1, t3, tt);          // H²
        SecP256R1Field.multiply(t1, t3, t4, tt);    // H³
        SecP256R1Field.multiply(x1, t3, t3, tt);    // V = X1·H²
        SecP256R1Field.square(t2, x1, tt);          // r²
        SecP256R1Field.subtract(x1, t4, x1);        // r² - H³
        SecP256R1Field.twice(t3, t0);               // 2V
        SecP256R1Field.subtract(x1, t0, x1);        // X3 = r² - H³ - 2V
        SecP256R1Field.subtract(t3, x1, t3);        // V - X3
        // Y3 = r·(V - X3) - Y1·H³, the two products subtracted before one reduction
        Nat256.mul(t2, t3, tt);
        Nat256.mul(y1, t4, tt2);
        SecP256R1Field.subtractExt(tt, tt2, tt);
        SecP256R1Field.reduce(tt, y1);
    }

    /**
     * {@code (x1, y1) += (x2, y2)}, affine, given {@code 1/(x2 − x1)} (1M + 1S + 1M). Not defined
     * when the points are equal, opposite or infinity; the recoding guarantees none of these.
     */
    void addAffine(int[] x1, int[] y1, int[] x2, int[] y2, int[] dxInverse) {
        SecP256R1Field.subtract(y2, y1, t2);
        SecP256R1Field.multiply(t2, dxInverse, t2, tt);   // λ = (y2 - y1)/(x2 - x1)
        SecP256R1Field.square(t2, t3, tt);
        SecP256R1Field.subtract(t3, x1, t3);
        SecP256R1Field.subtract(t3, x2, t3);             // x3 = λ² - x1 - x2
        SecP256R1Field.subtract(x1, t3, t4);
        SecP256R1Field.multiply(t2, t4, t4, tt);
        SecP256R1Field.subtract(t4, y1, y1);             // y3 = λ(x1 - x3) - y1
        Nat256.copy(t3, x1);
    }

    /**
     * {@code (X3 : Y3 : Z3) = (X1 : Y1 : Z1) + (x2, y2)}: Renes–Costello–Batina 2016, algorithm 5
     * (complete mixed addition, a = −3); 11 multiplications and 2 by b. Outputs must not alias inputs.
     */
    void addMixed(int[] x1, int[] y1, int[] z1, int[] x2, int[] y2, int[] x3, int[] y3, int[] z3) {
        SecP256R1Field.multiply(x1, x2, t0, tt);
        SecP256R1Field.multiply(y1, y2, t1, tt);
        SecP256R1Field.add(x2, y2, t3);
        SecP256R1Field.add(x1, y1, t4);
        SecP256R1Field.multiply(t3, t4, t3, tt);
        SecP256R1Field.add(t0, t1, t4);
        SecP256R1Field.subtract(t3, t4, t3);
        SecP256R1Field.multiply(y2, z1, t4, tt);
        SecP256R1Field.add(t4, y1, t4);
        SecP256R1Field.multiply(x2, z1, y3, tt);
        SecP256R1Field.add(y3, x1, y3);
        SecP256R1Field.multiply(B, z1, z3, tt);
        SecP256R1Field.subtract(y3, z3, x3);
        SecP256R1Field.twice(x3, z3);
        SecP256R1Field.add(x3, z3, x3);
        SecP256R1Field.subtract(t1, x3, z3);
        SecP256R1Field.add(t1, x3, x3);
        SecP256R1Field.multiply(B, y3, y3, tt);
        SecP256R1Field.twice(z1, t1);
        SecP256R1Field.add(t1, z1, t2);
        SecP256R1Field.subtract(y3, t2, y3);
        SecP256R1Field.subtract(y3, t0, y3);
        SecP256R1Field.twice(y3, t1);
        SecP256R1Field.add(t1, y3, y3);
        SecP256R1Field.twice(t0, t1);
        SecP256R1Field.add(t1, t0, t0);
        SecP256R1Field.subtract(t0, t2, t0);
        SecP256R1Field.multiply(t4, y3, t1, tt);
        SecP256R1Field.multiply(t0, y3, t2, tt);
        SecP256R1Field.multiply(x3, z3, y3, tt);
        SecP256R1Field.add(y3, t2, y3);
        SecP256R1Field.multiply(t3, x3, x3, tt);
        SecP256R1Field.subtract(x3, t1, x3);
        SecP256R1Field.multiply(t4, z3, z3, tt);
        SecP256R1Field.multiply(t3, t0, t1, tt);
        SecP256R1Field.add(z3, t1, z3);
    }
}
