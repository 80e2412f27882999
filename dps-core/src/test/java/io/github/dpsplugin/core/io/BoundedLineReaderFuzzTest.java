package io.github.dpsplugin.core.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.fuzz.Fuzz;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property-based fuzzing of the bounded line reader under the devices and UDS files: against a
 * reference split of the same bytes (lines end at LF, a CR before it is dropped, a UTF-8 BOM
 * opens the first line), and with endless input, where it must stop at its bounds.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BoundedLineReaderFuzzTest {

    /** The lines a correct reader returns, or null if one (raw, before CR removal) is too long. */
    static List<String> reference(byte[] b, int maxLine) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= b.length; i++) {
            if (i == b.length || b[i] == '\n') {
                if (i == b.length && i == start) {
                    break;
                }
                if (i - start > maxLine) {
                    return null;
                }
                int from = start;
                int to = i;
                if (out.isEmpty() && to - from >= 3 && (b[from] & 0xff) == 0xEF && (b[from + 1] & 0xff) == 0xBB
                        && (b[from + 2] & 0xff) == 0xBF) {
                    from += 3;
                }
                if (to > from && b[to - 1] == '\r') {
                    to--;
                }
                out.add(new String(b, from, to - from, StandardCharsets.ISO_8859_1));
                start = i + 1;
            }
        }
        return out;
    }

    @Test
    void linesAsSplitByTheReference() {
        Fuzz.check("BoundedLineReader", 20_000, r -> {
            byte[] b = new byte[Fuzz.anyLength(r, 3000)];
            for (int i = 0; i < b.length; i++) {
                int k = r.nextInt(10);
                b[i] = (byte) (k < 2 ? '\n' : k < 3 ? '\r' : k < 4 ? 0xEF : r.nextInt(256));
            }
            if (b.length >= 3 && r.nextInt(4) == 0) {
                b[0] = (byte) 0xEF;
                b[1] = (byte) 0xBB;
                b[2] = (byte) 0xBF;
            }
            return new Object[] {b, 1 + r.nextInt(r.nextBoolean() ? 10 : 300)};
        }, a -> a[1] + " " + Arrays.toString((byte[]) a[0]), a -> {
            byte[] b = (byte[]) a[0];
            int maxLine = (Integer) a[1];
            List<String> expected = reference(b, maxLine);
            List<String> actual = new ArrayList<>();
            try (BoundedLineReader reader = new BoundedLineReader(new ByteArrayInputStream(b), "devicesFile",
                    "f.csv", maxLine, Long.MAX_VALUE, false)) {
                int n;
                while ((n = reader.next()) >= 0) {
                    assertTrue(n <= maxLine);
                    assertEquals(actual.size() + 1, reader.lineNumber());
                    actual.add(reader.line());
                }
            } catch (DpsException e) {
                assertEquals("devicesFile", e.field());
                assertTrue(expected == null, "refused: " + e.getMessage());
                assertTrue(e.getMessage().contains("line longer than " + maxLine), e.getMessage());
                throw e;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            assertEquals(expected, actual);
        });
    }

    /** Endless bytes; counts what was read. */
    static final class Endless extends InputStream {
        final byte[] pattern;
        long served;

        Endless(String s) {
            pattern = s.getBytes(StandardCharsets.ISO_8859_1);
        }

        @Override
        public int read() {
            return pattern[(int) (served++ % pattern.length)] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) {
                b[off + i] = pattern[(int) (served++ % pattern.length)];
            }
            return len;
        }
    }

    @Test
    void endlessInputStopsAtTheBounds() throws IOException {
        Endless line = new Endless("x");
        try (BoundedLineReader reader = new BoundedLineReader(line, "devicesFile", "f.csv", 4096, 1L << 32, true)) {
            DpsException e = assertThrows(DpsException.class, reader::next);
            assertEquals("devicesFile: f.csv:1: line longer than 4096 characters; is this the right file?",
                    e.getMessage());
        }
        assertTrue(line.served <= 4096 + (64 << 10) + 1, "read " + line.served);

        Endless lines = new Endless("line1-device-001,c8:93:46:4a:1b:2c,2.0.0\r\n");
        try (BoundedLineReader reader = new BoundedLineReader(lines, "udsFile", "u.csv", 1024, 8L << 20, false)) {
            DpsException e = assertThrows(DpsException.class, () -> {
                while (reader.next() >= 0) {
                    assertEquals(40, reader.length());
                }
            });
            assertEquals("udsFile: u.csv is larger than 8 MiB", e.getMessage());
        }
        assertTrue(lines.served <= (8L << 20) + (64 << 10) + 1, "read " + lines.served);
        Fuzz.record(String.format(Locale.ROOT, "[fuzz] BoundedLineReader (endless): line refused after %d bytes,"
                + " lines refused after %d bytes", line.served, lines.served));
    }
}
