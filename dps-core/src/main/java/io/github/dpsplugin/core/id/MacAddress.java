package io.github.dpsplugin.core.id;

import io.github.dpsplugin.core.common.DpsException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A Wi-Fi MAC address, normalised to 12 lower-case hex digits without separators as the DevKit
 * writes it into its registration ID (spec, "Registration ID").
 *
 * <p>Accepts {@code c893464a1b2c}, {@code C8:93:46:4A:1B:2C}, {@code c8-93-46-4a-1b-2c} and
 * {@code c893.464a.1b2c}, in either case; rejects anything else (mixed separators included)
 * rather than guess.
 */
public final class MacAddress {

    private static final String FIELD = "macAddress";
    private static final String HEX2 = "[0-9A-Fa-f]{2}";
    private static final Pattern PLAIN = Pattern.compile("[0-9A-Fa-f]{12}");
    private static final Pattern COLONS = Pattern.compile(HEX2 + "(:" + HEX2 + "){5}");
    private static final Pattern DASHES = Pattern.compile(HEX2 + "(-" + HEX2 + "){5}");
    private static final Pattern DOTS = Pattern.compile("[0-9A-Fa-f]{4}(\\.[0-9A-Fa-f]{4}){2}");

    private final String value;

    private MacAddress(String value) {
        this.value = value;
    }

    public static MacAddress parse(String text) {
        if (text == null || text.isBlank()) {
            throw new DpsException(FIELD, "is empty; expected 6 bytes in hex such as C8:93:46:4A:1B:2C,"
                    + " c8-93-46-4a-1b-2c or c893464a1b2c");
        }
        String t = text.strip();
        if (isPlainLowerCase(t)) {
            return new MacAddress(t); // a devices file's usual form, once per device: no pattern to run
        }
        if (PLAIN.matcher(t).matches() || COLONS.matcher(t).matches() || DASHES.matcher(t).matches()
                || DOTS.matcher(t).matches()) {
            StringBuilder hex = new StringBuilder(12);
            for (int i = 0; i < t.length(); i++) {
                char c = t.charAt(i);
                if (c != ':' && c != '-' && c != '.') {
                    hex.append(c);
                }
            }
            return new MacAddress(hex.toString().toLowerCase(Locale.ROOT));
        }
        throw new DpsException(FIELD, DpsException.quote(text) + " is not a MAC address; expected 6 bytes in hex"
                + " such as C8:93:46:4A:1B:2C, c8-93-46-4a-1b-2c or c893464a1b2c");
    }

    private static boolean isPlainLowerCase(String t) {
        if (t.length() != 12) {
            return false;
        }
        for (int i = 0; i < 12; i++) {
            char c = t.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** 12 lower-case hex digits. */
    public String value() {
        return value;
    }

    /** {@code c8:93:46:4a:1b:2c}. */
    public String withColons() {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < value.length(); i += 2) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(value, i, i + 2);
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MacAddress && ((MacAddress) o).value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return withColons();
    }
}
