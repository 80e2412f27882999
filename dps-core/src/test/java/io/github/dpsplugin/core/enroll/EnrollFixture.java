package io.github.dpsplugin.core.enroll;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dpsplugin.core.Vectors;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.dice.UdsSource;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.fleet.BatchGenerator;
import io.github.dpsplugin.core.fleet.BatchListener;
import io.github.dpsplugin.core.fleet.BatchRequest;
import io.github.dpsplugin.core.fleet.DeviceSpec;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.rollout.PreviousFirmware;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Outputs of {@code generate} for the enroll tests: a fleet of explicit and MAC-derived IDs, under
 * firmware b (version 2.0.0) or a (1.3.7), plain or as a rollout from a (MAC-derived IDs change).
 */
final class EnrollFixture {

    static final Path BIN_A = Vectors.file("firmware/fw-a.ino.bin");
    static final Path MAP_A = Vectors.file("firmware/fw-a.ino.map");
    static final Path BIN_B = Vectors.file("firmware/fw-b.ino.bin");
    static final Path MAP_B = Vectors.file("firmware/fw-b.ino.map");
    static final List<String> EXPLICIT = List.of("devkit-01", "devkit-02", "devkit-03", "devkit-04");
    static final List<String> MACS = List.of("a0b1c2d3e401", "a0b1c2d3e402", "a0b1c2d3e403", "a0b1c2d3e404");
    /** Fast retries: the tests need the behaviour, not the production pauses. */
    static final Retry FAST = new Retry(6, 100, Duration.ofMillis(5), Duration.ofMillis(40), Duration.ofSeconds(2));

    private EnrollFixture() {
    }

    /** Generates the fleet (explicit and MAC-derived IDs, {@code extra} more explicit ones) into {@code out}. */
    static Path generate(Path out, boolean firmwareB, boolean rollout, boolean certificateFiles, int extra) {
        BatchRequest.Builder b = BatchRequest.builder().firmware(FirmwareFiles.of(firmwareB ? BIN_B : BIN_A, firmwareB ? MAP_B : MAP_A, null))
                .threads(2).archive(true).certificateFiles(certificateFiles).outputDirectory(out);
        int i = 0;
        for (String id : EXPLICIT) {
            b.device(DeviceSpec.of(RegistrationId.of(id), uds(i++)));
        }
        for (String mac : MACS) {
            b.device(DeviceSpec.parse("#" + i, null, mac, firmwareB ? "2.0.0" : "1.3.7", uds(i++)));
        }
        for (int x = 0; x < extra; x++) {
            b.device(DeviceSpec.of(RegistrationId.of(String.format("extra-%03d", x)), uds(i++)));
        }
        if (rollout) {
            b.previousFirmware(PreviousFirmware.of(BIN_A, MAP_A, null, "1.3.7"));
        }
        BatchGenerator.run(b.build(), BatchListener.NONE);
        return out;
    }

    private static io.github.dpsplugin.core.dice.UdsSource uds(int i) {
        byte[] b = new byte[32];
        for (int k = 0; k < 32; k++) {
            b[k] = (byte) (k * 7 + i * 13 + 1);
        }
        return () -> Uds.fromBytes(b);
    }

    /** The manifest's devices by registration ID. */
    static Map<String, JsonNode> devices(Path out) {
        try {
            Map<String, JsonNode> m = new LinkedHashMap<>();
            for (JsonNode d : new ObjectMapper().readTree(out.resolve("dps-manifest.json").toFile()).get("devices")) {
                m.put(d.get("registrationId").asText(), d);
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A device's alias certificate PEM as generate wrote it. */
    static String pem(Path out, String id) {
        try {
            return Files.readString(out.resolve(devices(out).get(id).get("aliasCertificate").asText()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An enrollment with every setting DPS has, and a field of a newer api-version, as a user made it. */
    static ObjectNode withSettings(String id, String pem) {
        ObjectNode e = Enrollments.fresh(id, pem, null);
        e.put("deviceId", "device-of-" + id);
        e.putObject("initialTwin").putObject("tags").put("site", "hall 7").put("rack", 3);
        ((ObjectNode) e.get("initialTwin")).putObject("properties").putObject("desired").put("interval", 0.125);
        e.putArray("iotHubs").add("hub-a.azure-devices.net").add("hub-b.azure-devices.net");
        e.put("allocationPolicy", "custom");
        e.putObject("customAllocationDefinition").put("webhookUrl", "https://alloc.example/api").put("apiVersion",
                "2021-10-01");
        e.putObject("reprovisionPolicy").put("updateHubAssignment", false).put("migrateDeviceData", true);
        e.putObject("capabilities").put("iotEdge", true);
        e.put("provisioningStatus", "disabled");
        e.putObject("optionalDeviceInformation").put("model", "AZ3166");
        e.putObject("futureSetting").put("mode", "x").putArray("list").add(1);
        return e;
    }

    /** Collects what a run reports. */
    static class Log implements EnrollListener {
        final List<String> lines = new CopyOnWriteArrayList<>();

        @Override
        public void info(String message) {
            lines.add("INFO " + message);
        }

        @Override
        public void debug(String message) {
            lines.add("DEBUG " + message);
        }

        @Override
        public void warn(String message) {
            lines.add("WARN " + message);
        }
    }
}
