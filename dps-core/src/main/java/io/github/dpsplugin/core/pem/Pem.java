package io.github.dpsplugin.core.pem;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** PEM encoding of the outputs: lines end with LF, the last one too. */
public final class Pem {

    public static final String CERTIFICATE = "CERTIFICATE";
    public static final String PUBLIC_KEY = "PUBLIC KEY";

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----\\r?\\n([A-Za-z0-9+/=\\r\\n]+?)\\r?\\n?-----END \\1-----");

    private Pem() {
    }

    /** Encodes {@code der} under {@code label}. */
    public static String encode(String label, byte[] der, PemLayout layout) {
        String b64 = Base64.getEncoder().encodeToString(der);
        StringBuilder sb = new StringBuilder(b64.length() + 80);
        sb.append("-----BEGIN ").append(label).append("-----\n");
        if (layout == PemLayout.ONE_LINE) {
            sb.append(b64).append('\n');
        } else {
            for (int i = 0; i < b64.length(); i += 64) {
                sb.append(b64, i, Math.min(b64.length(), i + 64)).append('\n');
            }
        }
        return sb.append("-----END ").append(label).append("-----\n").toString();
    }

    private static final byte[] BEGIN_CERTIFICATE = ascii("-----BEGIN " + CERTIFICATE + "-----\n");
    private static final byte[] END_CERTIFICATE = ascii("-----END " + CERTIFICATE + "-----\n");

    /**
     * {@link #encode} as US-ASCII bytes, the bytes of a {@code .pem} file, built directly: a fleet
     * encodes two certificates per device, and the string, its builder and its encoding were
     * three copies of each.
     */
    public static byte[] encodeAscii(String label, byte[] der, PemLayout layout) {
        boolean certificate = CERTIFICATE.equals(label);
        byte[] begin = certificate ? BEGIN_CERTIFICATE : ascii("-----BEGIN " + label + "-----\n");
        byte[] end = certificate ? END_CERTIFICATE : ascii("-----END " + label + "-----\n");
        byte[] b64 = Base64.getEncoder().encode(der);
        int lines = layout == PemLayout.ONE_LINE ? 1 : (b64.length + 63) / 64;
        byte[] out = new byte[begin.length + b64.length + lines + end.length];
        System.arraycopy(begin, 0, out, 0, begin.length);
        int p = begin.length;
        int step = layout == PemLayout.ONE_LINE ? Math.max(1, b64.length) : 64;
        for (int i = 0, line = 0; line < lines; i += step, line++) {
            int n = Math.min(step, b64.length - i);
            System.arraycopy(b64, i, out, p, n);
            p += n;
            out[p++] = '\n';
        }
        System.arraycopy(end, 0, out, p, end.length);
        return out;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Decodes the first PEM block with {@code label}, accepting either layout and CRLF. */
    public static byte[] decode(String label, String pem) {
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            if (m.group(1).equals(label)) {
                return Base64.getMimeDecoder().decode(m.group(2));
            }
        }
        throw new IllegalArgumentException("no PEM block '" + label + "' found");
    }
}
