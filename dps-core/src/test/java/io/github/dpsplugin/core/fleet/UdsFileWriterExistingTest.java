package io.github.dpsplugin.core.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.dice.Uds;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A release that adds devices: the whole devices file, with the UDS files the fleet already has. */
class UdsFileWriterExistingTest {

    @TempDir
    Path tmp;

    private final List<String> debug = new ArrayList<>();
    private final BatchListener listener = new BatchListener() {
        @Override
        public void debug(String message) {
            debug.add(message);
        }
    };

    @Test
    void onlyTheDevicesTheExistingFilesDoNotHoldGetALine() throws IOException {
        Path first = tmp.resolve("uds.csv");
        UdsFileWriter.write(UdsFileRequest.builder().udsFile(first)
                .devicesFile(devices("devices-1.csv", "line1-device-001,,", ",c8:93:46:4a:1b:2c,1.0.0"), "1.0.0")
                .build(), listener);
        // at the next release: the same devices (the MAC-derived one under a new version) and two new ones
        Path all = devices("devices-2.csv", "line1-device-001,,", ",c8:93:46:4a:1b:2c,2.0.0", "line2-device-001,,",
                ",c8:93:46:4a:1b:2e,2.0.0");
        Path added = tmp.resolve("uds-added.csv");
        UdsFileResult result;
        try (UdsFiles existing = UdsFiles.read(List.of(first))) {
            result = UdsFileWriter.write(UdsFileRequest.builder().udsFile(added).existing(existing)
                    .devicesFile(all, "2.0.0").build(), listener);
        }
        assertEquals(added, result.file());
        assertEquals(2, result.deviceCount());
        assertEquals(2, result.heldCount());
        List<String> lines = Files.readAllLines(added, StandardCharsets.US_ASCII);
        assertEquals(3, lines.size());
        assertTrue(lines.get(1).startsWith("line2-device-001,,"), lines.get(1));
        assertTrue(lines.get(2).startsWith(",c893464a1b2e,"), lines.get(2));
        // the two files are read as one by generate: every device found, none in both
        try (UdsFiles both = UdsFiles.read(List.of(first, added))) {
            for (String id : List.of("line1-device-001", "az-c893464a1b2cv2v0v0", "line2-device-001",
                    "az-c893464a1b2ev2v0v0")) {
                assertNotNull(both.lookup(id), id);
                try (Uds uds = both.lookup(id).open()) {
                    assertNotNull(uds);
                }
            }
        }
        assertTrue(debug.stream().anyMatch(m -> m.contains("already has a UDS, on uds.csv:")), debug.toString());
    }

    @Test
    void whenEveryDeviceHasAUdsNoFileIsWrittenAndNothingIsLeft() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("secrets"));
        Path first = dir.resolve("uds.csv");
        Path devices = devices("devices.csv", "line1-device-001,,", ",c8:93:46:4a:1b:2c,1.0.0");
        UdsFileWriter.write(UdsFileRequest.builder().udsFile(first).devicesFile(devices, "1.0.0").build(), listener);
        Path again = dir.resolve("uds-again.csv");
        UdsFileResult result;
        try (UdsFiles existing = UdsFiles.read(List.of(first))) {
            result = UdsFileWriter.write(UdsFileRequest.builder().udsFile(again).existing(existing)
                    .devicesFile(devices, "1.0.0").build(), listener);
        }
        assertNull(result.file());
        assertEquals(0, result.deviceCount());
        assertEquals(2, result.heldCount());
        assertFalse(Files.exists(again));
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(first), left.toList());
        }
    }

    private Path devices(String name, String... rows) throws IOException {
        return Files.writeString(tmp.resolve(name), "registrationId,macAddress,firmwareVersion\n"
                + String.join("\n", rows) + "\n", StandardCharsets.UTF_8);
    }
}
