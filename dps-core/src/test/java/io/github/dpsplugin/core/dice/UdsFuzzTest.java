package io.github.dpsplugin.core.dice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.fuzz.Fuzz;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property-based fuzzing of {@link Uds#fromHex}: accepted exactly when the input is 64 ASCII hex
 * digits (Unicode digits that {@link Character#digit} would take are not), the bytes are the hex
 * value, the caller's array is left as it was, and a refusal names the field {@code uds} and never
 * repeats the input.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UdsFuzzTest {

    static final Pattern ORACLE = Pattern.compile("[0-9a-fA-F]{64}");
    static final String VALID = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @Test
    void fromHex() {
        Fuzz.check("Uds.fromHex", 100_000, r -> r.nextInt(5) == 0 ? Fuzz.anyString(r, 140)
                : Fuzz.mutate(r, r.nextBoolean() ? VALID : Fuzz.stringOf(r, "0123456789abcdefABCDEF", 64), 3),
                Fuzz::abbreviate, s -> {
                    char[] chars = s.toCharArray();
                    boolean valid = ORACLE.matcher(s).matches();
                    try (Uds uds = Uds.fromHex(chars)) {
                        assertTrue(valid, "accepted a non-UDS");
                        assertArrayEquals(HexFormat.of().parseHex(s.toLowerCase(Locale.ROOT)), uds.copyBytes());
                        assertEquals("Uds[redacted]", uds.toString());
                    } catch (DpsException e) {
                        Fuzz.assertPrintable(e.getMessage());
                        assertFalse(valid, "refused a UDS: " + e.getMessage());
                        assertEquals("uds", e.field());
                        assertTrue(e.getMessage().contains("expected"), e.getMessage());
                        if (s.length() >= 8) {
                            assertFalse(e.getMessage().contains(s), "the message repeats the input");
                        }
                        // the CharSequence variant says the same
                        DpsException same = org.junit.jupiter.api.Assertions.assertThrows(DpsException.class,
                                () -> Uds.fromHex((CharSequence) s));
                        assertEquals(e.getMessage(), same.getMessage());
                        throw e;
                    } finally {
                        assertArrayEquals(s.toCharArray(), chars, "fromHex changed the caller's array");
                    }
                });
    }
}
