package io.github.dpsplugin.core.dice;

import io.github.dpsplugin.core.common.DpsException;
import java.util.Arrays;

/**
 * The Unique Device Secret: 32 bytes, written as 64 hexadecimal characters in either case.
 *
 * <p>A secret. {@link #toString()} never shows it, validation messages describe the input's
 * shape (length, position of a bad character) and never its characters, and {@link #close()}
 * overwrites the bytes. Use it in try-with-resources and clear the caller's own {@code char[]}
 * too. Not thread-safe once closed concurrently; share it read-only or not at all.
 */
public final class Uds implements AutoCloseable {

    /** UDS length in bytes. */
    public static final int LENGTH = 32;

    private static final String FIELD = "uds";

    private final byte[] bytes;
    private volatile boolean cleared;

    private Uds(byte[] bytes) {
        this.bytes = bytes;
    }

    /**
     * Parses 64 hexadecimal characters. The caller keeps ownership of {@code hex} and should clear it.
     *
     * @throws DpsException (field {@code uds}) describing what is wrong, never the value
     */
    public static Uds fromHex(char[] hex) {
        if (hex != null && hex.length == 2 * LENGTH) {
            // the usual case, decoded without a branch or a table lookup on the secret characters;
            // only whether all 64 were hex digits is branched on (the checks below then say why not)
            byte[] b = new byte[LENGTH];
            int bad = 0;
            for (int i = 0; i < LENGTH; i++) {
                int hi = hexValue(hex[2 * i]);
                int lo = hexValue(hex[2 * i + 1]);
                bad |= hi | lo;
                b[i] = (byte) (hi << 4 | lo);
            }
            if (bad >= 0) {
                return new Uds(b);
            }
            Arrays.fill(b, (byte) 0);
        }
        if (hex == null || hex.length == 0) {
            throw new DpsException(FIELD, "is empty; expected 64 hexadecimal characters (32 bytes)");
        }
        if (hex.length >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X')) {
            throw new DpsException(FIELD, "starts with a 0x prefix; expected exactly 64 hexadecimal"
                    + " characters (32 bytes) without prefix");
        }
        for (int i = 0; i < hex.length; i++) {
            char c = hex[i];
            if (Character.isWhitespace(c) || c == ':' || c == '-') {
                throw new DpsException(FIELD, "contains whitespace or a separator at position " + (i + 1)
                        + "; expected exactly 64 hexadecimal characters (32 bytes) with no separators");
            }
            if (Character.digit(c, 16) < 0 || c > 0x7f) {
                throw new DpsException(FIELD, "character at position " + (i + 1) + " is not a hexadecimal"
                        + " digit; expected exactly 64 characters 0-9, a-f or A-F (32 bytes)");
            }
        }
        if (hex.length != 2 * LENGTH) {
            throw new DpsException(FIELD, "has " + hex.length + " characters; expected exactly 64"
                    + " hexadecimal characters (32 bytes)");
        }
        byte[] b = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            b[i] = (byte) (Character.digit(hex[2 * i], 16) << 4 | Character.digit(hex[2 * i + 1], 16));
        }
        return new Uds(b);
    }

    /**
     * The value of the ASCII hex digit {@code c} (0-9, a-f, A-F), or -1 for any other character,
     * computed with masks: no branch and no table indexed by {@code c}.
     */
    static int hexValue(char c) {
        int x = c;
        int digit = inRange(x, '0', '9');
        int lower = inRange(x, 'a', 'f');
        int upper = inRange(x, 'A', 'F');
        int value = (digit & (x - '0')) | (lower & (x - 'a' + 10)) | (upper & (x - 'A' + 10));
        return value | ~(digit | lower | upper);
    }

    /** -1 when {@code lo <= x <= hi}, else 0 (for 0 <= x <= 0xffff). */
    private static int inRange(int x, int lo, int hi) {
        return ((lo - 1 - x) & (x - hi - 1)) >> 31;
    }

    /** Parses a UDS held in a {@link CharSequence} (e.g. a settings password). Prefer {@link #fromHex(char[])}. */
    public static Uds fromHex(CharSequence hex) {
        if (hex == null) {
            return fromHex((char[]) null);
        }
        char[] chars = new char[hex.length()];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = hex.charAt(i);
        }
        try {
            return fromHex(chars);
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    /** Wraps 32 raw bytes (copied; the caller should clear its array). */
    public static Uds fromBytes(byte[] raw) {
        if (raw == null || raw.length != LENGTH) {
            throw new DpsException(FIELD, "has " + (raw == null ? 0 : raw.length) + " bytes; expected 32");
        }
        return new Uds(raw.clone());
    }

    /** A copy of the secret bytes, for holders that clear it themselves (e.g. a UDS file). */
    public byte[] copyBytes() {
        if (cleared) {
            throw new IllegalStateException("UDS was cleared");
        }
        return bytes.clone();
    }

    /** {@code DH(UDS)}, the first input of the CDI (spec, step 2). */
    byte[] diceDigest() {
        if (cleared) {
            throw new IllegalStateException("UDS was cleared");
        }
        return DiceSha256.digest(bytes);
    }

    /** Overwrites the secret bytes; the instance is unusable afterwards. */
    @Override
    public void close() {
        cleared = true;
        Arrays.fill(bytes, (byte) 0);
    }

    @Override
    public String toString() {
        return "Uds[redacted]";
    }
}
