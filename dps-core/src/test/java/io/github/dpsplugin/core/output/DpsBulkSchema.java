package io.github.dpsplugin.core.output;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The definitions of DPS's data-plane REST API that a bulk enrollment body uses, encoded from the
 * service's published specification (Azure/azure-rest-api-specs,
 * specification/deviceprovisioningservices/data-plane/Microsoft.Devices/stable/2021-10-01/service.json
 * at commit 31ebb0b76caf78291b4325f9a5dfc3f12d1c9777, later under
 * data-plane/DeviceProvisioningServices/stable/2021-10-01/service.json; api-version 2021-10-01,
 * operation {@code IndividualEnrollment_RunBulkOperation}, "Bulk device enrollment operation with
 * maximum of 10 enrollments"): each definition's properties with their types, its {@code required}
 * list and its enums, lower-case values as published. The specification itself is not copied
 * into the repository; these are its facts, checked by hand against it.
 *
 * <p>Stricter than Swagger 2.0 on two points, on purpose: a property not defined is an error (a
 * typo would otherwise pass), and a {@code readOnly} property (set by the service) may not be
 * sent. The published {@code registrationId} pattern {@code ^([a-z0-9-._:][a-z0-9-])$} is not
 * applied: it matches two-character IDs only and the service itself accepts longer ones (its
 * description and maxLength say so); maxLength 128 and the lower-case alphabet are checked.
 */
public final class DpsBulkSchema {

    /** BulkEnrollmentOperation.mode. */
    public static final Set<String> MODES = Set.of("create", "update", "updateIfMatchETag", "delete");
    /** AttestationMechanism.type. */
    static final Set<String> ATTESTATION_TYPES = Set.of("none", "tpm", "x509", "symmetricKey");
    /** IndividualEnrollment.provisioningStatus. */
    static final Set<String> PROVISIONING_STATUS = Set.of("enabled", "disabled");
    /** IndividualEnrollment.allocationPolicy. */
    static final Set<String> ALLOCATION_POLICIES = Set.of("hashed", "geoLatency", "static", "custom");
    /** The operation's limit. */
    public static final int MAX_ENROLLMENTS = 10;

    private static final Set<String> INDIVIDUAL_ENROLLMENT = Set.of("registrationId", "deviceId", "registrationState",
            "optionalDeviceInformation", "attestation", "capabilities", "iotHubHostName", "initialTwin", "etag",
            "provisioningStatus", "reprovisionPolicy", "createdDateTimeUtc", "lastUpdatedDateTimeUtc",
            "allocationPolicy", "iotHubs", "customAllocationDefinition");
    private static final Set<String> INDIVIDUAL_ENROLLMENT_READ_ONLY = Set.of("registrationState",
            "createdDateTimeUtc", "lastUpdatedDateTimeUtc");
    private static final Set<String> ATTESTATION_MECHANISM = Set.of("type", "tpm", "x509", "symmetricKey");
    private static final Set<String> X509_ATTESTATION = Set.of("clientCertificates", "signingCertificates",
            "caReferences");
    private static final Set<String> X509_CERTIFICATES = Set.of("primary", "secondary");
    private static final Set<String> X509_CERTIFICATE_WITH_INFO = Set.of("certificate", "info");
    /** X509CertificateInfo: filled in by the service, but when sent, all of these are required. */
    private static final Set<String> X509_CERTIFICATE_INFO = Set.of("subjectName", "sha1Thumbprint",
            "sha256Thumbprint", "issuerName", "notBeforeUtc", "notAfterUtc", "serialNumber", "version");

    private DpsBulkSchema() {
    }

    /** Every violation of the definitions in one body, as {@code path: problem}; empty when it conforms. */
    public static List<String> violations(JsonNode body) {
        List<String> v = new ArrayList<>();
        object(body, "$", Set.of("enrollments", "mode"), Set.of("enrollments", "mode"), v);
        if (!body.isObject()) {
            return v;
        }
        JsonNode mode = body.get("mode");
        if (mode != null && !(mode.isTextual() && MODES.contains(mode.asText()))) {
            v.add("$.mode: " + mode + " is not one of " + MODES);
        }
        JsonNode list = body.get("enrollments");
        if (list != null) {
            if (!list.isArray()) {
                v.add("$.enrollments: not an array");
            } else {
                if (list.size() > MAX_ENROLLMENTS) {
                    v.add("$.enrollments: " + list.size() + " items; the operation takes at most " + MAX_ENROLLMENTS);
                }
                for (int i = 0; i < list.size(); i++) {
                    individualEnrollment(list.get(i), "$.enrollments[" + i + "]", v);
                }
            }
        }
        return v;
    }

    /** Every violation in one {@code IndividualEnrollment} (the body of a PUT), paths from {@code $}. */
    public static List<String> enrollmentViolations(JsonNode enrollment) {
        List<String> v = new ArrayList<>();
        individualEnrollment(enrollment, "$", v);
        return v;
    }

    /** Every violation in a {@code QuerySpecification} (the body of an enrollment query). */
    public static List<String> queryViolations(JsonNode body) {
        List<String> v = new ArrayList<>();
        if (object(body, "$", Set.of("query"), Set.of("query"), v)) {
            string(body, "query", "$", v);
        }
        return v;
    }

    private static void individualEnrollment(JsonNode e, String at, List<String> v) {
        if (!object(e, at, INDIVIDUAL_ENROLLMENT, Set.of("registrationId", "attestation"), v)) {
            return;
        }
        for (String ro : INDIVIDUAL_ENROLLMENT_READ_ONLY) {
            if (e.has(ro)) {
                v.add(at + "." + ro + ": read-only (set by the service)");
            }
        }
        JsonNode id = e.get("registrationId");
        if (id != null) {
            if (!id.isTextual()) {
                v.add(at + ".registrationId: not a string");
            } else if (id.asText().isEmpty() || id.asText().length() > 128 || !id.asText().matches("[a-z0-9._:-]+")) {
                v.add(at + ".registrationId: '" + id.asText() + "' is not 1 to 128 of a-z 0-9 - . _ :");
            }
        }
        string(e, "deviceId", at, v);
        string(e, "iotHubHostName", at, v);
        string(e, "etag", at, v);
        enumeration(e, "provisioningStatus", PROVISIONING_STATUS, at, v);
        enumeration(e, "allocationPolicy", ALLOCATION_POLICIES, at, v);
        if (e.has("capabilities")) {
            object(e.get("capabilities"), at + ".capabilities", Set.of("iotEdge"), Set.of("iotEdge"), v);
        }
        if (e.has("reprovisionPolicy")) {
            Set<String> both = Set.of("updateHubAssignment", "migrateDeviceData");
            object(e.get("reprovisionPolicy"), at + ".reprovisionPolicy", both, both, v);
        }
        if (e.has("iotHubs") && !e.get("iotHubs").isArray()) {
            v.add(at + ".iotHubs: not an array");
        }
        JsonNode a = e.get("attestation");
        if (a != null && object(a, at + ".attestation", ATTESTATION_MECHANISM, Set.of("type"), v)) {
            enumeration(a, "type", ATTESTATION_TYPES, at + ".attestation", v);
            if (a.has("tpm")) {
                object(a.get("tpm"), at + ".attestation.tpm", Set.of("endorsementKey", "storageRootKey"),
                        Set.of("endorsementKey"), v);
            }
            JsonNode x = a.get("x509");
            if (x != null && object(x, at + ".attestation.x509", X509_ATTESTATION, Set.of(), v)) {
                for (String certs : new String[] {"clientCertificates", "signingCertificates"}) {
                    JsonNode c = x.get(certs);
                    String where = at + ".attestation.x509." + certs;
                    if (c != null && object(c, where, X509_CERTIFICATES, Set.of(), v)) {
                        for (String which : new String[] {"primary", "secondary"}) {
                            JsonNode w = c.get(which);
                            if (w != null && object(w, where + "." + which, X509_CERTIFICATE_WITH_INFO, Set.of(), v)) {
                                string(w, "certificate", where + "." + which, v);
                                if (w.has("info")) {
                                    object(w.get("info"), where + "." + which + ".info", X509_CERTIFICATE_INFO,
                                            X509_CERTIFICATE_INFO, v);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /** Checks an object's property names; false when it is not an object. */
    private static boolean object(JsonNode n, String at, Set<String> allowed, Set<String> required, List<String> v) {
        if (n == null || !n.isObject()) {
            v.add(at + ": not an object");
            return false;
        }
        for (String r : required) {
            if (!n.has(r) || n.get(r).isNull()) {
                v.add(at + ": required property '" + r + "' is missing");
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
            String name = it.next().getKey();
            if (!allowed.contains(name)) {
                v.add(at + "." + name + ": not a property of the definition");
            }
        }
        return true;
    }

    private static void string(JsonNode n, String name, String at, List<String> v) {
        if (n.has(name) && !n.get(name).isTextual()) {
            v.add(at + "." + name + ": not a string");
        }
    }

    private static void enumeration(JsonNode n, String name, Set<String> values, String at, List<String> v) {
        if (n.has(name) && !(n.get(name).isTextual() && values.contains(n.get(name).asText()))) {
            v.add(at + "." + name + ": " + n.get(name) + " is not one of " + values);
        }
    }
}
