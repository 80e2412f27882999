package io.github.dpsplugin.core.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.dice.UdsSource;
import io.github.dpsplugin.core.fuzz.Fuzz;
import io.github.dpsplugin.core.id.RegistrationId;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property-based fuzzing of the fleet files: the devices file (CSV with a header, quoting, BOM,
 * CRLF, comments) and the secret UDS file. Only {@link DpsException} may escape, naming the right
 * field and, for a device, its line; what the UDS file gets wrong never shows any of its content.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BatchFilesFuzzTest {

    static final Set<String> DEVICE_FIELDS = Set.of("devicesFile", "registrationId", "macAddress", "firmwareVersion",
            "udsFile");
    static final Pattern LINE_LABEL = Pattern.compile("devices\\.csv:(\\d+)");
    static final UdsSource SOURCE = () -> Uds.fromBytes(new byte[Uds.LENGTH]);
    static final String[] COLUMNS = {"registrationId", "macAddress", "firmwareVersion"};

    // ---- the devices file ----

    /** A value for {@code column}: valid most of the time when {@code clean}, often broken otherwise. */
    static String field(SplittableRandom r, String column, boolean clean) {
        if (clean) {
            switch (column) {
                case "registrationId": return r.nextInt(3) == 0 ? "" : "line1-device-" + r.nextInt(1_000_000);
                case "macAddress": return r.nextInt(3) == 0 ? "" : String.format(Locale.ROOT, "c8:93:46:%02x:%02x:%02x",
                        r.nextInt(256), r.nextInt(256), r.nextInt(256));
                default: return r.nextBoolean() ? "" : r.nextInt(20) + "." + r.nextInt(20) + "." + r.nextInt(20);
            }
        }
        switch (column) {
            case "registrationId":
                return r.nextInt(3) == 0 ? "" : r.nextInt(4) == 0 ? Fuzz.anyString(r, 140)
                        : Fuzz.mutate(r, Fuzz.oneOf(r, "line1-device-001", "devkit-test-01", "a", "x".repeat(126)), 2);
            case "macAddress":
                return r.nextInt(3) == 0 ? "" : Fuzz.mutate(r, Fuzz.oneOf(r, "C8:93:46:4A:1B:2C", "c893464a1b2c",
                        "c8-93-46-4a-1b-2c"), 2);
            case "firmwareVersion":
                return r.nextInt(3) == 0 ? "" : Fuzz.mutate(r, Fuzz.oneOf(r, "2.0.0", "10.0.12"), 2);
            default:
                return Fuzz.anyString(r, 20);
        }
    }

    static String quoteMaybe(SplittableRandom r, String v) {
        return r.nextInt(6) == 0 ? "\"" + v.replace("\"", "\"\"") + (r.nextInt(10) == 0 ? "" : "\"") : v;
    }

    static byte[] devicesFile(SplittableRandom r) {
        if (r.nextInt(20) == 0) {
            byte[] b = new byte[Fuzz.anyLength(r, 2000)];
            r.nextBytes(b);
            return b;
        }
        boolean clean = r.nextInt(3) > 0;
        List<String> header = new ArrayList<>();
        for (String c : COLUMNS) {
            if (r.nextBoolean()) {
                header.add(c);
            }
        }
        if (header.isEmpty() || (!clean && r.nextInt(5) == 0)) {
            header.add(Fuzz.oneOf(r, "registrationId", "uds", "macaddress", " macAddress ", ""));
        }
        if (clean && !header.contains("registrationId") && !header.contains("macAddress")) {
            header.add("registrationId");
        }
        java.util.Collections.shuffle(header, new java.util.Random(r.nextLong()));
        String eol = r.nextInt(50) == 0 ? "\r" : Fuzz.oneOf(r, "\n", "\r\n");
        StringBuilder sb = new StringBuilder(r.nextInt(4) == 0 ? "\uFEFF" : "");
        if (r.nextInt(4) == 0) {
            sb.append("# a fleet").append(eol);
        }
        sb.append(String.join(",", header)).append(eol);
        int rows = r.nextInt(30);
        for (int i = 0; i < rows; i++) {
            switch (r.nextInt(12)) {
                case 0: sb.append(eol); break;
                case 1: sb.append("  # comment ").append(Fuzz.anyString(r, 30).replace('\n', ' ')).append(eol); break;
                case 2:
                    if (!clean) {
                        sb.append(Fuzz.anyString(r, 80)).append(eol);
                        break;
                    }
                    // fall through
                default:
                    List<String> fields = new ArrayList<>();
                    // a clean row gives exactly one of registrationId and macAddress
                    String which = header.contains("registrationId") && (!header.contains("macAddress") || r.nextBoolean())
                            ? "registrationId" : "macAddress";
                    for (String c : header) {
                        if (clean) {
                            String v = field(r, c, true);
                            while (c.equals(which) && v.isEmpty()) {
                                v = field(r, c, true);
                            }
                            fields.add(c.equals(which) || c.equals("firmwareVersion") ? v : "");
                        } else {
                            fields.add(quoteMaybe(r, field(r, c, false)));
                        }
                    }
                    if (!clean && r.nextInt(10) == 0) {
                        fields.add("");
                    } else if (!clean && r.nextInt(10) == 0 && !fields.isEmpty()) {
                        fields.remove(0);
                    }
                    sb.append(String.join(",", fields)).append(eol);
                    break;
            }
        }
        if (r.nextBoolean() && sb.length() > 0) {
            sb.setLength(sb.length() - eol.length());
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void devicesFile() {
        Fuzz.check("DevicesFile", 20_000, BatchFilesFuzzTest::devicesFile,
                b -> Fuzz.abbreviate(new String(b, StandardCharsets.UTF_8)), bytes -> {
                    int lines = 1;
                    for (byte b : bytes) {
                        lines += b == '\n' ? 1 : 0;
                    }
                    // one registration ID in 50 has no UDS
                    DevicesFile f = null;
                    try {
                        f = DevicesFile.open(new ByteArrayInputStream(bytes), "/fleet/devices.csv", "devices.csv",
                                "2.0.0", id -> Math.floorMod(id.hashCode(), 50) == 0 ? null : SOURCE);
                        while (f.hasNext()) {
                            DeviceSpec d = f.next();
                            String id = d.registrationId().value();
                            assertEquals(id, RegistrationId.of(id).value());
                            assertTrue(d.label().startsWith("'" + id + "' (devices.csv:"), d.label());
                            assertNotNull(d.udsSource());
                        }
                    } catch (DpsException e) {
                        Fuzz.assertPrintable(e.getMessage());
                        assertTrue(DEVICE_FIELDS.contains(e.field()), e.getMessage());
                        if (e.device() != null) {
                            Matcher m = LINE_LABEL.matcher(e.device());
                            assertTrue(m.find(), "a device error names its line: " + e.getMessage());
                            assertTrue(Integer.parseInt(m.group(1)) <= lines, e.getMessage());
                            assertTrue(e.getMessage().startsWith("device " + e.device() + ": " + e.field() + ": "),
                                    e.getMessage());
                        } else {
                            assertTrue(e.getMessage().startsWith("devicesFile: "), e.getMessage());
                        }
                        throw e;
                    } finally {
                        if (f != null) {
                            f.close();
                        }
                    }
                });
    }

    // ---- the UDS file ----

    /** A UDS file and what a correct reader finds in it (null when the generator broke it). */
    static final class UdsText {
        final String text;
        final Map<String, String> expected;
        final List<String> secrets;

        UdsText(String text, Map<String, String> expected, List<String> secrets) {
            this.text = text;
            this.expected = expected;
            this.secrets = secrets;
        }
    }

    static UdsText udsFile(SplittableRandom r) {
        Map<String, String> expected = new LinkedHashMap<>();
        List<String> secrets = new ArrayList<>();
        boolean broken = false;
        boolean clean = r.nextBoolean();
        String eol = Fuzz.oneOf(r, "\n", "\r\n");
        StringBuilder sb = new StringBuilder();
        if (r.nextBoolean()) {
            sb.append("registrationId,uds").append(eol);
        }
        int n = r.nextInt(25);
        for (int i = 0; i < n; i++) {
            String id = "secret-id-" + Fuzz.stringOf(r, "0123456789abcdef", 6);
            String uds = Fuzz.stringOf(r, "0123456789abcdefABCDEF", 64);
            secrets.add(uds);
            switch (clean ? 4 + r.nextInt(10) : r.nextInt(14)) {
                case 0: sb.append(uds).append(',').append(id); broken = true; break;
                case 1: sb.append(id).append(uds); broken = true; break;
                case 2: sb.append(id).append(',').append(Fuzz.mutate(r, uds, 3)); broken = true; break;
                case 3: sb.append(Fuzz.anyString(r, 100)); broken = true; break;
                case 4: sb.append("# ").append(id).append(',').append(uds); break;
                case 5: sb.append("   "); break;
                case 6:
                    if (!clean && !expected.isEmpty()) {
                        sb.append(expected.keySet().iterator().next()).append(',').append(uds);
                        broken = true;
                        break;
                    }
                    // fall through
                default:
                    sb.append(r.nextBoolean() ? " " : "").append(id).append(r.nextBoolean() ? " , " : ",").append(uds)
                            .append(r.nextBoolean() ? "\t" : "");
                    if (expected.containsKey(id)) {
                        broken = true;
                    }
                    expected.put(id, uds);
                    break;
            }
            sb.append(eol);
        }
        return new UdsText(sb.toString(), broken ? null : expected, secrets);
    }

    @Test
    void udsFile() {
        Fuzz.check("UdsFile", 20_000, BatchFilesFuzzTest::udsFile, u -> Fuzz.abbreviate(u.text), u -> {
            try (UdsFile f = UdsFile.parse(new ByteArrayInputStream(u.text.getBytes(StandardCharsets.UTF_8)),
                    "uds.csv")) {
                if (u.expected != null) {
                    assertEquals(u.expected.size(), f.size());
                    for (Map.Entry<String, String> e : u.expected.entrySet()) {
                        try (Uds uds = f.lookup(e.getKey()).open()) {
                            assertArrayEquals(HexFormat.of().parseHex(e.getValue().toLowerCase(Locale.ROOT)),
                                    uds.copyBytes());
                        }
                    }
                }
            } catch (DpsException e) {
                Fuzz.assertPrintable(e.getMessage());
                assertEquals("udsFile", e.field(), e.getMessage());
                assertTrue(e.getMessage().startsWith("udsFile: uds.csv:"), e.getMessage());
                assertFalse(e.getMessage().contains("secret-id-"), "an ID of the UDS file in: " + e.getMessage());
                String lower = e.getMessage().toLowerCase(Locale.ROOT);
                for (String s : u.secrets) {
                    for (int i = 0; i + 16 <= s.length(); i++) {
                        assertFalse(lower.contains(s.substring(i, i + 16).toLowerCase(Locale.ROOT)),
                                "16 characters of a UDS in the message");
                    }
                }
                assertTrue(u.expected == null, "refused a good file: " + e.getMessage());
                throw e;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
