package io.github.dpsplugin.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The reference vectors copied from shared/vectors into the test resources (see their README.md). */
public final class Vectors {

    public static final Path DIR = locate();

    private Vectors() {
    }

    private static Path locate() {
        try {
            return Path.of(Vectors.class.getResource("/vectors/cases.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode json() {
        try {
            return new ObjectMapper().readTree(DIR.resolve("cases.json").toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Case> cases() {
        JsonNode root = json();
        List<Case> out = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            JsonNode fw = root.get("firmwares").get(c.get("firmware").asText());
            out.add(new Case(c, fw));
        }
        return out;
    }

    public static Path file(String relative) {
        return DIR.resolve(relative);
    }

    /** One case of cases.json with its firmware entry. */
    public static final class Case {
        public final JsonNode json;
        public final JsonNode firmware;

        Case(JsonNode json, JsonNode firmware) {
            this.json = json;
            this.firmware = firmware;
        }

        public String id() {
            return json.get("id").asText();
        }

        public String text(String field) {
            JsonNode n = json.get(field);
            return n == null || n.isNull() ? null : n.asText();
        }

        public Path bin() {
            return file(firmware.get("bin").asText());
        }

        public Path map() {
            return file(firmware.get("map").asText());
        }

        public Path path(String field) {
            return file(json.get(field).asText());
        }

        @Override
        public String toString() {
            return id() + " (" + json.get("description").asText() + ")";
        }
    }
}
