package io.github.dpsplugin.core.common;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The JDK's standard SHA-256, SHA-1 and HMAC-SHA256, with one engine per thread: looking up a
 * provider for every hash costs more than hashing a certificate.
 */
public final class Hashes {

    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> digest("SHA-256"));
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> digest("SHA-1"));
    private static final ThreadLocal<Mac> HMAC_SHA256 = ThreadLocal.withInitial(Hashes::hmac);
    /** Re-keys the per-thread Mac after use: it keeps pads derived from its last key until the next init. */
    private static final SecretKeySpec NO_KEY = new SecretKeySpec(new byte[32], "HmacSHA256");

    private Hashes() {
    }

    /** SHA-256 of the concatenation of {@code parts}. */
    public static byte[] sha256(byte[]... parts) {
        MessageDigest md = SHA256.get();
        md.reset();
        for (byte[] p : parts) {
            md.update(p);
        }
        return md.digest();
    }

    public static byte[] sha1(byte[] data) {
        MessageDigest md = SHA1.get();
        md.reset();
        return md.digest(data);
    }

    /**
     * HMAC-SHA256. The key is a secret (H(CDI), the alias seed): the JDK's key object holding a copy
     * of it is dropped after this call, and the thread's Mac is re-keyed with zeros so that the pads
     * it derived from the key do not outlive the call.
     */
    public static byte[] hmacSha256(byte[] key, byte[] message) {
        Mac mac = HMAC_SHA256.get();
        try {
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 refused its key", e);
        } finally {
            try {
                mac.init(NO_KEY);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 refused a key of zeros", e);
            }
        }
    }

    /** Upper-case hex, as the Azure portal shows thumbprints. */
    public static String upperHex(byte[] b) {
        return HexFormat.of().withUpperCase().formatHex(b);
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no " + algorithm, e);
        }
    }

    private static Mac hmac() {
        try {
            return Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256", e);
        }
    }
}
