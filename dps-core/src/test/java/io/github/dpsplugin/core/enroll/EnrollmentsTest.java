package io.github.dpsplugin.core.enroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class EnrollmentsTest {

    /** An enrollment as a DPS GET returns it: certificate info, settings, read-only fields and a field from the future. */
    static ObjectNode asRead(String id, String primarySha256, String secondarySha256) throws Exception {
        String secondary = secondarySha256 == null ? "" : ", \"secondary\": {\"info\": " + info(secondarySha256) + "}";
        return (ObjectNode) DpsClient.READER.readTree("{\"registrationId\": \"" + id + "\", \"deviceId\": \"kitchen-1\","
                + " \"etag\": \"\\\"W/0x8D-opaque==\\\"\","
                + " \"attestation\": {\"type\": \"x509\", \"x509\": {\"clientCertificates\": {\"primary\": {\"info\": "
                + info(primarySha256) + "}" + secondary + "}}},"
                + " \"initialTwin\": {\"tags\": {\"site\": \"hall 7\"}, \"properties\": {\"desired\": {\"rate\": 0.10"
                + "000000000000000000001}}},"
                + " \"iotHubs\": [\"a.azure-devices.net\"], \"allocationPolicy\": \"custom\","
                + " \"customAllocationDefinition\": {\"webhookUrl\": \"https://f/x\", \"apiVersion\": \"2021-10-01\"},"
                + " \"reprovisionPolicy\": {\"updateHubAssignment\": false, \"migrateDeviceData\": true},"
                + " \"capabilities\": {\"iotEdge\": true}, \"provisioningStatus\": \"disabled\","
                + " \"optionalDeviceInformation\": {\"model\": \"AZ3166\"}, \"futureField\": {\"x\": [1, 2]},"
                + " \"registrationState\": {\"status\": \"assigned\"}, \"createdDateTimeUtc\": \"2026-01-01T00:00:00Z\","
                + " \"lastUpdatedDateTimeUtc\": \"2026-01-02T00:00:00Z\"}");
    }

    static String info(String sha256) {
        return "{\"subjectName\": \"CN=x\", \"sha1Thumbprint\": \"AA\", \"sha256Thumbprint\": \"" + sha256 + "\","
                + " \"issuerName\": \"CN=y\", \"notBeforeUtc\": \"2017-01-01T00:00:00Z\", \"notAfterUtc\":"
                + " \"2037-01-01T00:00:00Z\", \"serialNumber\": \"01\", \"version\": 3}";
    }

    @Test
    void anUpdateChangesTheClientCertificatesOnly() throws Exception {
        ObjectNode read = asRead("dev-1", "AB:CD", "EF");
        ObjectNode written = Enrollments.withCertificates(read, "PEM-NEW", null, true);
        assertEquals("PEM-NEW", written.at("/attestation/x509/clientCertificates/primary/certificate").asText());
        assertTrue(written.at("/attestation/x509/clientCertificates/primary/info").isMissingNode());
        // the kept slot goes back with its info: the service keeps its stored certificate
        assertEquals(read.at("/attestation/x509/clientCertificates/secondary"),
                written.at("/attestation/x509/clientCertificates/secondary"));
        ObjectNode expected = read.deepCopy();
        expected.remove(Enrollments.readOnly());
        ((ObjectNode) expected.at("/attestation/x509")).remove("clientCertificates");
        ObjectNode actual = written.deepCopy();
        ((ObjectNode) actual.at("/attestation/x509")).remove("clientCertificates");
        assertEquals(expected, actual);
        assertEquals("\"W/0x8D-opaque==\"", written.get("etag").asText());
        assertEquals("0.10000000000000000000001", written.at("/initialTwin/properties/desired/rate").toString());
        assertTrue(read.has("registrationState"), "the read tree itself is not changed");
    }

    @Test
    void secondaryCanBeSetOrDropped() throws Exception {
        ObjectNode read = asRead("dev-1", "AB", "EF");
        JsonNode set = Enrollments.withCertificates(read, "P", "S", false).at("/attestation/x509/clientCertificates");
        assertEquals("S", set.at("/secondary/certificate").asText());
        JsonNode dropped = Enrollments.withCertificates(read, "P", null, false).at("/attestation/x509/clientCertificates");
        assertFalse(dropped.has("secondary"));
    }

    @Test
    void aNewIdCarriesTheOldSettings() throws Exception {
        ObjectNode old = asRead("old-id", "AB", null);
        ObjectNode e = Enrollments.carried(old, "new-id", "PEM");
        assertEquals("new-id", e.get("registrationId").asText());
        assertNull(e.get("etag"));
        assertEquals(old.get("initialTwin"), e.get("initialTwin"));
        assertEquals(old.get("futureField"), e.get("futureField"));
        assertEquals("kitchen-1", e.get("deviceId").asText());
        assertEquals("disabled", e.get("provisioningStatus").asText());
        assertFalse(e.has("registrationState"));
        assertEquals("PEM", e.at("/attestation/x509/clientCertificates/primary/certificate").asText());
    }

    @Test
    void aDeviceIdThatIsTheOldRegistrationIdIsNotCarried() throws Exception {
        ObjectNode old = asRead("old-id", "AB", null);
        old.put("deviceId", "old-id");
        ObjectNode e = Enrollments.carried(old, "new-id", "PEM");
        assertFalse(e.has("deviceId"), e.toString());
        assertEquals(old.get("initialTwin"), e.get("initialTwin"));
    }

    @Test
    void thumbprintsMatchIgnoringCaseAndColons() throws Exception {
        ObjectNode read = asRead("dev-1", "AB:CD:EF", null);
        assertTrue(Enrollments.slot(read, "primary").matches(null, "abcdef"));
        assertFalse(Enrollments.slot(read, "primary").matches(null, "abcdee"));
        assertNull(Enrollments.slot(read, "secondary"));
    }
}
