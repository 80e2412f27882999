package io.github.dpsplugin.core.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static io.github.dpsplugin.core.fleet.UdsFileTest.UDS_1;
import static io.github.dpsplugin.core.fleet.UdsFileTest.UDS_2;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.Uds;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UdsFilesTest {

    @TempDir
    Path tmp;

    private Path write(String name, String text) throws IOException {
        Path p = tmp.resolve(name);
        Files.createDirectories(p.getParent());
        return Files.writeString(p, text);
    }

    @Test
    void theFleetsFilesAreReadAsOne() throws IOException {
        Path first = write("uds.csv", "registrationId,macAddress,uds\n,c893464a1b2c," + UDS_1 + "\n");
        Path added = write("uds-added.csv", "registrationId,macAddress,uds\nnew-1,," + UDS_2 + "\n");
        try (UdsFiles files = UdsFiles.read(List.of(first, added))) {
            assertEquals(2, files.size());
            try (Uds u = files.lookup("az-c893464a1b2cv2v1v0").open()) {
                assertArrayEquals(HexFormat.of().parseHex(UDS_1), u.copyBytes());
            }
            try (Uds u = files.lookup("new-1").open()) {
                assertArrayEquals(HexFormat.of().parseHex(UDS_2), u.copyBytes());
            }
            assertEquals("uds-added.csv:2", files.lookup("new-1").toString());
            assertNull(files.lookup("new-2"));
        }
    }

    @Test
    void aDeviceInTwoFilesIsRefusedNamingBothLines() throws IOException {
        Path first = write("uds.csv", "registrationId,uds\n# made at 1.3.7\naz-c893464a1b2cv1v3v7," + UDS_1 + "\n");
        Path added = write("uds-added.csv", "registrationId,macAddress,uds\nnew-1,," + UDS_2 + "\n,c8:93:46:4a:1b:2c,"
                + UDS_2 + "\n");
        DpsException e = assertThrows(DpsException.class, () -> UdsFiles.read(List.of(first, added)));
        assertEquals("udsFile: uds-added.csv:3: the device with MAC address c8:93:46:4a:1b:2c is also on uds.csv:3;"
                + " expected each device in one UDS file (two UDS values for one device cannot both be right: keep the"
                + " line of the UDS the device was programmed with)", e.getMessage());
        UdsFileTest.revealsNothing(e, UDS_1, UDS_2);

        Path again = write("more.csv", "dev-secret-name," + UDS_1 + "\n");
        Path other = write("other.csv", "\n\ndev-secret-name," + UDS_2 + "\n");
        DpsException ids = assertThrows(DpsException.class, () -> UdsFiles.read(List.of(again, other)));
        assertEquals("udsFile: other.csv:3: the registrationId of this line is also on more.csv:1; expected each device"
                + " in one UDS file (two UDS values for one device cannot both be right: keep the line of the UDS the"
                + " device was programmed with)", ids.getMessage());
        UdsFileTest.revealsNothing(ids, "dev-secret-name", UDS_1, UDS_2);
    }

    @Test
    void filesOfOneNameAreNamedByPathAndAFileGivenTwiceIsRefused() throws IOException {
        Path a = write("a/uds.csv", "dev-1," + UDS_1 + "\n");
        Path b = write("b/uds.csv", "dev-1," + UDS_2 + "\n");
        DpsException e = assertThrows(DpsException.class, () -> UdsFiles.read(List.of(a, b)));
        assertEquals("udsFile: " + b + ":1: the registrationId of this line is also on " + a + ":1;",
                e.getMessage().substring(0, e.getMessage().indexOf(';') + 1));
        DpsException twice = assertThrows(DpsException.class, () -> UdsFiles.read(List.of(a, a)));
        assertEquals("udsFile: " + a + " is given twice; expected each UDS file once", twice.getMessage());
    }
}
