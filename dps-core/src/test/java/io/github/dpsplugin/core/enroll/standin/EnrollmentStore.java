package io.github.dpsplugin.core.enroll.standin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The enrollments of the stand-in and the service's rules for changing them. Every method is
 * atomic (one lock): a request sees the store before or after another, never in between.
 */
final class EnrollmentStore {

    /** The largest page a query returns, whatever {@code x-ms-max-item-count} asks for. */
    static final int MAX_PAGE = 1000;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern UNDEFINED = Pattern.compile(
            "^\\$(?:\\.enrollments\\[\\d+\\])?((?:\\.[^\\s:\\[\\]]+)+): not a property of the definition$");
    private static final Pattern READ_ONLY = Pattern.compile("^\\$(?:\\.enrollments\\[\\d+\\])?\\.[A-Za-z]+: read-only.*");
    private static final Pattern TOKEN = Pattern.compile("^\\{\"token\":\"([A-Za-z0-9_-]*)\",\"range\":\\{\"min\":\"\","
            + "\"max\":\"FF\"}}$");

    private record Entry(ObjectNode doc, String etag) {
    }

    /** A page of a query: the enrollments as GET shows them, and the continuation, or null after the last. */
    record Page(ArrayNode items, String continuation) {
    }

    private final NavigableMap<String, Entry> entries = new TreeMap<>();
    /** Paths of properties newer than the definitions, seen in seeded enrollments: a client may send them back. */
    private final Set<String> extensionPaths = new HashSet<>();
    private final long etagSalt = new SecureRandom().nextLong();
    private long etagCounter;

    /** The schema violations a request body may not have: all but the newer properties this store has handed out. */
    synchronized List<String> refused(List<String> violations) {
        List<String> left = new ArrayList<>();
        for (String v : violations) {
            Matcher m = UNDEFINED.matcher(v);
            if (!(m.matches() && extensionPaths.contains(m.group(1)))) {
                left.add(v);
            }
        }
        return left;
    }

    synchronized String seed(ObjectNode enrollment, List<String> violations) {
        List<String> bad = new ArrayList<>();
        for (String v : violations) {
            Matcher m = UNDEFINED.matcher(v);
            if (m.matches()) {
                extensionPaths.add(m.group(1));
            } else if (!READ_ONLY.matcher(v).matches()) {
                bad.add(v);
            }
        }
        if (!bad.isEmpty()) {
            throw new IllegalArgumentException("seeded enrollment is not valid: " + bad);
        }
        String id = enrollment.get("registrationId").asText();
        return store(write(enrollment, entries.get(id), true, "$")).etag();
    }

    synchronized Optional<ObjectNode> view(String id) {
        Entry e = entries.get(id);
        return e == null ? Optional.empty() : Optional.of(view(e));
    }

    synchronized Optional<String> etag(String id) {
        Entry e = entries.get(id);
        return e == null ? Optional.empty() : Optional.of(e.etag());
    }

    synchronized Optional<String> pem(String id, String slot) {
        Entry e = entries.get(id);
        if (e == null) {
            return Optional.empty();
        }
        JsonNode s = e.doc().path("attestation").path("x509").path("clientCertificates").get(slot);
        return Optional.ofNullable(CertificateSlots.pem(s));
    }

    synchronized ObjectNode get(String id) {
        Entry e = entries.get(id);
        if (e == null) {
            throw DpsError.notFound(id);
        }
        return view(e);
    }

    synchronized ObjectNode put(String id, ObjectNode body, String ifMatch) {
        if (!id.equals(body.path("registrationId").asText())) {
            throw DpsError.badRequest("registrationId '" + body.path("registrationId").asText()
                    + "' in the body is not '" + id + "' of the path");
        }
        Entry existing = entries.get(id);
        checkIfMatch(id, existing, ifMatch);
        return view(store(write(body, existing, false, "$")));
    }

    synchronized void delete(String id, String ifMatch) {
        Entry existing = entries.get(id);
        if (existing == null) {
            throw DpsError.notFound(id);
        }
        checkIfMatch(id, existing, ifMatch);
        entries.remove(id);
    }

    /** BulkEnrollmentOperation, its body valid against the definitions: each item succeeds or fails alone. */
    synchronized ObjectNode bulk(JsonNode body) {
        String mode = body.get("mode").asText();
        JsonNode list = body.get("enrollments");
        if (list.isEmpty()) {
            throw DpsError.badRequest("$.enrollments: empty");
        }
        Set<String> ids = new HashSet<>();
        for (JsonNode item : list) {
            if (!ids.add(item.get("registrationId").asText())) {
                throw DpsError.badRequest("$.enrollments: registrationId '" + item.get("registrationId").asText()
                        + "' more than once");
            }
        }
        ArrayNode errors = NODES.arrayNode();
        for (int i = 0; i < list.size(); i++) {
            ObjectNode item = (ObjectNode) list.get(i);
            String id = item.get("registrationId").asText();
            Entry existing = entries.get(id);
            try {
                switch (mode) {
                    case "create" -> {
                        if (existing != null) {
                            throw DpsError.conflict(id);
                        }
                        store(write(item, null, false, "$.enrollments[" + i + "]"));
                    }
                    case "update" -> store(write(item, existing, false, "$.enrollments[" + i + "]"));
                    case "updateIfMatchETag" -> {
                        if (existing == null) {
                            throw DpsError.notFound(id);
                        }
                        if (!existing.etag().equals(item.path("etag").asText(null))) {
                            throw DpsError.preconditionFailed(id);
                        }
                        store(write(item, existing, false, "$.enrollments[" + i + "]"));
                    }
                    case "delete" -> {
                        if (existing == null) {
                            throw DpsError.notFound(id);
                        }
                        if (item.hasNonNull("etag") && !"*".equals(item.get("etag").asText())
                                && !existing.etag().equals(item.get("etag").asText())) {
                            throw DpsError.preconditionFailed(id);
                        }
                        entries.remove(id);
                    }
                    default -> throw DpsError.badRequest("$.mode: " + mode);
                }
            } catch (DpsError e) {
                ObjectNode error = errors.addObject();
                error.put("registrationId", id);
                error.put("errorCode", e.errorCode());
                error.put("errorStatus", e.getMessage());
            }
        }
        ObjectNode result = NODES.objectNode();
        result.put("isSuccessful", errors.isEmpty());
        result.set("errors", errors);
        return result;
    }

    /** The full listing in registration ID order, {@code max} at a time, from where the continuation left off. */
    synchronized Page query(int max, String continuation) {
        Map<String, Entry> rest = entries;
        if (continuation != null) {
            Matcher m = TOKEN.matcher(continuation);
            String after;
            try {
                after = m.matches() ? new String(Base64.getUrlDecoder().decode(m.group(1)), StandardCharsets.UTF_8) : null;
            } catch (IllegalArgumentException e) {
                after = null;
            }
            if (after == null) {
                throw DpsError.badRequest("x-ms-continuation: not a continuation token of this service");
            }
            rest = entries.tailMap(after, false);
        }
        ArrayNode items = NODES.arrayNode();
        String last = null;
        for (Map.Entry<String, Entry> e : rest.entrySet()) {
            if (items.size() == Math.min(max, MAX_PAGE)) {
                return new Page(items, "{\"token\":\"" + Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(last.getBytes(StandardCharsets.UTF_8)) + "\",\"range\":{\"min\":\"\","
                        + "\"max\":\"FF\"}}");
            }
            items.add(view(e.getValue()));
            last = e.getKey();
        }
        return new Page(items, null);
    }

    private static void checkIfMatch(String id, Entry existing, String ifMatch) {
        if (ifMatch == null || ifMatch.equals("*") && existing != null) {
            return;
        }
        if (existing == null || !existing.etag().equals(ifMatch)) {
            throw DpsError.preconditionFailed(id);
        }
    }

    private Entry store(ObjectNode doc) {
        ByteBuffer b = ByteBuffer.allocate(Long.BYTES).putLong(++etagCounter * 0x9E3779B97F4A7C15L ^ etagSalt);
        // opaque and in the service's shape: quoted base64, so a client that trims or re-quotes it fails
        Entry e = new Entry(doc, "\"" + Base64.getEncoder().encodeToString(b.array()) + "\"");
        entries.put(doc.get("registrationId").asText(), e);
        return e;
    }

    /** The stored document for a body: service fields set, certificates parsed or kept, the body's etag dropped. */
    private static ObjectNode write(ObjectNode body, Entry existing, boolean seeding, String at) {
        ObjectNode doc = body.deepCopy();
        doc.remove("etag");
        String now = Instant.now().toString();
        if (existing != null) {
            doc.set("createdDateTimeUtc", existing.doc().get("createdDateTimeUtc"));
            if (!seeding && existing.doc().has("registrationState")) {
                doc.set("registrationState", existing.doc().get("registrationState"));
            }
        } else if (!(seeding && doc.has("createdDateTimeUtc"))) {
            doc.put("createdDateTimeUtc", now);
        }
        if (!(seeding && doc.has("lastUpdatedDateTimeUtc"))) {
            doc.put("lastUpdatedDateTimeUtc", now);
        }
        if (!doc.has("provisioningStatus")) {
            doc.put("provisioningStatus", "enabled");
        }
        if (!doc.has("capabilities")) {
            doc.putObject("capabilities").put("iotEdge", false);
        }
        if (!doc.has("reprovisionPolicy")) {
            doc.putObject("reprovisionPolicy").put("updateHubAssignment", true).put("migrateDeviceData", true);
        }
        ObjectNode a = (ObjectNode) doc.get("attestation");
        String type = a.get("type").asText();
        if (!type.equals("none") && !a.hasNonNull(type)) {
            throw DpsError.badRequest(at + ".attestation." + type + ": required for attestation type '" + type + "'");
        }
        if (type.equals("x509")) {
            JsonNode x = a.get("x509");
            if (x.has("signingCertificates")) {
                throw DpsError.badRequest(at + ".attestation.x509.signingCertificates: for enrollment groups only");
            }
            JsonNode certs = x.get("clientCertificates");
            if (certs == null && !x.has("caReferences")) {
                throw DpsError.badRequest(at + ".attestation.x509: neither clientCertificates nor caReferences");
            }
            if (certs != null) {
                if (!certs.hasNonNull("primary")) {
                    throw DpsError.badRequest(at + ".attestation.x509.clientCertificates.primary: required");
                }
                JsonNode stored = existing == null ? null
                        : existing.doc().path("attestation").path("x509").path("clientCertificates");
                ObjectNode kept = NODES.objectNode();
                for (String slot : CertificateSlots.CLIENT_SLOTS) {
                    if (certs.hasNonNull(slot)) {
                        kept.set(slot, CertificateSlots.accept(certs.get(slot), stored == null ? null : stored.get(slot),
                                at + ".attestation.x509.clientCertificates." + slot));
                    }
                }
                ((ObjectNode) x).set("clientCertificates", kept);
            }
        }
        return doc;
    }

    private static ObjectNode view(Entry e) {
        ObjectNode v = e.doc().deepCopy();
        JsonNode certs = v.path("attestation").path("x509").get("clientCertificates");
        if (certs instanceof ObjectNode slots) {
            for (String slot : CertificateSlots.CLIENT_SLOTS) {
                if (slots.has(slot)) {
                    slots.set(slot, CertificateSlots.view(slots.get(slot)));
                }
            }
        }
        v.put("etag", e.etag());
        return v;
    }
}
