package io.github.dpsplugin.core.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.dice.UdsSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class UdsFileTest {

    static final String UDS_1 = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    static final String UDS_2 = "47671826535671daee64898c37347907516c398cf230d6365822be2c35c3479b";

    static UdsFile parse(String text) throws IOException {
        return UdsFile.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)), "uds.csv");
    }

    static DpsException failure(String text) {
        DpsException e = assertThrows(DpsException.class, () -> parse(text));
        assertEquals("udsFile", e.field());
        return e;
    }

    /** No part of a secret file may reach a message: neither UDS (in any case) nor an ID. */
    static void revealsNothing(DpsException e, String... secrets) {
        for (String s : secrets) {
            assertFalse(e.getMessage().toLowerCase(Locale.ROOT).contains(s.toLowerCase(Locale.ROOT)), e.getMessage());
        }
    }

    @Test
    void readsHeaderCommentsBlankLinesAndBothCases() throws IOException {
        try (UdsFile f = parse("registrationId,uds\r\n# test values\n\n  dev-1 , " + UDS_1.toUpperCase(Locale.ROOT)
                + "\ndev-2," + UDS_2 + "\n")) {
            assertEquals(2, f.size());
            try (Uds u = f.lookup("dev-1").open()) {
                assertArrayEquals(HexFormat.of().parseHex(UDS_1), u.copyBytes());
            }
            assertNull(f.lookup("dev-3"));
        }
    }

    @Test
    void closeClearsEveryUds() throws IOException {
        UdsFile f = parse("dev-1," + UDS_1 + "\n");
        UdsSource source = f.lookup("dev-1");
        f.close();
        // the source still opens, but all it holds now are zeros
        try (Uds u = source.open()) {
            assertArrayEquals(new byte[Uds.LENGTH], u.copyBytes());
        }
    }

    @Test
    void swappedColumnsNeitherEchoTheUdsNorTheId() {
        DpsException e = failure("registrationId,uds\n" + UDS_1 + ",devkit-test-01\n");
        assertEquals("udsFile: uds.csv:2: uds column: character at position 3 is not a hexadecimal digit;"
                + " expected exactly 64 characters 0-9, a-f or A-F (32 bytes) (the first column looks like a UDS:"
                + " are the columns swapped? expected registrationId,uds)", e.getMessage());
        revealsNothing(e, UDS_1, "devkit-test-01");
    }

    @Test
    void duplicateIdNamesBothLinesNotTheId() {
        DpsException e = failure("dev-secret-name," + UDS_1 + "\n# c\ndev-secret-name," + UDS_2 + "\n");
        assertEquals("udsFile: uds.csv:3: the registrationId of this line is already on line 1; expected one line"
                + " per device", e.getMessage());
        revealsNothing(e, UDS_1, UDS_2, "dev-secret-name");
    }

    @Test
    void badUdsValues() {
        assertEquals("udsFile: uds.csv:1: uds column: has 63 characters; expected exactly 64 hexadecimal"
                + " characters (32 bytes)", failure("dev-1," + UDS_1.substring(1) + "\n").getMessage());
        assertEquals("udsFile: uds.csv:1: uds column: is empty; expected 64 hexadecimal characters (32 bytes)",
                failure("dev-1,\n").getMessage());
        DpsException e = failure("dev-1,0x" + UDS_1.substring(2) + "\n");
        assertTrue(e.getMessage().contains("0x prefix"), e.getMessage());
        revealsNothing(e, UDS_1.substring(2));
    }

    @Test
    void lineWithoutCommaOrId() {
        assertEquals("udsFile: uds.csv:1: expected registrationId,uds (two columns separated by a comma)",
                failure(UDS_1 + "\n").getMessage());
        assertEquals("udsFile: uds.csv:1: the registrationId column is empty; expected registrationId,uds",
                failure(" ," + UDS_1 + "\n").getMessage());
    }

    @Test
    void anOverlongLineIsRefusedWithoutEchoingIt() {
        DpsException e = failure("dev-1," + UDS_1.repeat(100) + "\n");
        assertTrue(e.getMessage().contains("uds.csv:1: line longer than " + UdsFile.MAX_LINE_LENGTH), e.getMessage());
        revealsNothing(e, UDS_1);
    }

    // ---- MAC-derived devices: one line for life -------------------------------------------------

    @Test
    void aMacLineServesTheDeviceUnderEveryVersion() throws IOException {
        try (UdsFile f = parse("registrationId,macAddress,uds\n,C8:93:46:4A:1B:2C," + UDS_1 + "\ndev-1,," + UDS_2
                + "\n")) {
            assertEquals(2, f.size());
            for (String id : new String[] {"az-c893464a1b2cv1v3v7", "az-c893464a1b2cv2v0v0", "az-c893464a1b2cv2v1v0"}) {
                try (Uds u = f.lookup(id).open()) {
                    assertArrayEquals(HexFormat.of().parseHex(UDS_1), u.copyBytes(), id);
                }
            }
            try (Uds u = f.lookup("dev-1").open()) {
                assertArrayEquals(HexFormat.of().parseHex(UDS_2), u.copyBytes());
            }
            assertNull(f.lookup("az-c893464a1b2dv1v3v7"));
            assertEquals("uds.csv:2", f.lookup("az-c893464a1b2cv9v9v9").toString());
        }
    }

    @Test
    void aLineOfAnOlderFileKeyedByADerivedIdServesTheDeviceUnderEveryVersion() throws IOException {
        // as files were written when a derived ID (with its version) was the key
        try (UdsFile f = parse("registrationId,uds\naz-c893464a1b2cv1v3v7," + UDS_1 + "\n")) {
            for (String id : new String[] {"az-c893464a1b2cv1v3v7", "az-c893464a1b2cv2v0v0", "az-c893464a1b2cv2v1v0"}) {
                try (Uds u = f.lookup(id).open()) {
                    assertArrayEquals(HexFormat.of().parseHex(UDS_1), u.copyBytes(), id);
                }
            }
            // an explicit ID that merely starts like one is not a MAC line
            assertNull(f.lookup("az-c893464a1b2cv1v3v7x"));
        }
    }

    @Test
    void twoLinesForOneMacAreRefusedNamingBothLines() {
        DpsException e = failure("registrationId,uds\naz-c893464a1b2cv1v3v7," + UDS_1 + "\n# rollout\ndev-2," + UDS_2
                + "\naz-c893464a1b2cv2v0v0," + UDS_2 + "\n");
        assertEquals("udsFile: uds.csv:5: the device with MAC address c8:93:46:4a:1b:2c is already on uds.csv:2;"
                + " expected one line per device (a device whose ID is derived from its MAC keeps one UDS under every"
                + " firmware version: remove one of the two lines)", e.getMessage());
        revealsNothing(e, UDS_1, UDS_2);

        DpsException mixed = failure("registrationId,macAddress,uds\n,c893464a1b2c," + UDS_1
                + "\naz-c893464a1b2cv2v0v0,," + UDS_2 + "\n");
        assertTrue(mixed.getMessage().startsWith("udsFile: uds.csv:3: the device with MAC address c8:93:46:4a:1b:2c"
                + " is already on uds.csv:2;"), mixed.getMessage());
    }

    @Test
    void theMacLayoutRefusesLinesWithNeitherOrBothOrABadMacWithoutEchoingThem() {
        String h = "registrationId,macAddress,uds\n";
        assertEquals("udsFile: uds.csv:2: both the registrationId and the macAddress column are empty; expected one"
                + " of them (the other column empty)", failure(h + ",," + UDS_1 + "\n").getMessage());
        assertEquals("udsFile: uds.csv:2: has both a registrationId and a macAddress; expected one of them (the other"
                + " column empty)", failure(h + "dev-1,c893464a1b2c," + UDS_1 + "\n").getMessage());
        DpsException bad = failure(h + ",zz93464a1b2d," + UDS_1 + "\n");
        assertEquals("udsFile: uds.csv:2: the macAddress column is not a MAC address; expected 6 bytes in hex such as"
                + " c893464a1b2c", bad.getMessage());
        revealsNothing(bad, "zz93464a1b2d", UDS_1);
        DpsException swapped = failure(h + "," + UDS_1 + ",c893464a1b2c\n");
        assertTrue(swapped.getMessage().endsWith("(it looks like a UDS: are the columns swapped? expected"
                + " registrationId,macAddress,uds)"), swapped.getMessage());
        revealsNothing(swapped, UDS_1);
        assertEquals("udsFile: uds.csv:2: expected registrationId,macAddress,uds (three columns separated by commas)",
                failure(h + "dev-1," + UDS_1 + "\n").getMessage());
        assertEquals("udsFile: uds.csv:1: the header names unknown columns; expected registrationId,macAddress,uds or"
                + " registrationId,uds", failure("registrationId,mac,uds\n").getMessage());
    }
}
