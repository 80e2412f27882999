package io.github.dpsplugin.core.enroll.standin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.github.dpsplugin.core.output.DpsBulkSchema;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * An in-process stand-in for the Device Provisioning Service's individual enrollment API over
 * HTTPS, for tests of a client. It enforces the contract rather than accepting anything: a valid
 * shared access signature made with the policy key, a short expiry, an {@code api-version}, JSON
 * bodies valid against the service's definitions ({@link DpsBulkSchema}), ETags with
 * {@code If-Match}, at most ten enrollments per bulk operation, and it answers a GET with the
 * certificates' info, never their PEM. Throttling (429 with {@code Retry-After}), server errors
 * and a per-window quota can be injected. Thread-safe; every request is logged as
 * {@code METHOD /path status}.
 */
public final class DpsStandIn implements AutoCloseable {

    /** The policy whose key the connection strings carry. */
    public static final String POLICY = "provisioningserviceowner";
    /** The api-version the definitions were encoded from. */
    public static final String API_VERSION = "2021-10-01";

    private static final Set<String> OLDER_API_VERSIONS = Set.of("2017-11-15", "2018-04-01", "2019-03-31",
            "2021-06-01");
    private static final Pattern API_VERSION_SHAPE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}(-preview)?");
    private static final int MAX_BODY = 4 << 20;
    private static final int MAX_LOG = 200_000;
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private final Path dir;
    private final TlsIdentity tls;
    private final HttpsServer server;
    private final ExecutorService executor;
    private final String hostName;
    private final String key;
    private final String wrongKey;
    private final SasValidator sas;
    private final EnrollmentStore store = new EnrollmentStore();
    private final Faults faults = new Faults();
    private final List<String> log = new ArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger writeCalls = new AtomicInteger();
    private volatile Consumer<String> observer = line -> { };

    private DpsStandIn(int port) throws IOException {
        dir = Files.createTempDirectory("dps-stand-in");
        tls = TlsIdentity.create(dir);
        SecureRandom random = new SecureRandom();
        byte[] k = new byte[32];
        random.nextBytes(k);
        key = Base64.getEncoder().encodeToString(k);
        random.nextBytes(k);
        wrongKey = Base64.getEncoder().encodeToString(k);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(tls.serverContext()));
        hostName = "localhost:" + server.getAddress().getPort();
        sas = new SasValidator(hostName, POLICY, Base64.getDecoder().decode(key));
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "dps-stand-in-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** HTTPS on 127.0.0.1, an ephemeral port, a fresh certificate for {@code localhost} and a fresh random key. */
    public static DpsStandIn start() {
        return start(0);
    }

    /** As {@link #start()}, on the given port (0: any free one). */
    public static DpsStandIn start(int port) {
        try {
            return new DpsStandIn(port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code localhost:<port>}. */
    public String hostName() {
        return hostName;
    }

    public String connectionString() {
        return "HostName=" + hostName + ";SharedAccessKeyName=" + POLICY + ";SharedAccessKey=" + key;
    }

    /** A connection string of the right shape whose key is not this service's: every call answers 401. */
    public String connectionStringWithWrongKey() {
        return "HostName=" + hostName + ";SharedAccessKeyName=" + POLICY + ";SharedAccessKey=" + wrongKey;
    }

    /** The key of {@link #connectionString()}, base64, for tests that look for it where it must not be. */
    public String key() {
        return key;
    }

    /** Trusts the stand-in's certificate and nothing else. */
    public SSLContext clientSslContext() {
        return tls.clientContext();
    }

    /** A PKCS#12 trust store holding the stand-in's certificate (deleted by {@link #close()}). */
    public Path trustStore() {
        return tls.trustStore();
    }

    public String trustStorePassword() {
        return tls.trustStorePassword();
    }

    /**
     * Stores an enrollment as if it had been PUT, its certificate slots with PEMs; read-only fields
     * ({@code registrationState}, the dates) are kept as given, and properties newer than the
     * definitions are kept and from then on accepted back from clients. Not counted as a call.
     *
     * @return its ETag
     */
    public String seed(ObjectNode enrollment) {
        return store.seed(enrollment.deepCopy(), DpsBulkSchema.enrollmentViolations(enrollment));
    }

    /** {@link #seed(ObjectNode)} of an enrollment given as JSON text (for scripts). */
    public String seedJson(String enrollmentJson) {
        try {
            JsonNode n = JSON.readTree(enrollmentJson);
            if (!(n instanceof ObjectNode o)) {
                throw new IllegalArgumentException("not a JSON object: " + enrollmentJson);
            }
            return seed(o);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** The enrollment as a GET returns it (certificate info, no PEM), with its {@code etag}. */
    public Optional<ObjectNode> stored(String registrationId) {
        return store.view(registrationId);
    }

    public Optional<String> storedEtag(String registrationId) {
        return store.etag(registrationId);
    }

    public Optional<String> storedPrimaryPem(String registrationId) {
        return store.pem(registrationId, "primary");
    }

    public Optional<String> storedSecondaryPem(String registrationId) {
        return store.pem(registrationId, "secondary");
    }

    /** {@code METHOD /path status} of every request received, in order (the first 200 000). */
    public List<String> requests() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    /** Requests that would change enrollments (PUT, DELETE, bulk POST), answered or refused. */
    public int writeCalls() {
        return writeCalls.get();
    }

    /** Every request received, refused and throttled ones included. */
    public int calls() {
        return calls.get();
    }

    /** Zeroes the counts and empties {@link #requests()}; enrollments stay. */
    public void resetCounts() {
        synchronized (log) {
            calls.set(0);
            writeCalls.set(0);
            log.clear();
        }
    }

    /** The next {@code n} requests answer 429 with {@code Retry-After: retryAfterSeconds}. */
    public void throttleNext(int n, int retryAfterSeconds) {
        faults.throttleNext(n, retryAfterSeconds);
    }

    /** The next {@code n} requests answer {@code status} (a 5xx). */
    public void failNext(int n, int status) {
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("failNext takes a 5xx status, not " + status);
        }
        faults.failNext(n, status);
    }

    /**
     * Calls {@code hook} with each request's {@code METHOD /path status}, after the stand-in acted
     * on it and before the client gets the answer: a test can change an enrollment between a
     * client's read and its write (a concurrent edit), or count. Runs on the server's threads.
     */
    public void onEachRequest(Consumer<String> hook) {
        observer = hook == null ? line -> { } : hook;
    }

    /** At most {@code operations} requests per {@code window}; the rest answer 429 until the window ends. */
    public void quota(int operations, Duration window) {
        faults.quota(operations, window);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
            Files.deleteIfExists(tls.trustStore());
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handle(HttpExchange ex) {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        boolean write = method.equals("PUT") || method.equals("DELETE")
                || method.equals("POST") && path.equals("/enrollments");
        calls.incrementAndGet();
        if (write) {
            writeCalls.incrementAndGet();
        }
        Response r;
        try {
            r = respond(ex, method, path);
        } catch (DpsError e) {
            r = Response.error(e);
        } catch (RuntimeException e) {
            // a fault of the stand-in itself, not an injected one: loud, so a test does not take it for the service's
            e.printStackTrace();
            r = Response.error(new DpsError(500, 1, "stand-in failure: " + e));
        }
        String line = method + " " + path + " " + r.status();
        synchronized (log) {
            if (log.size() < MAX_LOG) {
                log.add(line);
            }
        }
        try {
            observer.accept(line);
        } catch (RuntimeException e) {
            r = Response.error(new DpsError(500, 2, "the test's request hook failed: " + e));
        }
        try (ex) {
            r.send(ex);
        } catch (IOException e) {
            // the client went away; nothing to tell it
        }
    }

    private Response respond(HttpExchange ex, String method, String path) throws DpsError {
        byte[] body = readBody(ex);
        Response fault = faults.next(Instant.now());
        if (fault != null) {
            return fault;
        }
        sas.check(ex.getRequestHeaders().getFirst("Authorization"), Instant.now().getEpochSecond());
        checkApiVersion(ex.getRequestURI().getRawQuery());
        String ifMatch = ex.getRequestHeaders().getFirst("If-Match");
        if (path.equals("/enrollments")) {
            requireMethod(method, "POST");
            JsonNode bulk = json(ex, body);
            refuse(DpsBulkSchema.violations(bulk));
            return Response.json(200, store.bulk(bulk), null);
        }
        if (path.equals("/enrollments/query") && method.equals("POST")) {
            JsonNode spec = json(ex, body);
            refuse(DpsBulkSchema.queryViolations(spec));
            String q = spec.get("query").asText().trim();
            if (!q.equals("*") && !q.equalsIgnoreCase("SELECT * FROM enrollments")) {
                throw DpsError.badRequest("$.query: this service answers only the full listing '*'");
            }
            int max = Math.min(maxItemCount(ex), EnrollmentStore.MAX_PAGE);
            String continuation = ex.getRequestHeaders().getFirst("x-ms-continuation");
            EnrollmentStore.Page page = store.query(max, continuation == null || continuation.isBlank() ? null
                    : continuation);
            Response r = Response.json(200, page.items(), null);
            r.headers().add(new String[] {"x-ms-item-type", "Enrollment"});
            r.headers().add(new String[] {"x-ms-max-item-count", Integer.toString(max)});
            if (page.continuation() != null) {
                r.headers().add(new String[] {"x-ms-continuation", page.continuation()});
            }
            return r;
        }
        if (path.startsWith("/enrollments/") && path.indexOf('/', "/enrollments/".length()) < 0) {
            // registration IDs are case-insensitive; the definitions allow lower case in bodies only
            String id = URLDecoder.decode(path.substring("/enrollments/".length()), StandardCharsets.UTF_8)
                    .toLowerCase(Locale.ROOT);
            switch (method) {
                case "GET" -> {
                    ObjectNode e = store.get(id);
                    return Response.json(200, e, e.get("etag").asText());
                }
                case "PUT" -> {
                    JsonNode e = json(ex, body);
                    refuse(DpsBulkSchema.enrollmentViolations(e));
                    ObjectNode stored = store.put(id, (ObjectNode) e, ifMatch);
                    return Response.json(200, stored, stored.get("etag").asText());
                }
                case "DELETE" -> {
                    store.delete(id, ifMatch);
                    return Response.empty(204);
                }
                default -> throw new DpsError(405, 1, "method " + method + " not allowed on " + path);
            }
        }
        throw new DpsError(404, 1, "no such resource: " + path);
    }

    private void refuse(List<String> violations) {
        List<String> left = store.refused(violations);
        if (!left.isEmpty()) {
            throw DpsError.badRequest("the body does not conform to the service's definitions: "
                    + String.join("; ", left));
        }
    }

    private static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw new DpsError(405, 1, "method " + method + " not allowed here");
        }
    }

    private static void checkApiVersion(String rawQuery) {
        String version = null;
        if (rawQuery != null) {
            for (String p : rawQuery.split("&", 50)) {
                if (p.startsWith("api-version=")) {
                    version = URLDecoder.decode(p.substring("api-version=".length()), StandardCharsets.UTF_8);
                }
            }
        }
        if (version == null) {
            throw DpsError.badRequest("the query parameter api-version is required");
        }
        boolean known = OLDER_API_VERSIONS.contains(version) || version.equals(API_VERSION)
                || API_VERSION_SHAPE.matcher(version).matches() && version.compareTo(API_VERSION) > 0;
        if (!known) {
            throw DpsError.badRequest("api-version '" + version + "' is not supported");
        }
    }

    private static int maxItemCount(HttpExchange ex) {
        String n = ex.getRequestHeaders().getFirst("x-ms-max-item-count");
        if (n == null) {
            return 100;
        }
        try {
            int max = Integer.parseInt(n.trim());
            if (max > 0) {
                return max;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw DpsError.badRequest("x-ms-max-item-count: '" + n + "' is not a positive number");
    }

    private static JsonNode json(HttpExchange ex, byte[] body) {
        String type = ex.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).startsWith("application/json")) {
            throw new DpsError(415, 1, "Content-Type must be application/json, not " + type);
        }
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || n.isMissingNode()) {
                throw DpsError.badRequest("the body is empty");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw DpsError.badRequest("the body is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] readBody(HttpExchange ex) {
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(MAX_BODY + 1);
            if (b.length > MAX_BODY) {
                throw new DpsError(413, 1, "the body is larger than " + MAX_BODY + " bytes");
            }
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
