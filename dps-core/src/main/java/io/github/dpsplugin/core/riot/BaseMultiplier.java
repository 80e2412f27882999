package io.github.dpsplugin.core.riot;

import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.math.raw.Nat256;

/**
 * How public keys {@code d·G} are computed. Both give the same points and read the whole of
 * their precomputed tables at every lookup; they differ in cost and in whose point formulas run.
 */
public enum BaseMultiplier {

    /**
     * Bouncy Castle's fixed-point comb multiplier (its {@code ECLookupTable} reads every entry);
     * the reference the table is checked against.
     */
    COMB {
        @Override
        ECPoint multiply(BigInteger d) {
            return new FixedPointCombMultiplier().multiply(P256.DOMAIN.getG(), d);
        }

        @Override
        byte[][] publicKeys(int[][] scalars) {
            ECPoint[] points = new ECPoint[scalars.length];
            for (int i = 0; i < scalars.length; i++) {
                points[i] = multiply(Nat256.toBigInteger(scalars[i]));
            }
            P256.DOMAIN.getCurve().normalizeAll(points);
            byte[][] encoded = new byte[scalars.length][];
            for (int i = 0; i < scalars.length; i++) {
                encoded[i] = P256.encodeUncompressed(points[i]);
            }
            return encoded;
        }
    },

    /**
     * Our constant-time signed-window table on Bouncy Castle's raw field arithmetic
     * ({@link FixedBaseTable}): built once per JVM in a few milliseconds, several times faster
     * than the comb per key, allocation-free per point.
     */
    TABLE {
        @Override
        ECPoint multiply(BigInteger d) {
            return Table.INSTANCE.multiplyToPoint(d);
        }

        @Override
        byte[][] publicKeys(int[][] scalars) {
            PointWorkspace w = new PointWorkspace();
            int[] xyz = new int[24 * scalars.length];
            try {
                if (scalars.length >= FixedBaseTable.AFFINE_BATCH) {
                    Table.INSTANCE.multiplyAll(scalars, w, xyz);
                } else {
                    for (int i = 0; i < scalars.length; i++) {
                        Table.INSTANCE.multiply(scalars[i], w, xyz, 24 * i);
                    }
                }
            } finally {
                w.clear();
            }
            int[] xy = new int[16 * scalars.length];
            FixedBaseTable.normalizeAll(xyz, scalars.length, xy);
            Arrays.fill(xyz, 0);
            byte[][] encoded = new byte[scalars.length][];
            for (int i = 0; i < scalars.length; i++) {
                encoded[i] = encodeUncompressed(xy, 16 * i);
            }
            return encoded;
        }
    };

    /** {@code d·G}, in projective coordinates (for tests and benchmarks). */
    abstract ECPoint multiply(BigInteger d);

    /** {@code 04 || X || Y} of {@code d·G} for each scalar (8 little-endian words, in [1, n-1]). */
    abstract byte[][] publicKeys(int[][] scalars);

    /** Builds the shared table now rather than on first use (for benchmarks: time the first call). */
    public static void prepareTable() {
        Table.INSTANCE.windows();
    }

    /** SEC 1 uncompressed encoding of the affine point {@code xy[off .. off+16)} (x then y, little-endian words). */
    static byte[] encodeUncompressed(int[] xy, int off) {
        byte[] out = new byte[65];
        out[0] = 4;
        for (int c = 0; c < 2; c++) {
            for (int i = 0; i < 8; i++) {
                int word = xy[off + 8 * c + 7 - i];
                int at = 1 + 32 * c + 4 * i;
                out[at] = (byte) (word >>> 24);
                out[at + 1] = (byte) (word >>> 16);
                out[at + 2] = (byte) (word >>> 8);
                out[at + 3] = (byte) word;
            }
        }
        return out;
    }

    /** Built on first use. */
    private static final class Table {
        static final FixedBaseTable INSTANCE = new FixedBaseTable(P256.DOMAIN.getG());
    }
}
