package io.github.dpsplugin.core.enroll;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dpsplugin.core.common.DpsException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;

/**
 * DPS's service REST API for individual enrollments, on the JDK's HTTP client and Jackson's tree
 * model: an enrollment is kept as the JSON the service returned, so fields this code does not know
 * (newer api-versions) go back unchanged, and ETags are echoed as received. Every call is signed
 * with a fresh short-lived SAS token and retried per {@link Retry}; 401/403 fail at once.
 * Thread-safe.
 */
public final class DpsClient {

    /** The GA api-version the Azure CLI's azure-iot extension uses for every enrollment call. */
    public static final String API_VERSION = "2021-10-01";
    /** A SAS token's lifetime in seconds: short, and renewed for every call. */
    static final long TOKEN_LIFETIME_SECONDS = 600;
    /** Enrollments asked for per query page. */
    static final int PAGE_SIZE = 1000;

    /** Numbers (twin properties) read and written exactly, not through double. Readers and writers are immutable. */
    static final ObjectReader READER = mapper().reader();
    static final ObjectWriter WRITER = mapper().writer();

    /** A new empty JSON object. */
    static ObjectNode object() {
        return (ObjectNode) READER.createObjectNode();
    }

    private static ObjectMapper mapper() {
        return JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .nodeFactory(JsonNodeFactory.withExactBigDecimals(true)).build();
    }

    private final ConnectionString connection;
    private final HttpClient http;
    private final Retry retry;
    private final String base;
    private final AtomicLong calls = new AtomicLong();

    /** @param ssl the TLS context, or {@code null} for the JVM's default (its trust store) */
    public DpsClient(ConnectionString connection, SSLContext ssl, Retry retry) {
        this.connection = connection;
        this.retry = retry;
        this.base = "https://" + connection.hostName();
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NEVER);
        if (ssl != null) {
            b.sslContext(ssl);
        }
        this.http = b.build();
    }

    /** One answer: the status, the ETag header (or {@code null}) and the body as JSON (or {@code null}). */
    record Answer(int status, String etag, String continuation, JsonNode body) {
    }

    /** An enrollment as read: its JSON and its ETag. */
    public record Read(ObjectNode enrollment, String etag) {
    }

    /** The parameter errors about the service or the credentials name. */
    String field() {
        return connection.field();
    }

    /** How many HTTP requests were sent (retries included). */
    public long calls() {
        return calls.get();
    }

    /** Every individual enrollment of the service, page by page, each to {@code each}. */
    public void query(Consumer<ObjectNode> each) {
        query(each, () -> { });
    }

    /** As {@link #query(Consumer)}, with {@code page} run after each page read. */
    public void query(Consumer<ObjectNode> each, Runnable page) {
        String continuation = null;
        byte[] body = bytes(object().put("query", "*"));
        do {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("x-ms-max-item-count", Integer.toString(PAGE_SIZE));
            if (continuation != null) {
                headers.put("x-ms-continuation", continuation);
            }
            Answer a = send("POST", "/enrollments/query", body, headers, "reading the enrollments");
            if (a.status != 200 || a.body == null || !a.body.isArray()) {
                throw unexpected(a, "POST /enrollments/query");
            }
            page.run();
            for (JsonNode n : a.body) {
                if (n.isObject()) {
                    each.accept((ObjectNode) n);
                }
            }
            continuation = a.continuation == null || a.continuation.isEmpty() ? null : a.continuation;
        } while (continuation != null);
    }

    /**
     * One bulk operation; returns the registration IDs that failed, each with the service's error
     * code and status text (empty: all done).
     */
    public Map<String, String> bulk(String mode, List<ObjectNode> enrollments) {
        ObjectNode body = object().put("mode", mode);
        ArrayNode list = body.putArray("enrollments");
        enrollments.forEach(list::add);
        Answer a = send("POST", "/enrollments", bytes(body), Map.of(), "bulk " + mode);
        Map<String, String> failed = new LinkedHashMap<>();
        if (a.status == 200 && a.body != null && a.body.isObject()) {
            if (!a.body.path("isSuccessful").asBoolean(false)) {
                for (JsonNode e : a.body.path("errors")) {
                    failed.put(e.path("registrationId").asText(""), "error " + e.path("errorCode").asText("?") + ": "
                            + DpsException.quote(e.path("errorStatus").asText("")));
                }
                if (failed.isEmpty()) {
                    enrollments.forEach(e -> failed.put(e.path("registrationId").asText(), "no error given"));
                }
            }
            return failed;
        }
        if (a.status >= 400 && a.status < 500) {
            // the whole operation was refused (e.g. one item invalid): every item falls back to its own call
            enrollments.forEach(e -> failed.put(e.path("registrationId").asText(), "HTTP " + a.status));
            return failed;
        }
        throw unexpected(a, "POST /enrollments");
    }

    /** The enrollment {@code id}, or empty when there is none. */
    public Optional<Read> get(String id) {
        Answer a = send("GET", path(id), null, Map.of(), "reading enrollment " + id);
        if (a.status == 404) {
            return Optional.empty();
        }
        if (a.status != 200 || a.body == null || !a.body.isObject()) {
            throw unexpected(a, "GET " + path(id));
        }
        return Optional.of(new Read((ObjectNode) a.body, a.etag != null ? a.etag : a.body.path("etag").asText(null)));
    }

    /**
     * PUT {@code enrollment} with {@code If-Match: etag} ({@code null}: none, a create); returns the
     * status: 200/201 written, 412 changed meanwhile, another 4xx refused (that enrollment only).
     */
    public int put(String id, ObjectNode enrollment, String etag) {
        Map<String, String> h = etag == null ? Map.of() : Map.of("If-Match", etag);
        Answer a = send("PUT", path(id), bytes(enrollment), h, "writing enrollment " + id);
        if (a.status == 200 || a.status == 201 || a.status >= 400 && a.status < 500) {
            return a.status;
        }
        throw unexpected(a, "PUT " + path(id));
    }

    /** DELETE with {@code If-Match: etag}; returns the status (204 or 200 done, 404 gone, 412 changed, other 4xx refused). */
    public int delete(String id, String etag) {
        Map<String, String> h = etag == null ? Map.of() : Map.of("If-Match", etag);
        Answer a = send("DELETE", path(id), null, h, "deleting enrollment " + id);
        if (a.status == 200 || a.status == 204 || a.status >= 400 && a.status < 500) {
            return a.status;
        }
        throw unexpected(a, "DELETE " + path(id));
    }

    private static String path(String id) {
        return "/enrollments/" + URLEncoder.encode(id, StandardCharsets.UTF_8);
    }

    static byte[] bytes(JsonNode n) {
        try {
            return WRITER.writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree in memory always serializes
        }
    }

    /** Sends one request, retried per {@link Retry}; any answer but 401/403/429/5xx is returned. */
    Answer send(String method, String path, byte[] body, Map<String, String> headers, String what) {
        URI uri = URI.create(base + path + "?api-version=" + API_VERSION);
        int failures = 0;
        int throttled = 0;
        String lastProblem = null;
        while (true) {
            HttpRequest.Builder r = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                    .header("Authorization", connection.sasToken(
                            Instant.now().getEpochSecond() + TOKEN_LIFETIME_SECONDS))
                    .header("Accept", "application/json");
            headers.forEach(r::header);
            if (body != null) {
                r.header("Content-Type", "application/json; charset=utf-8");
                r.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
            } else {
                r.method(method, HttpRequest.BodyPublishers.noBody());
            }
            HttpResponse<byte[]> res;
            calls.incrementAndGet();
            try {
                res = http.send(r.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                lastProblem = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
                if (++failures > retry.maxFailures()) {
                    throw DpsException.environment(connection.field(), what + " at " + base + " failed "
                            + failures + " times; last: " + lastProblem, e);
                }
                pause(retry.backoff(failures));
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw DpsException.environment(connection.field(), what + " at " + base + " was interrupted", e);
            }
            int status = res.statusCode();
            if (status == 401 || status == 403) {
                throw new DpsException(connection.field(), "DPS " + base + " refused the connection string from "
                        + connection.source() + " (HTTP " + status + ") while " + what + "; check that it is the"
                        + " service's current key of shared access policy '" + connection.keyName()
                        + "' and that the policy has the Enrollment read and Enrollment write permissions");
            }
            if (status == 429) {
                if (++throttled > retry.maxThrottled()) {
                    throw DpsException.environment(connection.field(), what + ": DPS " + base
                            + " kept throttling (HTTP 429, " + throttled + " times); raise the service's"
                            + " operation quota or run again later", null);
                }
                pause(retry.retryAfter(res.headers().firstValue("Retry-After").orElse(null), throttled));
                continue;
            }
            if (status >= 500) {
                lastProblem = "HTTP " + status;
                if (++failures > retry.maxFailures()) {
                    throw DpsException.environment(connection.field(), what + " at " + base + " failed "
                            + failures + " times; last: " + lastProblem + snippet(res.body()), null);
                }
                pause(retry.backoff(failures));
                continue;
            }
            return new Answer(status, res.headers().firstValue("ETag").orElse(null),
                    res.headers().firstValue("x-ms-continuation").orElse(null), json(res.body()));
        }
    }

    private static JsonNode json(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return READER.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private DpsException unexpected(Answer a, String call) {
        return DpsException.environment(connection.field(), call + " at " + base + " answered HTTP " + a.status
                + (a.body == null ? "" : snippet(bytes(a.body))), null);
    }

    /** A short piece of an error body, as DPS's own words (it never holds the key: the key is never sent). */
    private static String snippet(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String s = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8);
        return ": " + DpsException.quote(s);
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DpsException.environment("dps", "interrupted while waiting to retry", e);
        }
    }
}
