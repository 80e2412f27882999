package io.github.dpsplugin.core.enroll;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The documented DPS/IoT Hub shared access signature: HMAC-SHA256 with the policy's key over the
 * URL-encoded resource URI (the host name, a {@code host:port} as given) and the expiry in epoch
 * seconds, joined by a newline.
 */
final class SasToken {

    private SasToken() {
    }

    static String create(String hostName, String keyName, byte[] key, long expiryEpochSeconds) {
        String resource = encode(hostName);
        String toSign = resource + "\n" + expiryEpochSeconds;
        byte[] sig;
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            sig = mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
        return "SharedAccessSignature sr=" + resource + "&sig=" + encode(Base64.getEncoder().encodeToString(sig))
                + "&se=" + expiryEpochSeconds + "&skn=" + encode(keyName);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
