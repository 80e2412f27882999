package io.github.dpsplugin.core.id;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.common.DpsException;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MacAddressTest {

    @ParameterizedTest
    @ValueSource(strings = {"c893464a1b2c", "C893464A1B2C", "C8:93:46:4A:1B:2C", "c8:93:46:4a:1b:2c",
        "c8-93-46-4a-1b-2c", "C8-93-46-4A-1B-2C", "c893.464a.1b2c", "C893.464A.1B2C", " c8:93:46:4a:1b:2c\n"})
    void usualSpellingsNormalise(String spelling) {
        MacAddress mac = MacAddress.parse(spelling);
        assertEquals("c893464a1b2c", mac.value());
        assertEquals("c8:93:46:4a:1b:2c", mac.withColons());
        assertEquals("c8:93:46:4a:1b:2c", mac.toString());
        assertEquals(MacAddress.parse("c893464a1b2c"), mac);
        assertEquals(MacAddress.parse("c893464a1b2c").hashCode(), mac.hashCode());
    }

    @Test
    void differentAddressesDiffer() {
        assertNotEquals(MacAddress.parse("c893464a1b2c"), MacAddress.parse("c893464a1b2d"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "c893464a1b2", // 11 hex digits
        "c893464a1b2c0", // 13 hex digits
        "C8:93:46:4A:1B", // 5 bytes
        "C8:93:46:4A:1B:2C:3D", // 7 bytes
        "C8:93-46:4A:1B:2C", // mixed separators
        "c8-93-46:4a-1b-2c",
        "c893.464a-1b2c",
        "C8:93:46:4A:1B:2G", // non-hex
        "c893464a1b2z",
        "C8:93:46:4A:1B:2C:", // trailing separator
        "C8::93:46:4A:1B:2C",
        "C8 93 46 4A 1B 2C", // spaces as separators
        "0xc893464a1b2c",
        "c89:346:4a1:b2c",
        "c\u0668\u0669\u0663464a1b2c", // Arabic-Indic digits
        "\uFF43893464a1b2c", // fullwidth c
        "az-c893464a1b2cv1v3v7"
    })
    void rejectsOtherSpellings(String text) {
        DpsException e = assertThrows(DpsException.class, () -> MacAddress.parse(text));
        assertEquals("macAddress", e.field());
        assertTrue(e.getMessage().startsWith("macAddress:"), e.getMessage());
        assertTrue(e.getMessage().contains("'" + text + "'"), "quotes the input: " + e.getMessage());
        assertTrue(e.getMessage().contains("C8:93:46:4A:1B:2C"), "shows an example: " + e.getMessage());
    }

    @Test
    void rejectsEmptyAndNull() {
        for (String text : new String[] {null, "", "   "}) {
            DpsException e = assertThrows(DpsException.class, () -> MacAddress.parse(text));
            assertEquals("macAddress", e.field());
            assertTrue(e.getMessage().contains("empty"), e.getMessage());
            assertTrue(e.getMessage().contains("C8:93:46:4A:1B:2C"), e.getMessage());
        }
    }

    @Test
    void lowerCasingDoesNotDependOnTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(new Locale("tr", "TR"));
            assertEquals("ı", "I".toLowerCase(), "the Turkish locale is in effect");
            assertEquals("c893464a1b2c", MacAddress.parse("C8:93:46:4A:1B:2C").value());
            assertEquals("abcdefabcdef", MacAddress.parse("AB:CD:EF:AB:CD:EF").value());
        } finally {
            Locale.setDefault(saved);
        }
    }
}
