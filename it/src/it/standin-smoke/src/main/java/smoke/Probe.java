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
 * Runs inside the IT's Maven: reads one enrollment from the stand-in with the connection string in
 * DPS_CONNECTION (200) and with the one in DPS_CONNECTION_WRONG_KEY (401), over TLS trusted through
 * javax.net.ssl.trustStore (the JVM's default SSL context), as a goal would.
 */
public final class Probe {

    public static void main(String[] args) throws Exception {
        int right = get("DPS_CONNECTION");
        int wrong = get("DPS_CONNECTION_WRONG_KEY");
        System.out.println("probe: GET /enrollments/smoke-1 -> " + right + " with DPS_CONNECTION, " + wrong
                + " with DPS_CONNECTION_WRONG_KEY");
        if (right != 200 || wrong != 401) {
            throw new IllegalStateException("the stand-in answered " + right + " and " + wrong);
        }
    }

    private static int get(String variable) throws Exception {
        String connection = System.getenv(variable);
        if (connection == null) {
            throw new IllegalStateException(variable + " is not set");
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
        return r.statusCode();
    }
}
