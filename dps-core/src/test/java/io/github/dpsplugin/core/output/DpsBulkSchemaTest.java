package io.github.dpsplugin.core.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The encoded DPS definitions refuse what the service's specification refuses, and pass the create bodies. */
class DpsBulkSchemaTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String OK = "{\"mode\":\"update\",\"enrollments\":[{\"registrationId\":\"dev-1\",\"attestation\":"
            + "{\"type\":\"x509\",\"x509\":{\"clientCertificates\":{\"primary\":{\"certificate\":\"P\"},"
            + "\"secondary\":{\"certificate\":\"S\"}}}}}]}";

    @TempDir
    Path tmp;

    static List<String> check(String json) throws Exception {
        return DpsBulkSchema.violations(JSON.readTree(json));
    }

    @Test
    void aConformingBodyPasses() throws Exception {
        assertEquals(List.of(), check(OK));
    }

    @Test
    void eachViolationIsFound() throws Exception {
        assertEquals(List.of("$.mode: \"Update\" is not one of " + DpsBulkSchema.MODES),
                check(OK.replace("\"update\"", "\"Update\"")));
        assertTrue(check(OK.replace("\"mode\":\"update\",", "")).contains("$: required property 'mode' is missing"));
        assertTrue(check(OK.replace("\"registrationId\":\"dev-1\",", "")).contains(
                "$.enrollments[0]: required property 'registrationId' is missing"));
        assertTrue(check(OK.replace("\"type\":\"x509\",", "")).contains(
                "$.enrollments[0].attestation: required property 'type' is missing"));
        assertTrue(check(OK.replace("\"type\":\"x509\"", "\"type\":\"X509\"")).get(0).contains("is not one of"));
        assertTrue(check(OK.replace("clientCertificates", "clientCertificate")).contains(
                "$.enrollments[0].attestation.x509.clientCertificate: not a property of the definition"));
        assertTrue(check(OK.replace("\"secondary\"", "\"tertiary\"")).get(0).contains("tertiary: not a property"));
        assertTrue(check(OK.replace("\"certificate\":\"P\"", "\"certificate\":1")).get(0).contains("not a string"));
        assertTrue(check(OK.replace("dev-1", "Dev-1")).get(0).contains("registrationId"));
        assertTrue(check(OK.replace("\"registrationId\"", "\"registrationState\":{},\"registrationId\"")).contains(
                "$.enrollments[0].registrationState: read-only (set by the service)"));
        assertTrue(check(OK.replace("{\"certificate\":\"S\"}", "{\"certificate\":\"S\",\"info\":{}}")).contains(
                "$.enrollments[0].attestation.x509.clientCertificates.secondary.info: required property 'subjectName'"
                        + " is missing"));
        assertTrue(check(OK.replace("\"registrationId\"", "\"capabilities\":{},\"registrationId\"")).contains(
                "$.enrollments[0].capabilities: required property 'iotEdge' is missing"));
        StringBuilder eleven = new StringBuilder("{\"mode\":\"create\",\"enrollments\":[");
        for (int i = 0; i < 11; i++) {
            eleven.append(i == 0 ? "" : ",").append("{\"registrationId\":\"d").append(i)
                    .append("\",\"attestation\":{\"type\":\"x509\"}}");
        }
        assertEquals(List.of("$.enrollments: 11 items; the operation takes at most 10"),
                check(eleven.append("]}").toString()));
    }

    @Test
    void oneEnrollmentAndAQueryAreCheckedAlone() throws Exception {
        JsonNode enrollment = JSON.readTree(OK).get("enrollments").get(0);
        assertEquals(List.of(), DpsBulkSchema.enrollmentViolations(enrollment));
        assertEquals(List.of("$.attestation: required property 'type' is missing"), DpsBulkSchema.enrollmentViolations(
                JSON.readTree(enrollment.toString().replace("\"type\":\"x509\",", ""))));
        assertEquals(List.of(), DpsBulkSchema.queryViolations(JSON.readTree("{\"query\":\"*\"}")));
        assertEquals(List.of("$.query: not a string"), DpsBulkSchema.queryViolations(JSON.readTree("{\"query\":1}")));
        assertTrue(DpsBulkSchema.queryViolations(JSON.readTree("{\"q\":\"*\"}")).contains(
                "$: required property 'query' is missing"));
    }

    @Test
    void theEnrollmentWritersCreateBodiesConform() throws Exception {
        try (StagedOutput out = StagedOutput.open(tmp.resolve("out"))) {
            EnrollmentWriter w = new EnrollmentWriter(out, "dps", "rg");
            for (int i = 0; i < 12; i++) {
                w.add("dev-" + i, "dev-" + i + ".pem", "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n");
            }
            w.close();
            out.publish();
        }
        for (String name : new String[] {EnrollmentWriter.bulkFileName(1), EnrollmentWriter.bulkFileName(2)}) {
            JsonNode body = JSON.readTree(Files.readString(tmp.resolve("out").resolve(name)));
            assertEquals(List.of(), DpsBulkSchema.violations(body), name);
        }
    }
}
