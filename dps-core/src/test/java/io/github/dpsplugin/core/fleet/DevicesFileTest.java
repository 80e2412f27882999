package io.github.dpsplugin.core.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.dice.UdsSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DevicesFileTest {

    static final UdsSource ANY = () -> Uds.fromBytes(new byte[Uds.LENGTH]);

    static DevicesFile open(byte[] bytes) {
        return DevicesFile.open(new ByteArrayInputStream(bytes), "/fleet/devices.csv", "devices.csv", "2.0.0",
                id -> ANY);
    }

    static List<String> ids(String text) {
        List<String> out = new ArrayList<>();
        try (DevicesFile f = open(text.getBytes(StandardCharsets.UTF_8))) {
            while (f.hasNext()) {
                out.add(f.next().registrationId().value());
            }
        }
        return out;
    }

    static DpsException failure(String text) {
        return assertThrows(DpsException.class, () -> ids(text));
    }

    @Test
    void bomCrlfCommentsAndBlankLinesAreAccepted() {
        assertEquals(List.of("line1-device-001", "az-c893464a1b2cv2v0v0", "az-c893464a1b2dv1v0v0"),
                ids("\uFEFFregistrationId,macAddress,firmwareVersion\r\n# comment\r\n\r\nline1-device-001,,\r\n"
                        + ",C8:93:46:4A:1B:2C,\r\n,c893464a1b2d,1.0.0"));
    }

    @Test
    void aMissingColumnNamesTheLineTheHeaderAndWhatIsExpected() {
        DpsException e = failure("registrationId,macAddress,firmwareVersion\nline1-device-001,\n");
        assertEquals("devices.csv:2", e.device());
        assertEquals("device devices.csv:2: devicesFile: has 2 fields where the header has 3"
                + " (registrationId,macAddress,firmwareVersion); expected one value per column, an empty value as"
                + " nothing between two commas", e.getMessage());
    }

    @Test
    void aFailingStreamBecomesADpsExceptionNamingTheFile() {
        InputStream failing = new InputStream() {
            private final byte[] head = "registrationId\nok-1\n".getBytes(StandardCharsets.US_ASCII);
            private int i;

            @Override
            public int read() throws IOException {
                if (i < head.length) {
                    return head[i++];
                }
                throw new IOException("device unplugged");
            }
        };
        try (DevicesFile f = DevicesFile.open(failing, "/fleet/devices.csv", "devices.csv", null, id -> ANY)) {
            DpsException e = assertThrows(DpsException.class, () -> {
                while (f.hasNext()) {
                    f.next();
                }
            });
            assertEquals("devicesFile: cannot read devices.csv after line 2: device unplugged", e.getMessage());
        }
    }

    @Test
    void emptyFile() {
        assertEquals("devicesFile: devices.csv is empty; expected a header line such as 'registrationId' or"
                + " 'macAddress,firmwareVersion'", failure("").getMessage());
        assertEquals("devicesFile: devices.csv is empty; expected a header line such as 'registrationId' or"
                + " 'macAddress,firmwareVersion'", failure("\uFEFF# only a comment\r\n\r\n").getMessage());
    }

    // found by BatchFilesFuzzTest (DevicesFile, default seed, try 323): a line separator (U+2028) in an ID
    // went into the message raw, where it breaks the log line
    @Test
    void separatorsInAnIdAreShownEscaped() {
        DpsException e = failure("registrationId\nline1\u2028device\n");
        assertEquals("device 'line1\\u2028device' (devices.csv:2): registrationId: 'line1\\u2028device' contains"
                + " white space at position 6; allowed are lower-case a-z, 0-9, '-', '.', '_' and ':'",
                e.getMessage());
    }

    // seen while reading the fuzzer's inputs: a file with CR-only line breaks is one long line, and its
    // header an "unknown column" holding CRs that garble the terminal
    @Test
    void crOnlyLineBreaksAreNamed() {
        DpsException e = failure("registrationId\rline1-device-001\rline1-device-002\r");
        assertEquals("devicesFile: devices.csv:1: line breaks are CR only; expected LF or CRLF line endings",
                e.getMessage());
    }
}
