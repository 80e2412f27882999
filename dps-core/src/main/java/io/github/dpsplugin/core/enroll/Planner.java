package io.github.dpsplugin.core.enroll;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.enroll.Action.Kind;
import io.github.dpsplugin.core.enroll.Action.Secondary;
import io.github.dpsplugin.core.enroll.Enrollments.Thumbprints;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Compares the output's devices with the enrollments DPS holds, one enrollment at a time as the
 * query pages arrive, and makes the {@link Plan}. It keeps the devices (public facts), the IDs seen,
 * and the JSON of only those enrollments that will be written or whose settings a new ID carries;
 * enrollments not in the output are counted, never kept.
 */
final class Planner {

    /** An old registration ID's enrollment as read, kept for a rollout. */
    private record Old(byte[] json, String etag, Thumbprints primary) {
    }

    private final RolloutStep step;
    private final Map<String, FleetDevice> devices = new LinkedHashMap<>();
    /** Rollout: previous registration ID → the device's new ID, for devices whose ID changed. */
    private final Map<String, String> oldIds = new HashMap<>();
    private final Map<String, Old> olds = new HashMap<>();
    private final Set<String> seen = new HashSet<>();
    private final Plan plan = new Plan();

    Planner(RolloutStep step) {
        this.step = step;
    }

    /** Adds one device of the output; a registration ID listed twice is an error. */
    void device(FleetDevice d) {
        if (devices.putIfAbsent(d.id(), d) != null) {
            throw new DpsException("manifest", "registration ID " + DpsException.quote(d.id()) + " is listed twice");
        }
        if (step != RolloutStep.NONE && d.previousId() != null && !d.previousId().equals(d.id())) {
            oldIds.put(d.previousId(), d.id());
        }
        plan.devices++;
    }

    /** Checks what the step needs of the output, before DPS is read. */
    void checkStep(String manifest) {
        if (step != RolloutStep.NONE && devices.values().stream().noneMatch(FleetDevice::hasPrevious)) {
            throw new DpsException("rolloutStep", "rollout step " + step.name().toLowerCase(java.util.Locale.ROOT)
                    + " needs an output generated with a previous firmware, but " + manifest + " lists no previous"
                    + " certificate; run generate with previousFirmware (or previousRelease), or enroll without"
                    + " rolloutStep");
        }
    }

    /** One enrollment DPS holds. */
    void enrollment(ObjectNode e) {
        String id = Enrollments.id(e);
        boolean ours = false;
        FleetDevice d = devices.get(id);
        if (d != null) {
            ours = true;
            seen.add(id);
            decide(d, e);
        }
        if (oldIds.containsKey(id)) {
            ours = true;
            olds.put(id, new Old(DpsClient.bytes(e), etag(e), Enrollments.slot(e, "primary")));
        }
        if (!ours) {
            plan.foreign++;
        }
    }

    /** Counts one query page read. */
    void page() {
        plan.readCalls++;
    }

    private void decide(FleetDevice d, ObjectNode e) {
        Thumbprints primary = Enrollments.slot(e, "primary");
        Thumbprints secondary = Enrollments.slot(e, "secondary");
        boolean primaryOk = primary != null && primary.matches(d.sha1(), d.sha256());
        Secondary wanted = wantedSecondary(d);
        boolean secondaryOk = switch (wanted) {
            case KEEP -> true;
            case NONE -> secondary == null;
            case PREVIOUS -> secondary != null && secondary.matches(d.previousSha1(), d.previousSha256());
        };
        if (primaryOk && secondaryOk) {
            plan.left.add(d.id());
            return;
        }
        String secondaryFile = wanted == Secondary.PREVIOUS ? d.previousFile() : null;
        Secondary how = wanted == Secondary.PREVIOUS && secondaryFile == null ? Secondary.KEEP : wanted;
        plan.updates.add(new Action(Kind.UPDATE, d.id(), d, DpsClient.bytes(e), etag(e), d.file(), secondaryFile, how,
                !primaryOk ? "primary certificate differs" : "secondary certificate differs"));
    }

    /** What the device's secondary slot must hold in this step. */
    private Secondary wantedSecondary(FleetDevice d) {
        if (step == RolloutStep.START && d.previousId() == null && d.hasPrevious()) {
            return Secondary.PREVIOUS;
        }
        if (step == RolloutStep.FINISH && d.hasPrevious()) {
            return Secondary.NONE;
        }
        return Secondary.KEEP;
    }

    /** The plan, once every enrollment was read. */
    Plan finish() {
        for (FleetDevice d : devices.values()) {
            if (seen.contains(d.id())) {
                continue;
            }
            Old old = d.previousId() == null ? null : olds.get(d.previousId());
            Secondary wanted = wantedSecondary(d);
            String secondaryFile = wanted == Secondary.PREVIOUS ? d.previousFile() : null;
            Secondary how = wanted == Secondary.PREVIOUS && secondaryFile == null ? Secondary.KEEP : wanted;
            plan.creates.add(new Action(Kind.CREATE, d.id(), d, old == null ? null : old.json, null, d.file(),
                    secondaryFile, how,
                    old == null ? "not enrolled" : "new ID; settings of " + DpsException.quote(d.previousId())));
        }
        if (step == RolloutStep.FINISH) {
            for (Map.Entry<String, String> o : oldIds.entrySet()) {
                Old old = olds.get(o.getKey());
                if (old == null) {
                    continue;
                }
                FleetDevice d = devices.get(o.getValue());
                if (old.primary != null && old.primary.matches(d.previousSha1(), d.previousSha256())) {
                    plan.deletes.add(new Action(Kind.DELETE, o.getKey(), d, old.json, old.etag, null, null,
                            Secondary.KEEP, "previous ID, holds the previous certificate"));
                } else {
                    plan.refusals.add(refusal(d));
                }
            }
            plan.deletes.sort((a, b) -> a.id().compareTo(b.id()));
            plan.refusals.sort(String::compareTo);
        }
        return plan;
    }

    static String refusal(FleetDevice d) {
        return "device " + d.label() + ": enrollment " + DpsException.quote(d.previousId()) + " does not hold the"
                + " certificate of the previous firmware this build computed; someone re-enrolled it, so it is not"
                + " deleted (delete it yourself if it is no longer wanted)";
    }

    private static String etag(ObjectNode e) {
        return e.path("etag").isTextual() ? e.get("etag").asText() : null;
    }
}
