package io.github.dpsplugin.core.dice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.junit.jupiter.api.Test;

/**
 * The DICE hash: its compression function is proven against the JDK's SHA-256 (standard byte
 * order), and the device byte order against known answers and an independent construction on
 * Bouncy Castle's SHA-256 engine.
 */
class DiceSha256Test {

    private static final HexFormat HEX = HexFormat.of();

    private static byte[] pseudoRandom(long seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] jdkSha256(byte[] m) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(m);
    }

    private static byte[] standard(byte[] m) {
        DiceSha256 h = DiceSha256.standard();
        h.update(m, 0, m.length);
        return h.finish();
    }

    private static byte[] device(byte[] m) {
        DiceSha256 h = DiceSha256.device();
        h.update(m, 0, m.length);
        return h.finish();
    }

    @Test
    void standardOrderEqualsJdkSha256ForLengths0To300() throws Exception {
        for (int len = 0; len <= 300; len++) {
            byte[] m = pseudoRandom(0x5eed0000L + len, len);
            assertArrayEquals(jdkSha256(m), standard(m), "length " + len);
        }
    }

    @Test
    void standardOrderEqualsJdkSha256AroundPaddingEdges() throws Exception {
        // the one- and two-block padding boundaries, explicitly, with all-0xff content as well
        for (int len : new int[] {55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129}) {
            byte[] m = new byte[len];
            java.util.Arrays.fill(m, (byte) 0xff);
            assertArrayEquals(jdkSha256(m), standard(m), "0xff * " + len);
        }
    }

    @Test
    void chunkedUpdatesEqualOneUpdate() throws Exception {
        Random rnd = new Random(42);
        for (int round = 0; round < 200; round++) {
            int len = rnd.nextInt(400);
            byte[] m = pseudoRandom(round, len);
            DiceSha256 std = DiceSha256.standard();
            DiceSha256 dev = DiceSha256.device();
            int off = 0;
            while (off < len) {
                int n = Math.min(len - off, rnd.nextInt(70)); // 0-length chunks included
                std.update(m, off, n);
                dev.update(m, off, n);
                off += n;
            }
            assertArrayEquals(jdkSha256(m), std.finish(), "standard, chunked, length " + len);
            assertArrayEquals(device(m), dev.finish(), "device, chunked, length " + len);
        }
    }

    @Test
    void updateHonoursOffsetAndLength() throws Exception {
        byte[] m = pseudoRandom(7, 200);
        byte[] padded = new byte[m.length + 37];
        System.arraycopy(m, 0, padded, 13, m.length);
        DiceSha256 h = DiceSha256.standard();
        h.update(padded, 13, m.length);
        assertArrayEquals(jdkSha256(m), h.finish());
    }

    @Test
    void finishResetsTheHasher() throws Exception {
        DiceSha256 h = DiceSha256.standard();
        byte[] a = "first message".getBytes(StandardCharsets.US_ASCII);
        h.update(a, 0, a.length);
        h.finish();
        byte[] b = "abc".getBytes(StandardCharsets.US_ASCII);
        h.update(b, 0, b.length);
        assertArrayEquals(jdkSha256(b), h.finish());
    }

    @Test
    void deviceKnownAnswers() throws Exception {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        assertEquals("bb392cd2622eecbce49cd242285d0009ef70eae1a3e43e5ec8eae7c779b9f600",
                HEX.formatHex(DiceSha256.digest(abc)));
        String empty = HEX.formatHex(DiceSha256.digest(new byte[0]));
        assertTrue(empty.startsWith("08c5a54e"), empty);
        assertTrue(empty.endsWith("d265"), empty);
        // not the standard SHA-256 (ba7816bf...)
        assertNotEquals(HEX.formatHex(jdkSha256(abc)), HEX.formatHex(DiceSha256.digest(abc)));
    }

    @Test
    void staticDigestConcatenatesParts() {
        byte[] m = pseudoRandom(99, 150);
        byte[] a = java.util.Arrays.copyOfRange(m, 0, 31);
        byte[] b = java.util.Arrays.copyOfRange(m, 31, 31);
        byte[] c = java.util.Arrays.copyOfRange(m, 31, 150);
        assertArrayEquals(device(m), DiceSha256.digest(a, b, c));
    }

    /**
     * Bouncy Castle's SHA-256 engine with its own padding switched off: {@code doFinal} then
     * returns the raw chaining state (big-endian words) after the full blocks fed so far.
     */
    private static final class RawSha256Blocks extends SHA256Digest {
        @Override
        public void finish() {
            // no padding: the caller feeds whole, already padded 64-byte blocks
        }
    }

    /**
     * The device rule written out independently of the main code: pad with 0x80, zeros and the
     * bit count little-endian; load words little-endian (= byte-swap every word, then run the
     * standard compression, here Bouncy Castle's); store state words little-endian.
     */
    private static byte[] deviceRuleOnBouncyCastle(byte[] m) {
        int paddedLength = ((m.length + 8) / 64 + 1) * 64;
        byte[] p = new byte[paddedLength];
        System.arraycopy(m, 0, p, 0, m.length);
        p[m.length] = (byte) 0x80;
        long bits = (long) m.length * 8;
        for (int i = 0; i < 8; i++) {
            p[paddedLength - 8 + i] = (byte) (bits >>> (8 * i)); // little-endian bit count
        }
        swapWords(p);
        RawSha256Blocks engine = new RawSha256Blocks();
        engine.update(p, 0, p.length);
        byte[] state = new byte[32];
        engine.doFinal(state, 0); // big-endian state words
        swapWords(state); // -> little-endian state words
        return state;
    }

    private static void swapWords(byte[] b) {
        for (int i = 0; i < b.length; i += 4) {
            byte t0 = b[i];
            byte t1 = b[i + 1];
            b[i] = b[i + 3];
            b[i + 1] = b[i + 2];
            b[i + 2] = t1;
            b[i + 3] = t0;
        }
    }

    @Test
    void independentConstructionReproducesTheKnownAnswer() {
        assertEquals("bb392cd2622eecbce49cd242285d0009ef70eae1a3e43e5ec8eae7c779b9f600",
                HEX.formatHex(deviceRuleOnBouncyCastle("abc".getBytes(StandardCharsets.US_ASCII))));
    }

    @Test
    void deviceOrderEqualsIndependentConstruction() {
        for (int len = 0; len <= 300; len++) {
            byte[] m = pseudoRandom(0xd1ce0000L + len, len);
            assertArrayEquals(deviceRuleOnBouncyCastle(m), device(m), "length " + len);
        }
    }
}
