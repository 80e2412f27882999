package io.github.dpsplugin.core.enroll.standin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** One answer of the stand-in: status, extra headers and a JSON body (or none). */
record Response(int status, byte[] body, List<String[]> headers) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static Response json(int status, JsonNode body, String etag) {
        try {
            Response r = new Response(status, JSON.writeValueAsBytes(body), new ArrayList<>());
            if (etag != null) {
                r.headers().add(new String[] {"ETag", etag});
            }
            return r;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Response empty(int status) {
        return new Response(status, null, new ArrayList<>());
    }

    /** The service's error body: errorCode, trackingId, message, timestampUtc. */
    static Response error(DpsError e) {
        ObjectNode body = JSON.createObjectNode();
        body.put("errorCode", e.errorCode());
        body.put("trackingId", UUID.randomUUID().toString());
        body.put("message", e.getMessage());
        body.put("timestampUtc", Instant.now().toString());
        Response r = json(e.status(), body, null);
        r.headers().add(new String[] {"x-ms-error-code", Integer.toString(e.errorCode())});
        return r;
    }

    void send(HttpExchange ex) throws IOException {
        for (String[] h : headers) {
            ex.getResponseHeaders().add(h[0], h[1]);
        }
        if (body == null) {
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        ex.sendResponseHeaders(status, body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
