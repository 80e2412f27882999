package io.github.dpsplugin.core.verify;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a PEM certificate file holds besides its one {@code CERTIFICATE} block: another block (a
 * second certificate, a key) or any other text. {@code verify} checks one certificate; a file
 * with more would be reported on what was checked while a tool uploading it may read the rest.
 */
final class PemFile {

    private static final Pattern BEGIN = Pattern.compile("-----BEGIN ");
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN CERTIFICATE-----\\r?\\n[A-Za-z0-9+/=\\r\\n]+?-----END CERTIFICATE-----");

    private PemFile() {
    }

    /** What {@code text} holds besides one CERTIFICATE block and white space, or {@code null} for nothing. */
    static String extra(String text) {
        Matcher m = BEGIN.matcher(text);
        int blocks = 0;
        while (m.find()) {
            blocks++;
        }
        if (blocks > 1) {
            return blocks + " PEM blocks";
        }
        Matcher b = BLOCK.matcher(text);
        if (!b.find()) {
            return "a CERTIFICATE block that is not laid out as PEM";
        }
        if (!text.substring(0, b.start()).isBlank()) {
            return "text before the CERTIFICATE block";
        }
        if (!text.substring(b.end()).isBlank()) {
            return "data after the CERTIFICATE block";
        }
        return null;
    }
}
