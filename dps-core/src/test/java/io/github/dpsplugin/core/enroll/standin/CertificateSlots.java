package io.github.dpsplugin.core.enroll.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * What the service does with a client certificate slot: a slot with a {@code certificate} (PEM, or
 * base64 DER) is parsed and stored with its {@code info}; a slot with only {@code info} keeps the
 * certificate stored in that slot, and must describe it. Responses carry the info, never the PEM.
 */
final class CertificateSlots {

    static final String[] CLIENT_SLOTS = {"primary", "secondary"};

    private CertificateSlots() {
    }

    /**
     * The stored form of a slot sent in a body: {@code {"certificate": pem, "info": {...}}}.
     *
     * @param stored the stored form of the same slot of the enrollment, or null
     */
    static ObjectNode accept(JsonNode sent, JsonNode stored, String where) {
        JsonNode pem = sent.get("certificate");
        if (pem != null && !pem.isNull()) {
            X509CertificateHolder cert = parse(pem.asText(), where);
            ObjectNode slot = JsonNodeFactory.instance.objectNode();
            slot.put("certificate", pem.asText());
            slot.set("info", info(cert));
            return slot;
        }
        JsonNode info = sent.get("info");
        if (info == null || info.isNull()) {
            throw DpsError.badRequest(where + ": neither a certificate nor info");
        }
        if (stored == null) {
            throw DpsError.badRequest(where + ": info without a certificate, and no certificate is stored in this slot");
        }
        JsonNode storedInfo = stored.get("info");
        for (String thumbprint : new String[] {"sha1Thumbprint", "sha256Thumbprint"}) {
            if (!info.path(thumbprint).asText("").equalsIgnoreCase(storedInfo.get(thumbprint).asText())) {
                throw DpsError.badRequest(where + ".info." + thumbprint
                        + ": does not describe the stored certificate (send the certificate to change it)");
            }
        }
        return ((ObjectNode) stored).deepCopy();
    }

    /**
     * Parsed with Bouncy Castle: JDK 25's certificate parser refuses the DevKit's subjectAltName
     * encoding, which the service accepts.
     */
    static X509CertificateHolder parse(String text, String where) {
        String b64 = text.replace("-----BEGIN CERTIFICATE-----", "").replace("-----END CERTIFICATE-----", "")
                .replaceAll("\\s", "");
        try {
            byte[] der = Base64.getDecoder().decode(b64);
            return new X509CertificateHolder(der);
        } catch (IllegalArgumentException | IOException e) {
            throw DpsError.badRequest(where + ".certificate: not an X.509 certificate (" + e.getMessage() + ")");
        }
    }

    /** X509CertificateInfo: thumbprints and serial number in upper-case hex, as the service shows them. */
    static ObjectNode info(X509CertificateHolder cert) {
        try {
            byte[] der = cert.getEncoded();
            ObjectNode info = JsonNodeFactory.instance.objectNode();
            info.put("subjectName", new X500Principal(cert.getSubject().getEncoded()).getName());
            info.put("sha1Thumbprint", hex(MessageDigest.getInstance("SHA-1").digest(der)));
            info.put("sha256Thumbprint", hex(MessageDigest.getInstance("SHA-256").digest(der)));
            info.put("issuerName", new X500Principal(cert.getIssuer().getEncoded()).getName());
            info.put("notBeforeUtc", cert.getNotBefore().toInstant().toString());
            info.put("notAfterUtc", cert.getNotAfter().toInstant().toString());
            info.put("serialNumber", cert.getSerialNumber().toString(16).toUpperCase(Locale.ROOT));
            info.put("version", cert.getVersionNumber());
            return info;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The response form of a stored slot: its info only. */
    static ObjectNode view(JsonNode storedSlot) {
        ObjectNode v = JsonNodeFactory.instance.objectNode();
        v.set("info", storedSlot.get("info").deepCopy());
        return v;
    }

    static String pem(JsonNode storedSlot) {
        return storedSlot == null ? null : storedSlot.get("certificate").asText();
    }

    private static String hex(byte[] b) {
        return HexFormat.of().withUpperCase().formatHex(b);
    }
}
