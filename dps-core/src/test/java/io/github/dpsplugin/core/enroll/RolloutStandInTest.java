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
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A rollout from firmware a (1.3.7) to b (2.0.0) against the stand-in: explicit IDs keep their ID
 * and change certificate, MAC-derived IDs change ID. Start, then finish; settings kept and carried.
 */
class RolloutStandInTest {

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
        String key = EnrollStandInTest.key(dps.connectionString());
        log.lines.forEach(l -> assertFalse(l.contains(key), l));
        dps.close();
    }

    private EnrollRequest.Builder request(Path out, RolloutStep step) {
        return EnrollRequest.builder().outputDirectory(out).step(step).connection(ConnectionString.parse(
                dps.connectionString(), "environment variable DPS", "dpsConnectionStringEnv"))
                .ssl(dps.clientSslContext()).retry(FAST);
    }

    private static boolean holds(ObjectNode e, String slot, JsonNode device, String field) {
        Enrollments.Thumbprints t = Enrollments.slot(e, slot);
        return t != null && t.matches(null, device.get(field).asText());
    }

    @Test
    void startThenFinishKeepsAndCarriesSettingsAndRefusesAReEnrolledOldId() {
        Path a = EnrollFixture.generate(tmp.resolve("a"), false, false, true, 0);
        Path out = EnrollFixture.generate(tmp.resolve("rollout"), true, true, true, 0);
        Map<String, JsonNode> fleet = EnrollFixture.devices(out);
        String mac1 = "az-a0b1c2d3e401v2v0v0";
        String mac2 = "az-a0b1c2d3e402v2v0v0";
        String old1 = fleet.get(mac1).get("previousRegistrationId").asText();
        String old2 = fleet.get(mac2).get("previousRegistrationId").asText();
        assertEquals("az-a0b1c2d3e401v1v3v7", old1);
        // the fleet as enrolled for release 1.3.7, two of them with settings
        Enroller.run(request(a, RolloutStep.NONE).build(), log);
        dps.seed(EnrollFixture.withSettings("devkit-01", EnrollFixture.pem(a, "devkit-01")));
        dps.seed(EnrollFixture.withSettings(old1, EnrollFixture.pem(a, old1)));
        ObjectNode devkit01Before = dps.stored("devkit-01").orElseThrow();
        ObjectNode old1Before = dps.stored(old1).orElseThrow();

        EnrollResult started = Enroller.run(request(out, RolloutStep.START).build(), log);
        assertEquals(4, started.updated());
        assertEquals(4, started.created());
        ObjectNode d1 = dps.stored("devkit-01").orElseThrow();
        assertTrue(holds(d1, "primary", fleet.get("devkit-01"), "aliasThumbprintSha256"));
        assertTrue(holds(d1, "secondary", fleet.get("devkit-01"), "previousAliasThumbprintSha256"));
        assertEquals(EnrollStandInTest.settings(devkit01Before), EnrollStandInTest.settings(d1));
        ObjectNode n1 = dps.stored(mac1).orElseThrow();
        assertTrue(holds(n1, "primary", fleet.get(mac1), "aliasThumbprintSha256"));
        ObjectNode carried = EnrollStandInTest.settings(old1Before);
        carried.put("registrationId", mac1);
        assertEquals(carried, EnrollStandInTest.settings(n1), "the new ID carries the old enrollment's settings");
        assertEquals(old1Before, dps.stored(old1).orElseThrow(), "start leaves the old ID as it is");
        dps.resetCounts();
        assertEquals(8, Enroller.run(request(out, RolloutStep.START).build(), log).plan().leaves());
        assertEquals(0, dps.writeCalls());

        // someone re-enrolls mac2's old ID with another certificate
        dps.seed(EnrollFixture.withSettings(old2, EnrollFixture.pem(a, "devkit-04")));
        DpsException refused = assertThrows(DpsException.class,
                () -> Enroller.run(request(out, RolloutStep.FINISH).build(), log));
        assertTrue(refused.getMessage().contains("device '" + mac2 + "' (previously '" + old2 + "')")
                && refused.getMessage().contains("re-enrolled"), refused.getMessage());
        assertTrue(dps.stored(old2).isPresent(), "a re-enrolled old ID is not deleted");
        assertFalse(dps.stored(old1).isPresent());
        assertFalse(dps.stored("az-a0b1c2d3e403v1v3v7").isPresent());
        ObjectNode f1 = dps.stored("devkit-01").orElseThrow();
        assertTrue(holds(f1, "primary", fleet.get("devkit-01"), "aliasThumbprintSha256"));
        assertTrue(Enrollments.slot(f1, "secondary") == null, "finish removes the secondary");
        assertEquals(EnrollStandInTest.settings(devkit01Before), EnrollStandInTest.settings(f1));
        assertEquals(carried, EnrollStandInTest.settings(dps.stored(mac1).orElseThrow()));
        dps.resetCounts();
        assertThrows(DpsException.class, () -> Enroller.run(request(out, RolloutStep.FINISH).build(), log));
        assertEquals(0, dps.writeCalls(), "the rerun refuses the same device and writes nothing else");
    }
}
