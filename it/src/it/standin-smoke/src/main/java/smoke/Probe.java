package smoke;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Runs inside the IT's Maven: reads the connection string from DPS_CONNECTION and reads one
 * enrollment from the stand-in over TLS trusted through javax.net.ssl.trustStore (the JVM's default
 * SSL context), as a goal would.
 */
public final class Probe {

    public static void main(String[] args) throws Exception {
        String connection = System.getenv("DPS_CONNECTION");
        if (connection == null) {
            throw new IllegalStateException("DPS_CONNECTION is not set");
        }
        Map<String, String> fields = new HashMap<>();
        for (String part : connection.split(";")) {
            int eq = part.indexOf('=');
            fields.put(part.substring(0, eq), part.substring(eq + 1));
        }
        String host = fields.get("HostName");
        String sr = URLEncoder.encode(host, StandardCharsets.UTF_8);
        long expiry = Instant.now().getEpochSecond() + 300;
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(fields.get("SharedAccessKey")), "HmacSHA256"));
        String sig = Base64.getEncoder().encodeToString(mac.doFinal((sr + "\n" + expiry).getBytes(StandardCharsets.UTF_8)));
        String auth = "SharedAccessSignature sr=" + sr + "&sig=" + URLEncoder.encode(sig, StandardCharsets.UTF_8)
                + "&se=" + expiry + "&skn=" + fields.get("SharedAccessKeyName");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("https://" + host + "/enrollments/smoke-1?api-version=2021-10-01"))
                .header("Authorization", auth).GET().build(), HttpResponse.BodyHandlers.ofString());
        System.out.println("probe: GET /enrollments/smoke-1 -> " + r.statusCode() + ", etag "
                + r.headers().firstValue("ETag").orElse("none"));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("the stand-in answered " + r.statusCode() + ": " + r.body());
        }
    }
}
