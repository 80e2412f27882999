package io.github.dpsplugin.core.id;

import io.github.dpsplugin.core.common.DpsException;

/**
 * A DPS registration ID, which is also the alias certificate's subject CN (spec, "Registration ID").
 *
 * <p>Refused: empty; any character outside DPS's set (lower-case {@code a-z}, {@code 0-9},
 * {@code - . _ :}), upper case included, which DPS has rejected in practice; one of {@code - . _ :}
 * at the start or the end, which DPS refuses (and {@code -rf} would look like an option to the
 * {@code az} scripts); 127 characters or
 * more, which the device's DER encoder cannot write (its CN length must be below 127). Allowed
 * with a warning ({@link #exceedsDocumentedLimit()}): 65 to 126 characters, which the device
 * encodes but which exceed the 64 characters DPS documents for X.509 common names.
 */
public final class RegistrationId {

    /** DPS's documented limit for an X.509 registration ID (the X.520 common-name upper bound). */
    public static final int DPS_DOCUMENTED_MAX = 64;
    /** The device's encoder requires the CN's DER length to be below 127. */
    public static final int DEVICE_MAX = 126;
    /** The device formats a derived ID into a 32-byte buffer. */
    public static final int DERIVED_MAX = 31;

    private static final String FIELD = "registrationId";
    /** What {@link #derive} makes: the MAC in 12 lower-case hex digits, then the version's digits. */
    private static final java.util.regex.Pattern DERIVED =
            java.util.regex.Pattern.compile("az-([0-9a-f]{12})v[0-9]+v[0-9]+v[0-9]+");

    private final String value;
    private final MacAddress mac;
    private final FirmwareVersion version;

    private RegistrationId(String value, MacAddress mac, FirmwareVersion version) {
        this.value = value;
        this.mac = mac;
        this.version = version;
    }

    /** An explicit registration ID, validated. */
    public static RegistrationId of(String text) {
        return new RegistrationId(validate(text, FIELD), null, null);
    }

    /**
     * The ID the DevKit derives itself: {@code "az-" + mac + "v" + version with '.' replaced by 'v'}.
     *
     * @throws DpsException if the result exceeds the 31 characters the device's buffer holds
     */
    public static RegistrationId derive(MacAddress mac, FirmwareVersion version) {
        String id = "az-" + mac.value() + "v" + version.value().replace('.', 'v');
        if (id.length() > DERIVED_MAX) {
            throw new DpsException("firmwareVersion", "the derived registration ID '" + id + "' has " + id.length()
                    + " characters; the device formats it into a 32-byte buffer and would cut it to "
                    + DERIVED_MAX + "; expected a shorter version ('" + version + "' makes the ID too long)");
        }
        return new RegistrationId(validate(id, FIELD), mac, version);
    }

    /**
     * The MAC address in an ID of the form the DevKit derives ({@code az-<12 hex>v<x>v<y>v<z>}),
     * whether it was derived here or written as an explicit ID; {@code null} for any other ID.
     */
    public static MacAddress derivedMac(String registrationId) {
        if (registrationId == null) {
            return null;
        }
        java.util.regex.Matcher m = DERIVED.matcher(registrationId);
        return m.matches() ? MacAddress.parse(m.group(1)) : null;
    }

    private static String validate(String text, String field) {
        if (text == null || text.isEmpty()) {
            throw new DpsException(field, "is empty; expected 1 to " + DPS_DOCUMENTED_MAX
                    + " characters of a-z, 0-9, '-', '.', '_' or ':'");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!allowed(c)) {
                String lower = text.toLowerCase(java.util.Locale.ROOT);
                String what = (c >= 'A' && c <= 'Z')
                        ? "an upper-case letter at position " + (i + 1) + " (DPS rejects upper-case IDs"
                                + (lower.chars().allMatch(RegistrationId::allowed)
                                        ? "; use " + DpsException.quote(lower) + ")" : ")")
                        : Character.isWhitespace(c)
                                ? "white space at position " + (i + 1)
                                : "the character " + DpsException.quote(String.valueOf(c)) + " at position " + (i + 1);
                throw new DpsException(field, DpsException.quote(text) + " contains " + what
                        + "; allowed are lower-case a-z, 0-9, '-', '.', '_' and ':'");
            }
        }
        char first = text.charAt(0);
        char last = text.charAt(text.length() - 1);
        if (!alphanumeric(first) || !alphanumeric(last)) {
            // DPS refuses them; and an ID like -rf would reach the az scripts looking like an option
            throw new DpsException(field, DpsException.quote(text) + (!alphanumeric(first)
                    ? " starts with " + DpsException.quote(String.valueOf(first))
                    : " ends with " + DpsException.quote(String.valueOf(last)))
                    + "; expected a letter or digit at the start and at the end (DPS refuses the others"
                    + " there)");
        }
        if (text.length() > DEVICE_MAX) {
            throw new DpsException(field, DpsException.quote(text) + " has " + text.length() + " characters; the device"
                    + " cannot"
                    + " encode a common name of more than " + DEVICE_MAX + " (DPS documents " + DPS_DOCUMENTED_MAX
                    + " as the limit)");
        }
        return text;
    }

    private static boolean alphanumeric(int c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
    }

    private static boolean allowed(int c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == ':';
    }

    public String value() {
        return value;
    }

    /** True past DPS's documented 64 characters: the device encodes it, but DPS may refuse it. */
    public boolean exceedsDocumentedLimit() {
        return value.length() > DPS_DOCUMENTED_MAX;
    }

    /** The MAC address this ID was derived from, or {@code null} for an explicit ID. */
    public MacAddress macAddress() {
        return mac;
    }

    /** The firmware version this ID was derived from, or {@code null} for an explicit ID. */
    public FirmwareVersion firmwareVersion() {
        return version;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RegistrationId && ((RegistrationId) o).value.equals(value);
    }

    @Override
    public int hashCode() {
        return value.hashCode();
    }

    @Override
    public String toString() {
        return value;
    }
}
