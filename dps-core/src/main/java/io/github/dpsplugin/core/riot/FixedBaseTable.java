package io.github.dpsplugin.core.riot;

import java.math.BigInteger;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * {@code d·G} by a fixed-base window table sized for batches: for each of the 32 bytes of the
 * scalar, the 255 multiples {@code j·256^i·G} in affine form, so that a multiplication is at most
 * 32 mixed additions and no doubling (Bouncy Castle's comb needs 43 doublings and 43 additions).
 * All point arithmetic is Bouncy Castle's (its custom P-256 field); only the scalar's decomposition
 * is chosen here. The table (8 160 points, about 3 MB) is built once, in a few milliseconds, and
 * shared by all threads.
 *
 * <p>Lookups depend on the scalar's bytes, so the timing is not constant: acceptable for a
 * build-time tool computing keys that are, by the device's design, recomputable from the UDS
 * on the build machine anyway; not for a signing service.
 */
final class FixedBaseTable {

    private static final int WINDOWS = 32;
    private static final int DIGITS = 255;

    private final ECCurve curve;
    private final ECPoint[] table;

    FixedBaseTable(ECPoint g) {
        this.curve = g.getCurve();
        ECPoint[] points = new ECPoint[WINDOWS * DIGITS];
        ECPoint base = g.normalize();
        for (int w = 0; w < WINDOWS; w++) {
            ECPoint p = base;
            points[w * DIGITS] = p;
            for (int d = 2; d <= DIGITS; d++) {
                p = p.add(base);
                points[w * DIGITS + d - 1] = p;
            }
            base = p.add(base).normalize(); // 256·base
        }
        curve.normalizeAll(points);
        this.table = points;
    }

    /** {@code d·G} for {@code 0 < d < 2^256}, in projective coordinates. */
    ECPoint multiply(BigInteger d) {
        byte[] k = BigIntegers.asUnsignedByteArray(32, d);
        ECPoint acc = curve.getInfinity();
        for (int w = 0; w < WINDOWS; w++) {
            int digit = k[31 - w] & 0xff;
            if (digit != 0) {
                acc = acc.add(table[w * DIGITS + digit - 1]);
            }
        }
        java.util.Arrays.fill(k, (byte) 0);
        return acc;
    }
}
