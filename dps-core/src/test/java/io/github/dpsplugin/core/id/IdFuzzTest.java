package io.github.dpsplugin.core.id;

import static io.github.dpsplugin.core.fuzz.Fuzz.anyString;
import static io.github.dpsplugin.core.fuzz.Fuzz.mutate;
import static io.github.dpsplugin.core.fuzz.Fuzz.oneOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.fuzz.Fuzz;
import io.github.dpsplugin.core.output.Shard;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property-based fuzzing of the value types users write: MAC address, firmware version,
 * registration ID and shard. Inputs are mutations of valid values and random strings rich in
 * separators, Unicode digits and white space, surrogates and controls. Only {@link DpsException}
 * naming the right field may escape; what is accepted is checked against an independent oracle.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class IdFuzzTest {

    static final int TRIES = 100_000;

    /** The four spellings the spec allows, ASCII hex only (Java's [0-9A-Fa-f] is ASCII). */
    static final Pattern MAC_ORACLE = Pattern.compile("[0-9A-Fa-f]{12}|[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){5}"
            + "|[0-9A-Fa-f]{2}(-[0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{4}(\\.[0-9A-Fa-f]{4}){2}");
    static final Pattern VERSION_ORACLE = Pattern.compile("[0-9]+\\.[0-9]+\\.[0-9]+");
    static final Pattern ID_ORACLE = Pattern.compile("[a-z0-9]|[a-z0-9][a-z0-9._:-]{0,124}[a-z0-9]");
    static final Pattern SHARD_ORACLE = Pattern.compile("[ \\t\\n\\x0B\\f\\r]*([0-9]{1,9})[ \\t\\n\\x0B\\f\\r]*/"
            + "[ \\t\\n\\x0B\\f\\r]*([0-9]{1,9})[ \\t\\n\\x0B\\f\\r]*");

    static Function<SplittableRandom, String> around(String... valid) {
        return r -> r.nextInt(4) == 0 ? anyString(r, 140) : mutate(r, oneOf(r, valid), 4);
    }

    static void rejectedFor(String field, Runnable parse) {
        try {
            parse.run();
        } catch (DpsException e) {
            Fuzz.assertPrintable(e.getMessage());
            assertEquals(field, e.field(), e.getMessage());
            assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("expected") || e.getMessage().contains("allowed")
                    || e.getMessage().contains("cannot"), "says what is expected: " + e.getMessage());
            throw e;
        }
    }

    @Test
    void macAddress() {
        Fuzz.check("MacAddress.parse", TRIES,
                around("C8:93:46:4A:1B:2C", "c8-93-46-4a-1b-2c", "c893464a1b2c", "c893.464a.1b2c", "a0:b1-c2:d3-e4:f5"),
                Fuzz::abbreviate, s -> rejectedFor("macAddress", () -> {
                    MacAddress mac = MacAddress.parse(s);
                    String t = s.strip();
                    assertTrue(MAC_ORACLE.matcher(t).matches(), "accepted a non-MAC");
                    assertEquals(t.replaceAll("[:.-]", "").toLowerCase(Locale.ROOT), mac.value());
                    assertEquals(mac, MacAddress.parse(mac.toString()));
                }));
        // and the oracle's side: everything it takes is accepted
        Fuzz.check("MacAddress.parse (valid)", 2_000, r -> {
            String hex = Fuzz.stringOf(r, "0123456789abcdefABCDEF", 12);
            switch (r.nextInt(4)) {
                case 0: return hex;
                case 1: return hex.replaceAll("(..)(?!$)", "$1:");
                case 2: return hex.replaceAll("(..)(?!$)", "$1-");
                default: return hex.replaceAll("(....)(?!$)", "$1.");
            }
        }, Fuzz::abbreviate, s -> assertEquals(12, MacAddress.parse(s).value().length()));
    }

    @Test
    void firmwareVersion() {
        Fuzz.check("FirmwareVersion.parse", TRIES, around("2.0.0", "10.0.12", "1.3.7", "0.0.0"), Fuzz::abbreviate,
                s -> rejectedFor("firmwareVersion", () -> {
                    FirmwareVersion v = FirmwareVersion.parse(s);
                    assertTrue(VERSION_ORACLE.matcher(v.value()).matches(), "accepted " + v);
                    assertEquals(s.strip(), v.value());
                }));
    }

    @Test
    void registrationId() {
        Fuzz.check("RegistrationId.of", TRIES, around("devkit-test-01", "az-c893464a1b2cv2v0v0", "a",
                "devkit-" + "x".repeat(119), "line.1_dev:01"), Fuzz::abbreviate, s -> {
                    boolean expected = ID_ORACLE.matcher(s).matches();
                    try {
                        assertEquals(s, RegistrationId.of(s).value());
                        assertTrue(expected, "accepted an ID DPS or the device refuses");
                    } catch (DpsException e) {
                        assertTrue(!expected, "refused a valid ID: " + e.getMessage());
                        rejectedFor("registrationId", () -> {
                            throw e;
                        });
                    }
                });
    }

    @Test
    void derivedRegistrationId() {
        Fuzz.check("RegistrationId.derive", 5_000, r -> new String[] {
            Fuzz.stringOf(r, "0123456789abcdef", 12),
            r.nextInt(1000) + "." + r.nextInt(1000) + "." + (r.nextBoolean() ? r.nextInt(1000) : Math.abs(r.nextLong()))},
                a -> a[0] + " " + a[1], a -> rejectedFor("firmwareVersion", () -> {
                    RegistrationId id = RegistrationId.derive(MacAddress.parse(a[0]), FirmwareVersion.parse(a[1]));
                    assertTrue(id.value().length() <= RegistrationId.DERIVED_MAX, id.value());
                    assertEquals("az-" + a[0] + "v" + a[1].replace('.', 'v'), id.value());
                }));
    }

    @Test
    void shard() {
        Fuzz.check("Shard.parse", TRIES, around("1/4", "2/2", " 3 / 10 ", "0/2", "999999999/999999999"),
                Fuzz::abbreviate, s -> rejectedFor("shard", () -> {
                    Shard shard = Shard.parse(s);
                    var m = SHARD_ORACLE.matcher(s);
                    assertTrue(m.matches(), "accepted " + shard);
                    assertEquals(Integer.parseInt(m.group(1)) + "/" + Integer.parseInt(m.group(2)), shard.toString());
                    assertTrue(1 <= shard.index() && shard.index() <= shard.count(), shard.toString());
                    assertEquals(shard.toString(), Shard.parse(shard.toString()).toString());
                }));
        // the shards of a fleet cover every position exactly once
        Fuzz.check("Shard.includes partition", 2_000, r -> new long[] {1 + r.nextInt(50), r.nextLong(Long.MAX_VALUE)},
                a -> a[0] + " shards, position " + a[1], a -> {
                    int hits = 0;
                    for (int i = 1; i <= a[0]; i++) {
                        hits += Shard.of(i, (int) a[0]).includes(a[1]) ? 1 : 0;
                    }
                    assertEquals(1, hits);
                });
    }

    @Test
    void nullInputsAreRejectedWithTheField() {
        assertEquals("macAddress", org.junit.jupiter.api.Assertions.assertThrows(DpsException.class,
                () -> MacAddress.parse(null)).field());
        assertEquals("firmwareVersion", org.junit.jupiter.api.Assertions.assertThrows(DpsException.class,
                () -> FirmwareVersion.parse(null)).field());
        assertEquals("registrationId", org.junit.jupiter.api.Assertions.assertThrows(DpsException.class,
                () -> RegistrationId.of(null)).field());
        assertEquals("shard", org.junit.jupiter.api.Assertions.assertThrows(DpsException.class,
                () -> Shard.parse(null)).field());
    }
}
