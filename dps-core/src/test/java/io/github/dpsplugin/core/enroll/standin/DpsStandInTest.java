package io.github.dpsplugin.core.enroll.standin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The stand-in enforces the service contract it claims to: each refusal, and the happy paths. */
class DpsStandInTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PEM_A = StandInCertificates.selfSignedPem("device-a");
    static final String PEM_B = StandInCertificates.selfSignedPem("device-b");
    static DpsStandIn dps;
    static StandInClient client;

    @BeforeAll
    static void start() {
        dps = DpsStandIn.start();
        client = new StandInClient(dps);
    }

    @AfterAll
    static void stop() {
        dps.close();
    }

    static ObjectNode enrollment(String id, String primaryPem) {
        ObjectNode e = JSON.createObjectNode();
        e.put("registrationId", id);
        e.putObject("attestation").put("type", "x509").putObject("x509").putObject("clientCertificates")
                .putObject("primary").put("certificate", primaryPem);
        return e;
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }

    static String sha256(String pem) throws Exception {
        return HexFormat.of().withUpperCase().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(CertificateSlots.parse(pem, "test").getEncoded()));
    }

    @Test
    void putStoresThePemAndAnswersWithInfoOnly() throws Exception {
        HttpResponse<String> put = client.call("PUT", "/enrollments/put-1", enrollment("put-1", PEM_A).toString());
        assertEquals(200, put.statusCode(), put.body());
        JsonNode body = json(put);
        assertEquals(body.get("etag").asText(), put.headers().firstValue("ETag").orElseThrow());
        JsonNode info = body.at("/attestation/x509/clientCertificates/primary/info");
        assertEquals(sha256(PEM_A), info.get("sha256Thumbprint").asText());
        assertEquals(40, info.get("sha1Thumbprint").asText().length());
        assertEquals("CN=device-a", info.get("subjectName").asText());
        assertEquals(3, info.get("version").asInt());
        assertEquals("enabled", body.get("provisioningStatus").asText());
        assertTrue(body.has("createdDateTimeUtc") && body.has("lastUpdatedDateTimeUtc"));

        HttpResponse<String> get = client.call("GET", "/enrollments/put-1", null);
        assertEquals(200, get.statusCode());
        assertFalse(get.body().contains("BEGIN CERTIFICATE"), get.body());
        assertFalse(json(get).at("/attestation/x509/clientCertificates/primary").has("certificate"));
        assertEquals(put.headers().firstValue("ETag"), get.headers().firstValue("ETag"));
        assertEquals(PEM_A, dps.storedPrimaryPem("put-1").orElseThrow());
        assertEquals(200, client.call("GET", "/enrollments/PUT-1", null).statusCode());
        HttpResponse<String> absent = client.call("GET", "/enrollments/absent", null);
        assertEquals(404, absent.statusCode());
        assertEquals(json(absent).get("errorCode").asText(), absent.headers().firstValue("x-ms-error-code").orElseThrow());
    }

    @Test
    void aSignatureMustBeMadeWithThePolicyKeyForThisHostAndExpireSoon() throws Exception {
        long now = Instant.now().getEpochSecond();
        String wrongKey = dps.connectionStringWithWrongKey().replaceFirst(".*SharedAccessKey=", "");
        List<String> refused = List.of(
                StandInClient.sas(dps.hostName(), DpsStandIn.POLICY, wrongKey, now + 600),
                StandInClient.sas(dps.hostName(), DpsStandIn.POLICY, dps.key(), now - 5),
                StandInClient.sas(dps.hostName(), DpsStandIn.POLICY, dps.key(), now + 86_400),
                StandInClient.sas(dps.hostName(), "registrationstatusread", dps.key(), now + 600),
                StandInClient.sas("other.azure-devices-provisioning.net", DpsStandIn.POLICY, dps.key(), now + 600),
                StandInClient.sas(dps.hostName(), DpsStandIn.POLICY, dps.key(), now + 600).replace("&se=" + (now + 600),
                        "&se=" + (now + 601)),
                "Bearer abc");
        for (String auth : refused) {
            HttpResponse<String> r = client.call("GET", "/enrollments/x", null, "Authorization", auth);
            assertEquals(401, r.statusCode(), auth);
            assertFalse(r.body().contains(dps.key()));
        }
        assertEquals(404, client.call("GET", "/enrollments/x", null).statusCode());
    }

    @Test
    void codeOnTheJvmsDefaultSslContextReachesItOnceThatTrustsTheStandIn() throws Exception {
        HttpRequest get = HttpRequest.newBuilder(URI.create("https://" + dps.hostName() + "/enrollments/x")).build();
        assertThrows(SSLHandshakeException.class,
                () -> HttpClient.newHttpClient().send(get, HttpResponse.BodyHandlers.discarding()));
        SSLContext previous = SSLContext.getDefault();
        try {
            SSLContext.setDefault(dps.clientSslContextWithJvmDefaults());
            assertEquals(401, HttpClient.newHttpClient().send(get, HttpResponse.BodyHandlers.discarding()).statusCode());
        } finally {
            SSLContext.setDefault(previous);
        }
    }

    @Test
    void everyCallNeedsAKnownApiVersion() throws Exception {
        assertEquals(400, client.send("GET", "/enrollments/x", null).statusCode());
        assertEquals(400, client.send("GET", "/enrollments/x?api-version=2020-01", null).statusCode());
        assertEquals(400, client.send("GET", "/enrollments/x?api-version=2016-01-01", null).statusCode());
        assertEquals(404, client.send("GET", "/enrollments/x?api-version=2021-10-01", null).statusCode());
        assertEquals(404, client.send("GET", "/enrollments/x?api-version=2026-01-01-preview", null).statusCode());
    }

    @Test
    void bodiesMustConformToTheDefinitions() throws Exception {
        ObjectNode typo = enrollment("bad-1", PEM_A);
        typo.put("provisioningstatus", "enabled");
        HttpResponse<String> r = client.call("PUT", "/enrollments/bad-1", typo.toString());
        assertEquals(400, r.statusCode());
        assertTrue(r.body().contains("$.provisioningstatus: not a property"), r.body());

        ObjectNode readOnly = enrollment("bad-1", PEM_A);
        readOnly.put("createdDateTimeUtc", "2026-01-01T00:00:00Z");
        assertEquals(400, client.call("PUT", "/enrollments/bad-1", readOnly.toString()).statusCode());
        ObjectNode notPem = enrollment("bad-1", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        assertEquals(400, client.call("PUT", "/enrollments/bad-1", notPem.toString()).statusCode());
        assertEquals(400, client.call("PUT", "/enrollments/other", enrollment("bad-1", PEM_A).toString())
                .statusCode());
        assertEquals(400, client.call("PUT", "/enrollments/bad-1", "{\"registrationId\":").statusCode());
        assertEquals(415, client.call("PUT", "/enrollments/bad-1", enrollment("bad-1", PEM_A).toString(),
                "Content-Type", "text/plain").statusCode());
        assertTrue(dps.stored("bad-1").isEmpty());
    }

    @Test
    void aStaleIfMatchIsRefused() throws Exception {
        String first = dps.seed(enrollment("etag-1", PEM_A));
        HttpResponse<String> update = client.call("PUT", "/enrollments/etag-1", enrollment("etag-1", PEM_B)
                .toString(), "If-Match", first);
        assertEquals(200, update.statusCode(), update.body());
        String second = update.headers().firstValue("ETag").orElseThrow();
        assertNotEquals(first, second);
        assertEquals(412, client.call("PUT", "/enrollments/etag-1", enrollment("etag-1", PEM_A).toString(),
                "If-Match", first).statusCode());
        assertEquals(PEM_B, dps.storedPrimaryPem("etag-1").orElseThrow());
        assertEquals(412, client.call("DELETE", "/enrollments/etag-1", null, "If-Match", first).statusCode());
        assertEquals(204, client.call("DELETE", "/enrollments/etag-1", null, "If-Match", second).statusCode());
        assertEquals(404, client.call("DELETE", "/enrollments/etag-1", null).statusCode());
        assertEquals(412, client.call("PUT", "/enrollments/etag-1", enrollment("etag-1", PEM_A).toString(),
                "If-Match", second).statusCode());
        assertEquals(412, client.call("PUT", "/enrollments/etag-1", enrollment("etag-1", PEM_A).toString(),
                "If-Match", "*").statusCode());
        assertEquals(200, client.call("PUT", "/enrollments/etag-1", enrollment("etag-1", PEM_A).toString())
                .statusCode());
        assertEquals(200, client.call("PUT", "/enrollments/etag-1", enrollment("etag-1", PEM_B).toString(),
                "If-Match", "*").statusCode());
    }

    @Test
    void aSlotWithInfoOnlyKeepsTheStoredCertificate() throws Exception {
        dps.seed(enrollment("info-1", PEM_A));
        ObjectNode read = dps.stored("info-1").orElseThrow();
        ObjectNode back = JSON.createObjectNode();
        back.put("registrationId", "info-1");
        back.set("attestation", read.get("attestation").deepCopy());
        ((ObjectNode) back.at("/attestation/x509/clientCertificates")).putObject("secondary").put("certificate", PEM_B);
        HttpResponse<String> r = client.call("PUT", "/enrollments/info-1", back.toString(), "If-Match",
                read.get("etag").asText());
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(PEM_A, dps.storedPrimaryPem("info-1").orElseThrow());
        assertEquals(PEM_B, dps.storedSecondaryPem("info-1").orElseThrow());

        ((ObjectNode) back.at("/attestation/x509/clientCertificates/primary/info")).put("sha256Thumbprint", sha256(PEM_B));
        back.remove("etag");
        HttpResponse<String> wrong = client.call("PUT", "/enrollments/info-1", back.toString());
        assertEquals(400, wrong.statusCode());
        assertTrue(wrong.body().contains("primary.info.sha256Thumbprint"), wrong.body());
        assertEquals(PEM_A, dps.storedPrimaryPem("info-1").orElseThrow());
    }

    @Test
    void bulkOperationsFollowTheirMode() throws Exception {
        StringBuilder eleven = new StringBuilder("{\"mode\":\"create\",\"enrollments\":[");
        for (int i = 0; i < 11; i++) {
            eleven.append(i == 0 ? "" : ",").append(enrollment("bulk-x" + i, PEM_A));
        }
        assertEquals(400, client.call("POST", "/enrollments", eleven.append("]}").toString()).statusCode());
        assertTrue(dps.stored("bulk-x0").isEmpty());

        String oldEtag = dps.seed(enrollment("bulk-2", PEM_A));
        HttpResponse<String> create = client.call("POST", "/enrollments", "{\"mode\":\"create\",\"enrollments\":["
                + enrollment("bulk-1", PEM_A) + "," + enrollment("bulk-2", PEM_B) + "]}");
        assertEquals(200, create.statusCode(), create.body());
        JsonNode result = json(create);
        assertFalse(result.get("isSuccessful").asBoolean());
        assertEquals(1, result.get("errors").size());
        assertEquals("bulk-2", result.at("/errors/0/registrationId").asText());
        assertEquals(409, result.at("/errors/0/errorCode").asInt() / 1000);
        assertEquals(PEM_A, dps.storedPrimaryPem("bulk-1").orElseThrow());
        assertEquals(PEM_A, dps.storedPrimaryPem("bulk-2").orElseThrow());

        dps.seed(enrollment("bulk-2", PEM_A));
        ObjectNode stale = enrollment("bulk-2", PEM_B).put("etag", oldEtag);
        ObjectNode fresh = enrollment("bulk-1", PEM_B).put("etag", dps.storedEtag("bulk-1").orElseThrow());
        JsonNode ifMatch = json(client.call("POST", "/enrollments", "{\"mode\":\"updateIfMatchETag\",\"enrollments\":["
                + stale + "," + fresh + "]}"));
        assertEquals(List.of("bulk-2"), List.of(ifMatch.at("/errors/0/registrationId").asText()));
        assertEquals(412, ifMatch.at("/errors/0/errorCode").asInt() / 1000);
        assertEquals(PEM_B, dps.storedPrimaryPem("bulk-1").orElseThrow());
        assertEquals(PEM_A, dps.storedPrimaryPem("bulk-2").orElseThrow());

        JsonNode delete = json(client.call("POST", "/enrollments", "{\"mode\":\"delete\",\"enrollments\":["
                + enrollment("bulk-1", PEM_B) + "," + enrollment("bulk-2", PEM_A) + "]}"));
        assertTrue(delete.get("isSuccessful").asBoolean(), delete.toString());
        assertTrue(dps.stored("bulk-1").isEmpty() && dps.stored("bulk-2").isEmpty());
    }

    @Test
    void theQueryPagesThroughEveryEnrollmentInOrder() throws Exception {
        try (DpsStandIn own = DpsStandIn.start()) {
            StandInClient c = new StandInClient(own);
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 23; i++) {
                String id = String.format("q-%03d", i);
                own.seed(enrollment(id, PEM_A));
                expected.add(id);
            }
            List<String> seen = new ArrayList<>();
            String continuation = null;
            int pages = 0;
            do {
                HttpResponse<String> r = continuation == null
                        ? c.call("POST", "/enrollments/query", "{\"query\":\"*\"}", "x-ms-max-item-count", "5")
                        : c.call("POST", "/enrollments/query", "{\"query\":\"*\"}", "x-ms-max-item-count", "5",
                                "x-ms-continuation", continuation);
                assertEquals(200, r.statusCode(), r.body());
                assertFalse(r.body().contains("BEGIN CERTIFICATE"));
                for (JsonNode e : json(r)) {
                    seen.add(e.get("registrationId").asText());
                }
                continuation = r.headers().firstValue("x-ms-continuation").orElse(null);
                pages++;
            } while (continuation != null && pages < 10);
            assertEquals(expected, seen);
            assertEquals(5, pages);
            assertEquals(400, c.call("POST", "/enrollments/query", "{\"query\":\"*\"}", "x-ms-continuation", "q-003")
                    .statusCode());
            assertEquals(400, c.call("POST", "/enrollments/query", "{\"query\":\"*\"}", "x-ms-max-item-count", "0")
                    .statusCode());
            assertEquals(400, c.call("POST", "/enrollments/query", "{\"querry\":\"*\"}").statusCode());
        }
    }

    @Test
    void newerFieldsGoBackAndForthButInventedOnesAreRefused() throws Exception {
        ObjectNode seeded = enrollment("future-1", PEM_A);
        seeded.putObject("initialTwin").putObject("tags").put("site", "berlin");
        seeded.put("credentialPolicyName", "policy-1");
        seeded.putObject("registrationState").put("registrationId", "future-1").put("status", "assigned");
        dps.seed(seeded);
        ObjectNode read = dps.stored("future-1").orElseThrow();
        assertEquals("policy-1", read.get("credentialPolicyName").asText());
        ObjectNode back = read.deepCopy();
        HttpResponse<String> asRead = client.call("PUT", "/enrollments/future-1", back.toString());
        assertEquals(400, asRead.statusCode());
        assertTrue(asRead.body().contains("$.registrationState: read-only"), asRead.body());
        back.remove(List.of("createdDateTimeUtc", "lastUpdatedDateTimeUtc", "registrationState", "etag"));
        ((ObjectNode) back.at("/attestation/x509/clientCertificates")).putObject("primary").put("certificate", PEM_B);
        HttpResponse<String> ok = client.call("PUT", "/enrollments/future-1", back.toString(), "If-Match",
                read.get("etag").asText());
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("policy-1", json(ok).get("credentialPolicyName").asText());
        assertEquals("berlin", json(ok).at("/initialTwin/tags/site").asText());
        assertEquals("assigned", json(ok).at("/registrationState/status").asText());

        back.put("inventedField", 1);
        assertEquals(400, client.call("PUT", "/enrollments/future-1", back.toString()).statusCode());
    }

    @Test
    void aBulkUpdateCarriesNewerFieldsAndTheEnrollmentAsRead() throws Exception {
        try (DpsStandIn own = DpsStandIn.start()) {
            StandInClient c = new StandInClient(own);
            ObjectNode seeded = enrollment("bulk-future-1", PEM_A);
            seeded.put("credentialPolicyName", "policy-1");
            seeded.put("iotHubHostName", "hub-1.azure-devices.net");
            own.seed(seeded);
            ObjectNode item = own.stored("bulk-future-1").orElseThrow();
            item.remove(List.of("createdDateTimeUtc", "lastUpdatedDateTimeUtc"));
            ((ObjectNode) item.at("/attestation/x509/clientCertificates")).putObject("primary").put("certificate", PEM_B);
            JsonNode result = json(c.call("POST", "/enrollments", "{\"mode\":\"updateIfMatchETag\",\"enrollments\":["
                    + item + "]}"));
            assertTrue(result.get("isSuccessful").asBoolean(), result.toString());
            ObjectNode after = own.stored("bulk-future-1").orElseThrow();
            assertEquals("policy-1", after.get("credentialPolicyName").asText());
            assertEquals("hub-1.azure-devices.net", after.get("iotHubHostName").asText());
            assertEquals(PEM_B, own.storedPrimaryPem("bulk-future-1").orElseThrow());

            item.put("etag", after.get("etag").asText()).put("inventedField", true);
            HttpResponse<String> invented = c.call("POST", "/enrollments", "{\"mode\":\"updateIfMatchETag\","
                    + "\"enrollments\":[" + item + "]}");
            assertEquals(400, invented.statusCode());
            assertTrue(invented.body().contains("$.enrollments[0].inventedField: not a property"), invented.body());
        }
    }

    @Test
    void throttlingAndServerErrorsCanBeInjected() throws Exception {
        try (DpsStandIn own = DpsStandIn.start()) {
            StandInClient c = new StandInClient(own);
            own.throttleNext(2, 7);
            HttpResponse<String> first = c.call("GET", "/enrollments/t", null);
            assertEquals(429, first.statusCode());
            assertEquals("7", first.headers().firstValue("Retry-After").orElseThrow());
            assertEquals(429, c.call("GET", "/enrollments/t", null).statusCode());
            own.failNext(1, 503);
            assertEquals(503, c.call("PUT", "/enrollments/t", enrollment("t", PEM_A).toString()).statusCode());
            assertEquals(404, c.call("GET", "/enrollments/t", null).statusCode());
            assertEquals(List.of("GET /enrollments/t 429", "GET /enrollments/t 429", "PUT /enrollments/t 503",
                    "GET /enrollments/t 404"), own.requests());
            assertEquals(4, own.calls());
            assertEquals(1, own.writeCalls());

            own.resetCounts();
            own.quota(2, Duration.ofMinutes(1));
            assertEquals(404, c.call("GET", "/enrollments/t", null).statusCode());
            assertEquals(404, c.call("GET", "/enrollments/t", null).statusCode());
            HttpResponse<String> over = c.call("GET", "/enrollments/t", null);
            assertEquals(429, over.statusCode());
            assertTrue(Integer.parseInt(over.headers().firstValue("Retry-After").orElseThrow()) > 0);
            assertEquals(3, own.calls());
            assertEquals(0, own.writeCalls());
        }
    }

    @Test
    void aHookCanEditAnEnrollmentBetweenAClientsReadAndItsWrite() throws Exception {
        try (DpsStandIn own = DpsStandIn.start()) {
            StandInClient c = new StandInClient(own);
            own.seed(enrollment("hook-1", PEM_A));
            own.onEachRequest(line -> {
                if (line.equals("GET /enrollments/hook-1 200")) {
                    own.seed(enrollment("hook-1", PEM_B));
                }
            });
            HttpResponse<String> read = c.call("GET", "/enrollments/hook-1", null);
            assertEquals(200, read.statusCode());
            assertEquals(412, c.call("PUT", "/enrollments/hook-1", enrollment("hook-1", PEM_A).toString(),
                    "If-Match", read.headers().firstValue("ETag").orElseThrow()).statusCode());
            assertEquals(PEM_B, own.storedPrimaryPem("hook-1").orElseThrow());
        }
    }

    @Test
    void ofConcurrentWritersWithTheSameEtagExactlyOneWins() throws Exception {
        String etag = dps.seed(enrollment("race-1", PEM_A));
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 0; i < writers; i++) {
                String pem = i % 2 == 0 ? PEM_A : PEM_B;
                results.add(pool.submit(() -> {
                    go.await();
                    return client.call("PUT", "/enrollments/race-1", enrollment("race-1", pem).toString(),
                            "If-Match", etag).statusCode();
                }));
            }
            go.countDown();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : results) {
                statuses.add(f.get(60, TimeUnit.SECONDS));
            }
            assertEquals(1, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
            assertEquals(writers - 1, statuses.stream().filter(s -> s == 412).count(), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
    }
}
