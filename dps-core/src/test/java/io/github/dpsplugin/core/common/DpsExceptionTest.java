package io.github.dpsplugin.core.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DpsExceptionTest {

    @Test
    void quoteKeepsPrintableTextAndEscapesWhatCouldRewriteALogLine() {
        assertEquals("'devkit-test-01'", DpsException.quote("devkit-test-01"));
        assertEquals("'caf\u00e9 \u65e5\u672c \ud83d\ude00'", DpsException.quote("caf\u00e9 \u65e5\u672c \ud83d\ude00"));
        assertEquals("'a\\u000db\\u001b[2Jc\\u0000'", DpsException.quote("a\rb\u001b[2Jc\0"));
        assertEquals("'x\\u202ey\\u2066z\\u2028'", DpsException.quote("x\u202ey\u2066z\u2028"));
        assertEquals("'\\ud800 \\udc00'", DpsException.quote("\ud800 \udc00"));
        assertEquals("null", DpsException.quote(null));
    }

    @Test
    void messageNamesDeviceThenField() {
        DpsException e = new DpsException("uds", "is empty").forDevice("'devkit-test-01' (#1 of <devices>)");
        assertEquals("device 'devkit-test-01' (#1 of <devices>): uds: is empty", e.getMessage());
        assertEquals("uds", e.field());
        assertEquals("'devkit-test-01' (#1 of <devices>)", e.device());
    }

    static final String UDS_HEX = "0123456789abcdef0123456789abcdef0123456789ABCDEF0123456789abcdef";

    @Test
    void aValueThatLooksLikeAUdsIsNeverEchoed() {
        assertEquals("'<64 hex digits not shown>'", DpsException.quote(UDS_HEX));
        assertEquals("'uds=<64 hex digits not shown>,x'", DpsException.quote("uds=" + UDS_HEX + ",x"));
        assertEquals("'<32 hex digits not shown>'", DpsException.quote(UDS_HEX.substring(0, 32)));
        // shorter runs are ordinary text: MAC addresses, IDs, versions
        assertEquals("'c893464a1b2c'", DpsException.quote("c893464a1b2c"));
        assertEquals("'" + UDS_HEX.substring(0, 31) + "'", DpsException.quote(UDS_HEX.substring(0, 31)));
    }

    @Test
    void aUdsInTheMacAddressColumnIsNotEchoed() {
        DpsException e = org.junit.jupiter.api.Assertions.assertThrows(DpsException.class,
                () -> io.github.dpsplugin.core.id.MacAddress.parse(UDS_HEX));
        assertEquals("macAddress: '<64 hex digits not shown>' is not a MAC address; expected 6 bytes in hex such as"
                + " C8:93:46:4A:1B:2C, c8-93-46-4a-1b-2c or c893464a1b2c", e.getMessage());
    }

    @Test
    void aLongValueIsCutSayingHowLongItWas() {
        String id = "x".repeat(100_000);
        assertEquals("'" + "x".repeat(128) + "\u2026(100000 characters)'", DpsException.quote(id));
        // a 100 000-character ID, named as the device and in the message: one short line
        DpsException e = org.junit.jupiter.api.Assertions.assertThrows(DpsException.class,
                () -> io.github.dpsplugin.core.fleet.DeviceSpec.parse("devices.csv:2", id, null, null, () -> null));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().length() < 600, e.getMessage());
        assertEquals("device '" + "x".repeat(128) + "\u2026(100000 characters)' (devices.csv:2): registrationId: '"
                + "x".repeat(128) + "\u2026(100000 characters)' has 100000 characters; the device cannot encode a"
                + " common name of more than 126 (DPS documents 64 as the limit)", e.getMessage());
    }
}
