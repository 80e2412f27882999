package io.github.dpsplugin.core.enroll;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.enroll.Action.Kind;
import io.github.dpsplugin.core.enroll.Action.Secondary;
import io.github.dpsplugin.core.enroll.Enrollments.Thumbprints;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends the plan's writes for one batch of up to ten enrollments: one bulk operation, then, only
 * for the items it reports failed, one device at a time: read the enrollment again, decide again,
 * PUT (or DELETE) with {@code If-Match}; on 412 once more; then the device fails, by name.
 * Each write is one request on one enrollment, so no enrollment is left half-changed.
 */
final class Writes {

    /** One action with what it sends. */
    record Item(Action action, String primaryPem, String secondaryPem, ObjectNode body) {
    }

    private final DpsClient client;
    private final EnrollListener log;
    final Queue<String> done = new ConcurrentLinkedQueue<>();
    final Queue<String> failed = new ConcurrentLinkedQueue<>();
    final AtomicInteger fallbacks = new AtomicInteger();

    Writes(DpsClient client, EnrollListener log) {
        this.client = client;
        this.log = log;
    }

    /** The body an action sends in a bulk operation. */
    static ObjectNode body(Action a, String primaryPem, String secondaryPem) {
        ObjectNode read = a.read() == null ? null : (ObjectNode) Json.tree(a.read());
        return switch (a.kind()) {
            case CREATE -> read == null ? Enrollments.fresh(a.id(), primaryPem, secondaryPem)
                    : Enrollments.carried(read, a.id(), primaryPem);
            case UPDATE -> Enrollments.withCertificates(read, primaryPem, secondaryPem, a.secondary() == Secondary.KEEP);
            case DELETE -> Enrollments.forWrite(read);
        };
    }

    /** Sends one batch (all of one kind); failures of single devices are recorded, not thrown. */
    void batch(Kind kind, List<Item> items) {
        List<ObjectNode> bodies = new ArrayList<>(items.size());
        items.forEach(i -> bodies.add(i.body()));
        Map<String, String> bulkFailed = client.bulk(kind.bulkMode, bodies);
        for (Item i : items) {
            String status = bulkFailed.get(i.action().id());
            if (status == null) {
                finished(i, "bulk " + kind.bulkMode);
                continue;
            }
            fallbacks.incrementAndGet();
            log.debug("device " + i.action().device().label() + ": bulk " + kind.bulkMode + " of "
                    + DpsException.quote(i.action().id()) + " failed (" + status + "); writing it on its own");
            try {
                single(i);
                finished(i, "single " + kind.name().toLowerCase(java.util.Locale.ROOT));
            } catch (DpsException e) {
                if (e.field().equals(client.field())) {
                    throw e; // the service or the credentials, not this device
                }
                failed.add(e.getMessage());
            }
        }
    }

    private void finished(Item i, String how) {
        done.add(i.action().id());
        log.debug("device " + i.action().device().label() + ": " + DpsException.quote(i.action().id()) + " "
                + i.action().kind().name().toLowerCase(java.util.Locale.ROOT) + "d (" + how + "; "
                + i.action().reason() + ")");
    }

    /** One device's write on its own: read, decide, write with If-Match; a 412 is retried once. */
    private void single(Item i) {
        Action a = i.action();
        int status = 0;
        for (int attempt = 0; attempt < 2; attempt++) {
            Optional<DpsClient.Read> now = client.get(a.id());
            if (a.kind() == Kind.DELETE) {
                if (now.isEmpty()) {
                    return;
                }
                Thumbprints p = Enrollments.slot(now.get().enrollment(), "primary");
                if (p == null || !p.matches(a.device().previousSha1(), a.device().previousSha256())) {
                    throw new DpsException("enrollment", Planner.refusal(a.device()));
                }
                status = client.delete(a.id(), now.get().etag());
                if (status == 200 || status == 204 || status == 404) {
                    return;
                }
            } else if (now.isEmpty()) {
                ObjectNode body = i.body().deepCopy();
                body.remove("etag");
                status = client.put(a.id(), body, null);
                if (status == 200 || status == 201) {
                    return;
                }
            } else {
                ObjectNode read = now.get().enrollment();
                if (satisfied(a, read)) {
                    return;
                }
                ObjectNode body = Enrollments.withCertificates(read, i.primaryPem(), i.secondaryPem(),
                        a.secondary() == Secondary.KEEP);
                status = client.put(a.id(), body, now.get().etag());
                if (status == 200 || status == 201) {
                    return;
                }
            }
            if (status != 412 && status != 409 && status != 404) {
                break;
            }
        }
        String why = status == 412 ? "changed while it was written (If-Match failed twice); run enroll again"
                : "was refused by DPS (HTTP " + status + ")";
        throw new DpsException("enrollment", "enrollment " + DpsException.quote(a.id()) + " " + why).forDevice(
                a.device().label());
    }

    /** Whether an enrollment as read already holds what the action would write. */
    static boolean satisfied(Action a, ObjectNode read) {
        Thumbprints primary = Enrollments.slot(read, "primary");
        if (primary == null || !primary.matches(a.device().sha1(), a.device().sha256())) {
            return false;
        }
        Thumbprints secondary = Enrollments.slot(read, "secondary");
        return switch (a.secondary()) {
            case KEEP -> true;
            case NONE -> secondary == null;
            case PREVIOUS -> secondary != null && secondary.matches(a.device().previousSha1(),
                    a.device().previousSha256());
        };
    }
}
