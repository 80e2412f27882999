package io.github.dpsplugin.core.enroll.standin;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks a {@code SharedAccessSignature} header as the service does: the resource {@code sr} is
 * this host, {@code skn} names the policy, {@code se} lies in the future but not absurdly far, and
 * {@code sig} is the base64 HMAC-SHA256, keyed with the policy key, of the {@code sr} value as sent
 * (still URL-encoded), a line feed and {@code se}.
 */
final class SasValidator {

    /** The longest lifetime accepted: the az CLI's default hour, and some clock skew. */
    static final long MAX_LIFETIME_SECONDS = 3600 + 300;

    private final String hostName;
    private final String policyName;
    private final byte[] key;

    SasValidator(String hostName, String policyName, byte[] key) {
        this.hostName = hostName;
        this.policyName = policyName;
        this.key = key.clone();
    }

    /** Throws a 401 {@link DpsError} saying what is wrong (never what the right signature is). */
    void check(String authorization, long nowEpochSeconds) {
        String prefix = "SharedAccessSignature ";
        if (authorization == null) {
            throw unauthorized("no Authorization header");
        }
        if (!authorization.startsWith(prefix)) {
            throw unauthorized("the Authorization header is not a SharedAccessSignature");
        }
        Map<String, String> raw = new HashMap<>();
        for (String part : authorization.substring(prefix.length()).trim().split("&", 20)) {
            int eq = part.indexOf('=');
            if (eq <= 0 || raw.put(part.substring(0, eq), part.substring(eq + 1)) != null) {
                throw unauthorized("a SharedAccessSignature field is malformed or repeated");
            }
        }
        for (String field : new String[] {"sr", "sig", "se", "skn"}) {
            if (!raw.containsKey(field) || raw.get(field).isEmpty()) {
                throw unauthorized("the SharedAccessSignature has no '" + field + "'");
            }
        }
        String sr = URLDecoder.decode(raw.get("sr"), StandardCharsets.UTF_8);
        if (!sr.toLowerCase(Locale.ROOT).equals(hostName.toLowerCase(Locale.ROOT))) {
            throw unauthorized("the token's resource 'sr' is '" + sr + "', not this service '" + hostName + "'");
        }
        if (!policyName.equals(raw.get("skn"))) {
            throw unauthorized("no shared access policy named '" + raw.get("skn") + "'");
        }
        long expiry;
        try {
            expiry = Long.parseLong(raw.get("se"));
        } catch (NumberFormatException e) {
            throw unauthorized("the token's expiry 'se' is not a number of seconds");
        }
        if (expiry <= nowEpochSeconds) {
            throw unauthorized("the token expired " + (nowEpochSeconds - expiry) + " s ago");
        }
        if (expiry - nowEpochSeconds > MAX_LIFETIME_SECONDS) {
            throw unauthorized("the token's expiry is " + (expiry - nowEpochSeconds) + " s ahead, more than "
                    + MAX_LIFETIME_SECONDS + " s");
        }
        byte[] given;
        try {
            given = Base64.getDecoder().decode(URLDecoder.decode(raw.get("sig"), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw unauthorized("the signature 'sig' is not base64");
        }
        byte[] expected = sign(raw.get("sr") + "\n" + raw.get("se"));
        if (!MessageDigest.isEqual(expected, given)) {
            throw unauthorized("the signature does not match the policy's key");
        }
    }

    private byte[] sign(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static DpsError unauthorized(String why) {
        return new DpsError(401, 2, "Unauthorized: " + why);
    }
}
