package io.github.dpsplugin.core.enroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/** The token is checked the way a service checks it, with an independent HMAC (Bouncy Castle's). */
class SasTokenTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    @Test
    void signsTheUrlEncodedHostNewlineExpiry() {
        String token = SasToken.create("localhost:8443", "provisioningserviceowner", KEY, 1_800_000_000L);
        assertTrue(token.startsWith("SharedAccessSignature "), token);
        Map<String, String> f = fields(token.substring("SharedAccessSignature ".length()));
        assertEquals("localhost%3A8443", f.get("sr"));
        assertEquals("1800000000", f.get("se"));
        assertEquals("provisioningserviceowner", URLDecoder.decode(f.get("skn"), StandardCharsets.UTF_8));
        String sig = URLDecoder.decode(f.get("sig"), StandardCharsets.UTF_8);
        assertEquals(hmac(KEY, "localhost%3A8443\n1800000000"), sig);
    }

    @Test
    void expiryAndKeyChangeTheSignature() {
        String a = SasToken.create("h.azure-devices-provisioning.net", "p", KEY, 100);
        String b = SasToken.create("h.azure-devices-provisioning.net", "p", KEY, 101);
        String c = SasToken.create("h.azure-devices-provisioning.net", "p", "other".getBytes(), 100);
        assertNotEquals(fields(a).get("sig"), fields(b).get("sig"));
        assertNotEquals(fields(a).get("sig"), fields(c).get("sig"));
    }

    @Test
    void clientTokensAreShortLived() {
        assertTrue(DpsClient.TOKEN_LIFETIME_SECONDS <= 3600);
    }

    private static Map<String, String> fields(String s) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String p : s.replace("SharedAccessSignature ", "").split("&")) {
            int eq = p.indexOf('=');
            m.put(p.substring(0, eq), p.substring(eq + 1));
        }
        return m;
    }

    private static String hmac(byte[] key, String text) {
        HMac mac = new HMac(new SHA256Digest());
        mac.init(new KeyParameter(key));
        byte[] in = text.getBytes(StandardCharsets.UTF_8);
        mac.update(in, 0, in.length);
        byte[] out = new byte[mac.getMacSize()];
        mac.doFinal(out, 0);
        return Base64.getEncoder().encodeToString(out);
    }
}
