package io.github.dpsplugin.core.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnrollmentWriterTest {

    @TempDir
    Path dir;

    @Test
    void scriptQuotesEveryArgumentAndBulkFilesHoldAtMostTen() throws Exception {
        try (StagedOutput out = StagedOutput.open(dir)) {
            try (EnrollmentWriter w = new EnrollmentWriter(out, "my-dps", "rg with 'quote'")) {
                for (int i = 0; i < 23; i++) {
                    w.add("dev-" + i, "dev-" + i + ".pem", "-----BEGIN CERTIFICATE-----\nAAA" + i + "\n-----END CERTIFICATE-----\n");
                }
            }
            out.publish();
        }
        List<String> script = Files.readAllLines(dir.resolve(EnrollmentWriter.SCRIPT), StandardCharsets.UTF_8);
        assertEquals("#!/bin/sh", script.get(0));
        assertTrue(script.contains("DPS_NAME='my-dps'"));
        assertTrue(script.contains("RESOURCE_GROUP='rg with '\\''quote'\\'''"));
        assertEquals(23, script.stream().filter(l -> l.startsWith("az iot dps enrollment create")).count());
        assertTrue(script.contains("az iot dps enrollment create --dps-name=\"$DPS_NAME\" --resource-group=\"$RESOURCE_GROUP\""
                + " --enrollment-id='dev-7' --attestation-type x509 --certificate-path='dev-7.pem'"));
        if (!System.getProperty("os.name").startsWith("Windows")) {
            assertTrue(Files.isExecutable(dir.resolve(EnrollmentWriter.SCRIPT)));
        }

        ObjectMapper json = new ObjectMapper();
        int total = 0;
        for (int n = 1; n <= 3; n++) {
            JsonNode body = json.readTree(dir.resolve(EnrollmentWriter.bulkFileName(n)).toFile());
            assertEquals("create", body.get("mode").asText());
            int size = body.get("enrollments").size();
            assertEquals(n < 3 ? 10 : 3, size);
            JsonNode first = body.get("enrollments").get(0);
            int index = (n - 1) * 10;
            assertEquals("dev-" + index, first.get("registrationId").asText());
            assertEquals("x509", first.get("attestation").get("type").asText());
            assertEquals("-----BEGIN CERTIFICATE-----\nAAA" + index + "\n-----END CERTIFICATE-----\n",
                    first.get("attestation").get("x509").get("clientCertificates").get("primary").get("certificate").asText());
            total += size;
        }
        assertEquals(23, total);
        assertFalse(Files.exists(dir.resolve(EnrollmentWriter.bulkFileName(4))));
    }

    @Test
    void withoutNamesTheScriptReadsTheEnvironment() throws Exception {
        try (StagedOutput out = StagedOutput.open(dir)) {
            try (EnrollmentWriter w = new EnrollmentWriter(out, null, null)) {
                w.add("a", "a.pem", "x");
            }
            out.publish();
        }
        String script = Files.readString(dir.resolve(EnrollmentWriter.SCRIPT));
        assertTrue(script.contains("DPS_NAME=\"${DPS_NAME:?set DPS_NAME or the dpsName parameter}\""));
        assertTrue(script.contains("RESOURCE_GROUP=\"${RESOURCE_GROUP:?"));
    }
}
