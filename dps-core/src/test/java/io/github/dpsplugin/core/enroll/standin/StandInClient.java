package io.github.dpsplugin.core.enroll.standin;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** A bare client for the stand-in's tests: signs with the documented SAS scheme, sends what it is told. */
final class StandInClient {

    private final DpsStandIn dps;
    private final HttpClient http;

    StandInClient(DpsStandIn dps) {
        this.dps = dps;
        this.http = HttpClient.newBuilder().sslContext(dps.clientSslContext()).connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    static String sas(String host, String policy, String base64Key, long expiry) {
        String sr = URLEncoder.encode(host, StandardCharsets.UTF_8);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(base64Key), "HmacSHA256"));
            String sig = Base64.getEncoder().encodeToString(
                    mac.doFinal((sr + "\n" + expiry).getBytes(StandardCharsets.UTF_8)));
            return "SharedAccessSignature sr=" + sr + "&sig=" + URLEncoder.encode(sig, StandardCharsets.UTF_8)
                    + "&se=" + expiry + "&skn=" + policy;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    String validSas() {
        return sas(dps.hostName(), DpsStandIn.POLICY, dps.key(), Instant.now().getEpochSecond() + 600);
    }

    HttpResponse<String> send(String method, String pathAndQuery, String body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("https://" + dps.hostName() + pathAndQuery))
                .timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        boolean auth = false;
        boolean typed = false;
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
            auth |= headers[i].equals("Authorization");
            typed |= headers[i].equals("Content-Type");
        }
        if (!auth) {
            b.header("Authorization", validSas());
        }
        if (body != null && !typed) {
            b.header("Content-Type", "application/json");
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** With a valid signature and api-version 2021-10-01. */
    HttpResponse<String> call(String method, String path, String body, String... headers)
            throws IOException, InterruptedException {
        return send(method, path + (path.contains("?") ? "&" : "?") + "api-version=" + DpsStandIn.API_VERSION, body,
                headers);
    }
}
