package io.github.dpsplugin.core.enroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.common.DpsException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PlannerTest {

    private static FleetDevice device(String id, String sha256) {
        return new FleetDevice(id, id + ".pem", null, sha256, null, null, null, null);
    }

    private static FleetDevice rollout(String id, String sha256, String previousId, String previousSha256) {
        return new FleetDevice(id, id + ".pem", null, sha256, previousId, id + "-previous.pem", null, previousSha256);
    }

    @Test
    void plainRunCreatesUpdatesLeavesAndNeverTouchesOthers() throws Exception {
        Planner p = new Planner(RolloutStep.NONE);
        p.device(device("a", "A1"));
        p.device(device("b", "B1"));
        p.device(device("c", "C1"));
        p.page();
        p.enrollment(EnrollmentsTest.asRead("b", "B0", null));
        p.enrollment(EnrollmentsTest.asRead("c", "C1", null));
        p.enrollment(EnrollmentsTest.asRead("foreign", "F", null));
        Plan plan = p.finish();
        assertEquals(1, plan.creates());
        assertEquals("a", plan.creates.get(0).id());
        assertEquals(1, plan.updates());
        assertEquals("b", plan.updates.get(0).id());
        assertEquals(1, plan.leaves());
        assertEquals(0, plan.deletes());
        assertEquals(1, plan.foreign());
        assertEquals(3, plan.calls(), "one page read, one bulk create, one bulk update");
    }

    @Test
    void costOfAHundredThousandDevicesAtTheDefaultQuota() {
        Planner p = new Planner(RolloutStep.NONE);
        for (int i = 0; i < 100_000; i++) {
            p.device(device("d-" + i, "S" + i));
        }
        for (int i = 0; i < 100; i++) {
            p.page();
        }
        Plan plan = p.finish();
        assertEquals(10_100, plan.calls());
        assertEquals(Duration.ofMillis(606_000), plan.timeAtDefaultQuota());
        assertTrue(plan.summary().contains("10 min 6 s"), plan.summary());
    }

    @Test
    void startKeepsIdsWithTheSecondaryAndCarriesChangedIds() throws Exception {
        Planner p = new Planner(RolloutStep.START);
        p.device(rollout("same", "N1", null, "P1"));
        p.device(rollout("new-2", "N2", "old-2", "P2"));
        p.enrollment(EnrollmentsTest.asRead("same", "P1", null));
        p.enrollment(EnrollmentsTest.asRead("old-2", "P2", null));
        Plan plan = p.finish();
        assertEquals(1, plan.updates());
        Action u = plan.updates.get(0);
        assertEquals("same-previous.pem", u.secondaryFile());
        assertEquals(Action.Secondary.PREVIOUS, u.secondary());
        assertEquals(1, plan.creates());
        Action c = plan.creates.get(0);
        assertEquals("new-2", c.id());
        assertTrue(c.read() != null, "the old enrollment's settings are carried");
        assertEquals(0, plan.deletes(), "start deletes nothing");
    }

    @Test
    void finishDeletesOnlyOldIdsStillHoldingThePreviousCertificate() throws Exception {
        Planner p = new Planner(RolloutStep.FINISH);
        p.device(rollout("same", "N1", null, "P1"));
        p.device(rollout("new-2", "N2", "old-2", "P2"));
        p.device(rollout("new-3", "N3", "old-3", "P3"));
        p.enrollment(EnrollmentsTest.asRead("same", "N1", "P1"));
        p.enrollment(EnrollmentsTest.asRead("new-2", "N2", null));
        p.enrollment(EnrollmentsTest.asRead("old-2", "P2", null));
        p.enrollment(EnrollmentsTest.asRead("new-3", "N3", null));
        p.enrollment(EnrollmentsTest.asRead("old-3", "REENROLLED", null));
        Plan plan = p.finish();
        assertEquals(1, plan.updates(), "the secondary of 'same' is removed");
        assertEquals(Action.Secondary.NONE, plan.updates.get(0).secondary());
        assertEquals(1, plan.deletes());
        assertEquals("old-2", plan.deletes.get(0).id());
        assertEquals(1, plan.refusals().size());
        assertTrue(plan.refusals().get(0).contains("'new-3' (previously 'old-3')"), plan.refusals().get(0));
    }

    @Test
    void aRolloutStepNeedsPreviousCertificates() {
        Planner p = new Planner(RolloutStep.START);
        p.device(device("a", "A"));
        DpsException e = assertThrows(DpsException.class, () -> p.checkStep("m.json"));
        assertEquals("rolloutStep", e.field());
    }

    @Test
    void aDuplicateIdIsRefused() {
        Planner p = new Planner(RolloutStep.NONE);
        p.device(device("a", "A"));
        assertThrows(DpsException.class, () -> p.device(device("a", "B")));
    }

    @Test
    void rolloutStepParses() {
        assertEquals(RolloutStep.NONE, RolloutStep.parse(null));
        assertEquals(RolloutStep.START, RolloutStep.parse("start"));
        assertEquals(RolloutStep.FINISH, RolloutStep.parse(" Finish "));
        assertEquals("rolloutStep", assertThrows(DpsException.class, () -> RolloutStep.parse("begin")).field());
    }
}
