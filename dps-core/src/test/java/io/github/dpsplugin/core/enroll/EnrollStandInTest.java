package io.github.dpsplugin.core.enroll;

import static io.github.dpsplugin.core.enroll.EnrollFixture.FAST;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.enroll.standin.DpsStandIn;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plain runs against the DPS stand-in: settings kept, foreign enrollments untouched, reruns and dry runs write nothing. */
class EnrollStandInTest {

    @TempDir
    Path tmp;

    DpsStandIn dps;
    final EnrollFixture.Log log = new EnrollFixture.Log();

    @BeforeEach
    void start() {
        dps = DpsStandIn.start();
    }

    @AfterEach
    void stop() {
        String key = key(dps.connectionString());
        for (String line : log.lines) {
            assertFalse(line.contains(key), line);
        }
        dps.close();
    }

    static String key(String connectionString) {
        return connectionString.substring(connectionString.indexOf("SharedAccessKey=") + "SharedAccessKey=".length());
    }

    EnrollRequest.Builder request(Path out) {
        return EnrollRequest.builder().outputDirectory(out).connection(ConnectionString.parse(dps.connectionString(),
                "environment variable DPS_CONNECTION_STRING", "dpsConnectionStringEnv")).ssl(dps.clientSslContext())
                .retry(FAST);
    }

    /** What must not change in an update: every field but the certificates and the service's own. */
    static ObjectNode settings(ObjectNode e) {
        ObjectNode s = e.deepCopy();
        s.remove(List.of("attestation", "etag", "lastUpdatedDateTimeUtc", "createdDateTimeUtc", "registrationState"));
        return s;
    }

    @Test
    void enrollsTheFleetKeepingSettingsAndForeignEnrollments() {
        Path out = EnrollFixture.generate(tmp.resolve("b"), true, false, true, 0);
        Path oldOut = EnrollFixture.generate(tmp.resolve("a"), false, false, true, 0);
        Map<String, JsonNode> fleet = EnrollFixture.devices(out);
        List<String> ids = List.copyOf(fleet.keySet());
        // devkit-01: enrolled with firmware a's certificate and every setting; devkit-02 already current
        dps.seed(EnrollFixture.withSettings("devkit-01", EnrollFixture.pem(oldOut, "devkit-01")));
        dps.seed(EnrollFixture.withSettings("devkit-02", EnrollFixture.pem(out, "devkit-02")));
        dps.seed(EnrollFixture.withSettings(ids.get(5), EnrollFixture.pem(tmp.resolve("a"),
                List.copyOf(EnrollFixture.devices(oldOut).keySet()).get(5))));
        String foreignEtag = dps.seed(EnrollFixture.withSettings("someone-elses", EnrollFixture.pem(oldOut, "devkit-03")));
        ObjectNode foreignBefore = dps.stored("someone-elses").orElseThrow();
        ObjectNode before01 = dps.stored("devkit-01").orElseThrow();
        ObjectNode beforeMac = dps.stored(ids.get(5)).orElseThrow();
        dps.resetCounts();

        EnrollResult r = Enroller.run(request(out).build(), log);

        assertEquals(8, r.plan().devices());
        assertEquals(5, r.created());
        assertEquals(2, r.updated());
        assertEquals(1, r.plan().leaves());
        assertEquals(1, r.plan().foreign());
        assertEquals(List.of(), dps.requests().stream().filter(q -> !q.endsWith(" 200") && !q.endsWith(" 204"))
                .toList(), "no request failed or was retried");
        assertEquals(3, dps.calls(), dps.requests().toString()); // one page, one bulk create, one bulk update
        for (String id : ids) {
            ObjectNode stored = dps.stored(id).orElseThrow();
            String sha256 = stored.at("/attestation/x509/clientCertificates/primary/info/sha256Thumbprint").asText();
            assertTrue(Enrollments.slot(stored, "primary").matches(null, fleet.get(id).get("aliasThumbprintSha256")
                    .asText()), id + " holds " + sha256);
            assertEquals(EnrollFixture.pem(out, id).strip(), dps.storedPrimaryPem(id).orElseThrow().strip(), id);
        }
        assertEquals(settings(before01), settings(dps.stored("devkit-01").orElseThrow()));
        assertEquals(settings(beforeMac), settings(dps.stored(ids.get(5)).orElseThrow()));
        assertEquals(foreignBefore, dps.stored("someone-elses").orElseThrow());
        assertEquals(foreignEtag, dps.stored("someone-elses").orElseThrow().get("etag").asText());

        dps.resetCounts();
        EnrollResult again = Enroller.run(request(out).build(), log);
        assertEquals(0, dps.writeCalls(), dps.requests().toString());
        assertEquals(8, again.plan().leaves());
        assertEquals(1, dps.calls());
    }

    @Test
    void aDryRunWritesNothingAndStatesThePlan() {
        Path out = EnrollFixture.generate(tmp.resolve("b"), true, false, false, 0); // certificates in the archive only
        Path oldOut = EnrollFixture.generate(tmp.resolve("a"), false, false, true, 0);
        dps.seed(EnrollFixture.withSettings("devkit-01", EnrollFixture.pem(oldOut, "devkit-01")));
        dps.resetCounts();
        EnrollResult r = Enroller.run(request(out).dryRun(true).build(), log);
        assertTrue(r.dryRun());
        assertEquals(0, dps.writeCalls());
        assertEquals(7, r.plan().creates());
        assertEquals(1, r.plan().updates());
        assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("INFO Dry run") && l.contains("7 to create, 1 to"
                + " update") && l.contains("3 DPS call(s)")), log.lines.toString());
        assertTrue(log.lines.stream().anyMatch(l -> l.startsWith("DEBUG device 'devkit-01': update")), log.lines.toString());
        // then for real, from the archive
        Enroller.run(request(out).build(), log);
        assertEquals(8, Enroller.run(request(out).build(), log).plan().leaves());
    }

    @Test
    void eightDevicesTakeAtMostTwelveCalls() {
        Path out = EnrollFixture.generate(tmp.resolve("b"), true, false, true, 0);
        dps.resetCounts();
        Enroller.run(request(out).build(), log);
        assertTrue(dps.calls() <= 12, dps.requests().toString());
        assertEquals(8, Enroller.run(request(out).build(), log).plan().leaves());
    }

    @Test
    void aWrongKeyFailsAtOnceNamingTheSourceNotTheKey() {
        Path out = EnrollFixture.generate(tmp.resolve("b"), true, false, true, 0);
        String wrong = dps.connectionStringWithWrongKey();
        dps.resetCounts();
        DpsException e = assertThrows(DpsException.class, () -> Enroller.run(EnrollRequest.builder()
                .outputDirectory(out).connection(ConnectionString.parse(wrong, "settings.xml server 'dps-prod'",
                        "dpsServerId")).ssl(dps.clientSslContext()).retry(FAST).build(), log));
        assertEquals("dpsServerId", e.field());
        assertTrue(e.getMessage().contains("settings.xml server 'dps-prod'") && e.getMessage().contains("401"),
                e.getMessage());
        assertFalse(e.getMessage().contains(key(wrong)), e.getMessage());
        assertFalse(e.getMessage().contains(key(dps.connectionString())), e.getMessage());
        assertEquals(1, dps.calls(), "a 401 is not retried");
    }

    @Test
    void aThrottlingStormAndServerErrorsAreWaitedOut() {
        Path out = EnrollFixture.generate(tmp.resolve("b"), true, false, true, 25);
        dps.resetCounts();
        dps.throttleNext(6, 1);
        long t0 = System.nanoTime();
        EnrollResult r = Enroller.run(request(out).concurrency(2).build(), log);
        assertTrue(System.nanoTime() - t0 >= 1_000_000_000L, "Retry-After was honoured");
        assertEquals(33, r.created());
        dps.failNext(3, 503);
        assertEquals(33, Enroller.run(request(out).build(), log).plan().leaves());
        assertTrue(dps.stored("extra-024").isPresent());
    }

    @Test
    void aKilledRunConvergesWhenRunAgain() {
        Path out = EnrollFixture.generate(tmp.resolve("b"), true, false, true, 22); // 30 devices: 3 bulk creates
        DpsException e = assertThrows(DpsException.class,
                () -> Enroller.run(request(out).concurrency(1).stopAfterWrites(1).build(), log));
        assertTrue(e.getMessage().contains("Done: 10 write(s); not done: 20"), e.getMessage());
        dps.resetCounts();
        EnrollResult r = Enroller.run(request(out).build(), log);
        assertEquals(20, r.created());
        assertEquals(10, r.plan().leaves());
        dps.resetCounts();
        assertEquals(30, Enroller.run(request(out).build(), log).plan().leaves());
        assertEquals(0, dps.writeCalls());
    }

    @Test
    void anEnrollmentCreatedBetweenReadAndWriteIsUpdatedKeepingItsSettings() {
        Path out = EnrollFixture.generate(tmp.resolve("b"), true, false, true, 0);
        Path oldOut = EnrollFixture.generate(tmp.resolve("a"), false, false, true, 0);
        EnrollFixture.Log racing = new EnrollFixture.Log() {
            @Override
            public void info(String message) {
                super.info(message);
                if (message.startsWith("Plan:")) {
                    // someone enrolls devkit-03 after our read: the bulk create item fails (conflict)
                    dps.seed(EnrollFixture.withSettings("devkit-03", EnrollFixture.pem(oldOut, "devkit-03")));
                }
            }
        };
        EnrollResult r = Enroller.run(request(out).build(), racing);
        assertEquals(8, r.created(), "planned as creates");
        ObjectNode stored = dps.stored("devkit-03").orElseThrow();
        assertEquals("device-of-devkit-03", stored.get("deviceId").asText(), "the other writer's settings stay");
        assertTrue(Enrollments.slot(stored, "primary").matches(null,
                EnrollFixture.devices(out).get("devkit-03").get("aliasThumbprintSha256").asText()));
        assertTrue(racing.lines.stream().anyMatch(l -> l.contains("bulk create of 'devkit-03' failed (error ")),
                racing.lines.toString());
        log.lines.addAll(racing.lines);
        assertEquals(8, Enroller.run(request(out).build(), log).plan().leaves());
    }

    @Test
    void anEnrollmentChangedBetweenReadAndWriteIsReadAgainAndKeepsTheChange() {
        Path out = EnrollFixture.generate(tmp.resolve("b"), true, false, true, 0);
        Path oldOut = EnrollFixture.generate(tmp.resolve("a"), false, false, true, 0);
        dps.seed(EnrollFixture.withSettings("devkit-01", EnrollFixture.pem(oldOut, "devkit-01")));
        EnrollFixture.Log racing = new EnrollFixture.Log() {
            @Override
            public void info(String message) {
                super.info(message);
                if (message.startsWith("Plan:")) {
                    // someone edits the twin after our read: the bulk updateIfMatchETag item fails with 412
                    ObjectNode edited = EnrollFixture.withSettings("devkit-01", EnrollFixture.pem(oldOut, "devkit-01"));
                    ((ObjectNode) edited.at("/initialTwin/tags")).put("site", "hall 8");
                    dps.seed(edited);
                }
            }
        };
        EnrollResult r = Enroller.run(request(out).build(), racing);
        assertEquals(1, r.updated());
        ObjectNode stored = dps.stored("devkit-01").orElseThrow();
        assertEquals("hall 8", stored.at("/initialTwin/tags/site").asText());
        assertTrue(Enrollments.slot(stored, "primary").matches(null,
                EnrollFixture.devices(out).get("devkit-01").get("aliasThumbprintSha256").asText()));
        assertTrue(dps.requests().stream().anyMatch(q -> q.startsWith("PUT /enrollments/devkit-01 200")),
                dps.requests().toString());
        log.lines.addAll(racing.lines);
    }
}
