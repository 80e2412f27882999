package io.github.dpsplugin.core.dice;

import java.util.Arrays;

/**
 * SHA-256 as the DevKit's DICE layer runs it (spec, section "DH: the DICE hash is a byte-swapped
 * SHA-256").
 *
 * <p>The DICE code's SHA-256 was built for a big-endian target it never told it was not on: on the
 * little-endian Cortex-M4 it loads each 32-bit message word little-endian, appends the bit count
 * little-endian and stores the state words little-endian. The compression function itself is
 * the standard one. {@code MessageDigest} cannot be fed pre-padded blocks, so the compression
 * function is implemented here once, with the word byte order as the only switch; the standard
 * order exists so that tests can prove the compression function against the JDK's SHA-256.
 *
 * <p>Instances are not thread-safe; the static {@link #digest(byte[]...)} is.
 */
public final class DiceSha256 {

    /** The digest length in bytes. */
    public static final int DIGEST_LENGTH = 32;

    private static final int[] K = {
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
    };

    private static final int[] H0 = {
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
    };

    private final boolean littleEndianWords;
    private final int[] state = new int[8];
    private final int[] w = new int[64];
    private final byte[] block = new byte[64];
    private int blockLength;
    private long byteCount;

    private DiceSha256(boolean littleEndianWords) {
        this.littleEndianWords = littleEndianWords;
        reset();
    }

    /** A hasher with the device's byte order: the DICE hash {@code DH}. */
    public static DiceSha256 device() {
        return new DiceSha256(true);
    }

    /** A hasher with the standard (big-endian) byte order; equals SHA-256. For tests. */
    static DiceSha256 standard() {
        return new DiceSha256(false);
    }

    /** {@code DH(parts[0] || parts[1] || ...)}. */
    public static byte[] digest(byte[]... parts) {
        DiceSha256 h = device();
        for (byte[] part : parts) {
            h.update(part, 0, part.length);
        }
        return h.finish();
    }

    public void reset() {
        System.arraycopy(H0, 0, state, 0, 8);
        blockLength = 0;
        byteCount = 0;
        Arrays.fill(block, (byte) 0);
    }

    public void update(byte[] in, int off, int len) {
        byteCount += len;
        while (len > 0) {
            int n = Math.min(len, 64 - blockLength);
            System.arraycopy(in, off, block, blockLength, n);
            blockLength += n;
            off += n;
            len -= n;
            if (blockLength == 64) {
                compress();
                blockLength = 0;
            }
        }
    }

    /** Pads, returns the digest and resets this hasher. */
    public byte[] finish() {
        long bitCount = byteCount << 3;
        block[blockLength++] = (byte) 0x80;
        if (blockLength > 56) {
            Arrays.fill(block, blockLength, 64, (byte) 0);
            compress();
            blockLength = 0;
        }
        Arrays.fill(block, blockLength, 56, (byte) 0);
        // The device writes the 64-bit bit count in its own (little-endian) order.
        for (int i = 0; i < 8; i++) {
            int shift = littleEndianWords ? 8 * i : 8 * (7 - i);
            block[56 + i] = (byte) (bitCount >>> shift);
        }
        compress();
        byte[] out = new byte[DIGEST_LENGTH];
        for (int i = 0; i < 8; i++) {
            putWord(out, 4 * i, state[i]);
        }
        reset();
        return out;
    }

    private int getWord(byte[] b, int off) {
        if (littleEndianWords) {
            return (b[off] & 0xff) | (b[off + 1] & 0xff) << 8 | (b[off + 2] & 0xff) << 16 | (b[off + 3] & 0xff) << 24;
        }
        return (b[off] & 0xff) << 24 | (b[off + 1] & 0xff) << 16 | (b[off + 2] & 0xff) << 8 | (b[off + 3] & 0xff);
    }

    private void putWord(byte[] b, int off, int v) {
        for (int i = 0; i < 4; i++) {
            int shift = littleEndianWords ? 8 * i : 8 * (3 - i);
            b[off + i] = (byte) (v >>> shift);
        }
    }

    /** The standard FIPS 180-4 compression function over one 64-byte block. */
    private void compress() {
        for (int t = 0; t < 16; t++) {
            w[t] = getWord(block, 4 * t);
        }
        for (int t = 16; t < 64; t++) {
            int s0 = Integer.rotateRight(w[t - 15], 7) ^ Integer.rotateRight(w[t - 15], 18) ^ (w[t - 15] >>> 3);
            int s1 = Integer.rotateRight(w[t - 2], 17) ^ Integer.rotateRight(w[t - 2], 19) ^ (w[t - 2] >>> 10);
            w[t] = w[t - 16] + s0 + w[t - 7] + s1;
        }
        int a = state[0], b = state[1], c = state[2], d = state[3];
        int e = state[4], f = state[5], g = state[6], h = state[7];
        for (int t = 0; t < 64; t++) {
            int s1 = Integer.rotateRight(e, 6) ^ Integer.rotateRight(e, 11) ^ Integer.rotateRight(e, 25);
            int ch = (e & f) ^ (~e & g);
            int t1 = h + s1 + ch + K[t] + w[t];
            int s0 = Integer.rotateRight(a, 2) ^ Integer.rotateRight(a, 13) ^ Integer.rotateRight(a, 22);
            int maj = (a & b) ^ (a & c) ^ (b & c);
            int t2 = s0 + maj;
            h = g;
            g = f;
            f = e;
            e = d + t1;
            d = c;
            c = b;
            b = a;
            a = t1 + t2;
        }
        state[0] += a;
        state[1] += b;
        state[2] += c;
        state[3] += d;
        state[4] += e;
        state[5] += f;
        state[6] += g;
        state[7] += h;
        // the message schedule held message (possibly secret) words
        Arrays.fill(w, 0);
    }
}
