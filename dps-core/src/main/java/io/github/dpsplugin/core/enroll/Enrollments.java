package io.github.dpsplugin.core.enroll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.List;

/**
 * Surgery on an enrollment's JSON as DPS returned it: only {@code attestation.x509.clientCertificates}
 * is changed; every other field, known or not, stays as read. The service's read-only fields are
 * left out of what is written (the service sets them; the Azure CLI does not send them either).
 */
final class Enrollments {

    /** Fields the service sets and a write does not carry. */
    static List<String> readOnly() {
        return List.of("registrationState", "createdDateTimeUtc", "lastUpdatedDateTimeUtc");
    }

    private Enrollments() {
    }

    /** A client certificate slot's thumbprints as DPS reports them in its {@code info}; {@code null}: empty slot. */
    record Thumbprints(String sha1, String sha256) {

        /** Whether these are the certificate with the given thumbprints (hex, case and colons ignored). */
        boolean matches(String otherSha1, String otherSha256) {
            if (sha256 != null && otherSha256 != null) {
                return norm(sha256).equals(norm(otherSha256));
            }
            return sha1 != null && otherSha1 != null && norm(sha1).equals(norm(otherSha1));
        }

        private static String norm(String hex) {
            return hex.replace(":", "").trim().toLowerCase(Locale.ROOT);
        }
    }

    /** {@code primary} or {@code secondary} client certificate's thumbprints, or {@code null} when the slot is empty. */
    static Thumbprints slot(JsonNode enrollment, String which) {
        JsonNode c = enrollment.path("attestation").path("x509").path("clientCertificates").path(which);
        if (!c.isObject()) {
            return null;
        }
        JsonNode info = c.path("info");
        String sha1 = text(info.get("sha1Thumbprint"));
        String sha256 = text(info.get("sha256Thumbprint"));
        return sha1 == null && sha256 == null ? new Thumbprints("?", "?") : new Thumbprints(sha1, sha256);
    }

    private static String text(JsonNode n) {
        return n == null || !n.isTextual() || n.asText().isEmpty() ? null : n.asText();
    }

    /** A copy of {@code read} to be written back: as read, without the read-only fields. */
    static ObjectNode forWrite(ObjectNode read) {
        ObjectNode e = read.deepCopy();
        e.remove(readOnly());
        return e;
    }

    /**
     * {@code read} with its client certificates replaced: primary the PEM {@code primaryPem};
     * secondary the PEM {@code secondaryPem}, or, when that is {@code null} and {@code keepSecondary},
     * the slot as read (DPS keeps the stored certificate of a slot sent with its {@code info}).
     */
    static ObjectNode withCertificates(ObjectNode read, String primaryPem, String secondaryPem, boolean keepSecondary) {
        ObjectNode e = forWrite(read);
        JsonNode oldSecondary = read.path("attestation").path("x509").path("clientCertificates").path("secondary");
        ObjectNode attestation = e.path("attestation").isObject() ? (ObjectNode) e.get("attestation")
                : e.putObject("attestation");
        if (!"x509".equals(attestation.path("type").asText())) {
            attestation.removeAll();
            attestation.put("type", "x509");
        }
        ObjectNode x509 = attestation.path("x509").isObject() ? (ObjectNode) attestation.get("x509")
                : attestation.putObject("x509");
        ObjectNode certs = x509.putObject("clientCertificates");
        certs.putObject("primary").put("certificate", primaryPem);
        if (secondaryPem != null) {
            certs.putObject("secondary").put("certificate", secondaryPem);
        } else if (keepSecondary && oldSecondary.isObject()) {
            certs.set("secondary", oldSecondary.deepCopy());
        }
        return e;
    }

    /** A new enrollment {@code id} with primary certificate {@code pem}, enabled. */
    static ObjectNode fresh(String id, String pem, String secondaryPem) {
        ObjectNode e = DpsClient.object();
        e.put("registrationId", id);
        ObjectNode certs = e.putObject("attestation").put("type", "x509").putObject("x509")
                .putObject("clientCertificates");
        certs.putObject("primary").put("certificate", pem);
        if (secondaryPem != null) {
            certs.putObject("secondary").put("certificate", secondaryPem);
        }
        e.put("provisioningStatus", "enabled");
        return e;
    }

    /**
     * A new enrollment {@code id} with primary certificate {@code pem} and the settings of
     * {@code old} (twin, hubs, allocation, reprovisioning, capabilities, status, a device ID if one
     * was set, and fields unknown here): a device whose registration ID changed keeps them. A device
     * ID equal to the old registration ID is IoT Hub's default (the registration ID), not a setting:
     * under the new ID the default is the new ID.
     */
    static ObjectNode carried(ObjectNode old, String id, String pem) {
        ObjectNode e = withCertificates(old, pem, null, false);
        e.remove("etag");
        if (e.path("deviceId").isTextual() && e.get("deviceId").asText().equals(id(old))) {
            e.remove("deviceId");
        }
        e.put("registrationId", id);
        return e;
    }

    /** The registration ID of an enrollment as read. */
    static String id(JsonNode enrollment) {
        return enrollment.path("registrationId").asText("");
    }
}
