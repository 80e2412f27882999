package io.github.dpsplugin.core.id;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.common.DpsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FirmwareVersionTest {

    @ParameterizedTest
    @ValueSource(strings = {"1.3.7", "2.0.0", "10.0.12", "0.0.0", "123.456.789"})
    void acceptsNdotNdotN(String text) {
        FirmwareVersion v = FirmwareVersion.parse(text);
        assertEquals(text, v.value());
        assertEquals(text, v.toString());
        assertEquals(FirmwareVersion.parse(text), v);
        assertEquals(FirmwareVersion.parse(text).hashCode(), v.hashCode());
    }

    @Test
    void surroundingWhitespaceIsStripped() {
        assertEquals("2.0.0", FirmwareVersion.parse(" 2.0.0\n").value());
    }

    @Test
    void theReferenceToolsFiveCharacterCutIsGone() {
        // the reference kept 5 characters of "10.0.12": "10.0." is not what the device reports
        assertEquals("10.0.12", FirmwareVersion.parse("10.0.12").value());
        assertNotEquals(FirmwareVersion.parse("10.0.1"), FirmwareVersion.parse("10.0.12"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2", "1.2.3.4", "v1.2.3", "1..2", "1.2.", ".1.2", "1.2.3-beta", "1.2.3 beta",
        "a.b.c", "1,2,3", "1 .2.3", "\u0661.\u0662.\u0663", "\uFF11.\uFF12.\uFF13"})
    void rejectsOtherForms(String text) {
        DpsException e = assertThrows(DpsException.class, () -> FirmwareVersion.parse(text));
        assertEquals("firmwareVersion", e.field());
        assertTrue(e.getMessage().startsWith("firmwareVersion:"), e.getMessage());
        assertTrue(e.getMessage().contains("'" + text + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("N.N.N"), e.getMessage());
    }

    @Test
    void rejectsEmptyAndNull() {
        for (String text : new String[] {null, "", " "}) {
            DpsException e = assertThrows(DpsException.class, () -> FirmwareVersion.parse(text));
            assertEquals("firmwareVersion", e.field());
            assertTrue(e.getMessage().contains("empty"), e.getMessage());
        }
    }

    // found by IdFuzzTest (FirmwareVersion.parse, default seed, try 0): the message did not say what is expected
    @org.junit.jupiter.api.Test
    void aRefusalSaysWhatIsExpected() {
        io.github.dpsplugin.core.common.DpsException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.github.dpsplugin.core.common.DpsException.class, () -> FirmwareVersion.parse("1.3..3.7"));
        org.junit.jupiter.api.Assertions.assertEquals("firmwareVersion: '1.3..3.7' is not a version; expected N.N.N"
                + " (digits and two dots, such as 2.0.0 or 10.0.12)", e.getMessage());
    }
}
