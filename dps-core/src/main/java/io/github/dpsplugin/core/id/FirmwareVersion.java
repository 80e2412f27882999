package io.github.dpsplugin.core.id;

import io.github.dpsplugin.core.common.DpsException;

/**
 * The version the device reports (on the DevKit, the DevKit SDK version), {@code N.N.N} with any
 * number of digits per part. The reference tool cut its input to 5 characters and so could not
 * take {@code 10.0.12}; this type can.
 */
public record FirmwareVersion(String value) {

    public FirmwareVersion {
        if (value == null || !isVersion(value)) {
            throw notAVersion(value);
        }
    }

    public static FirmwareVersion parse(String text) {
        if (text == null || text.isBlank()) {
            throw new DpsException("firmwareVersion", "is empty; expected the version the device reports,"
                    + " N.N.N such as 2.0.0");
        }
        String t = text.strip();
        if (!isVersion(t)) {
            throw notAVersion(text);
        }
        return new FirmwareVersion(t);
    }

    private static DpsException notAVersion(String text) {
        return new DpsException("firmwareVersion", DpsException.quote(text) + " is not a version; expected"
                + " N.N.N (digits and two dots, such as 2.0.0 or 10.0.12)");
    }

    /** Whether {@code t} is {@code [0-9]+.[0-9]+.[0-9]+}, without a pattern: a devices file parses one version per device. */
    private static boolean isVersion(String t) {
        int parts = 1;
        boolean digit = false;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c >= '0' && c <= '9') {
                digit = true;
            } else if (c == '.' && digit && parts < 3) {
                parts++;
                digit = false;
            } else {
                return false;
            }
        }
        return parts == 3 && digit;
    }

    @Override
    public String toString() {
        return value;
    }
}
