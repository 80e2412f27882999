package io.github.dpsplugin.core.id;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.common.DpsException;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RegistrationIdTest {

    private static String idOfLength(int n) {
        String pattern = "abcdefghijklmnopqrstuvwxyz0123456789-._:";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(pattern.charAt(i % pattern.length()));
        }
        return sb.toString();
    }

    private static DpsException rejected(String text) {
        DpsException e = assertThrows(DpsException.class, () -> RegistrationId.of(text));
        assertEquals("registrationId", e.field());
        assertTrue(e.getMessage().startsWith("registrationId:"), e.getMessage());
        return e;
    }

    @Test
    void oneCharacter() {
        RegistrationId id = RegistrationId.of("a");
        assertEquals("a", id.value());
        assertFalse(id.exceedsDocumentedLimit());
        assertNull(id.macAddress());
        assertNull(id.firmwareVersion());
    }

    @Test
    void sixtyFourCharactersIsWithinTheDocumentedLimit() {
        RegistrationId id = RegistrationId.of(idOfLength(64));
        assertEquals(64, id.value().length());
        assertFalse(id.exceedsDocumentedLimit());
    }

    @ParameterizedTest
    @ValueSource(ints = {65, 100, 116, 126})
    void upTo126CharactersAreAcceptedWithAWarningFlag(int length) {
        RegistrationId id = RegistrationId.of(idOfLength(length));
        assertEquals(length, id.value().length());
        assertTrue(id.exceedsDocumentedLimit());
    }

    @ParameterizedTest
    @ValueSource(ints = {127, 128, 300})
    void longerThanTheDeviceCanEncodeIsRefused(int length) {
        DpsException e = rejected(idOfLength(length));
        assertTrue(e.getMessage().contains("126"), e.getMessage());
        assertTrue(e.getMessage().contains("device"), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(length)), e.getMessage());
    }

    @Test
    void dpsCharacterSet() {
        assertEquals("a.b_c:d-0", RegistrationId.of("a.b_c:d-0").value());
    }

    @Test
    void upperCaseIsRefusedWithTheLowerCaseSuggestion() {
        DpsException e = rejected("DevKit-Test-01");
        assertTrue(e.getMessage().contains("'devkit-test-01'"), e.getMessage());
        assertTrue(e.getMessage().contains("upper-case"), e.getMessage());
        assertTrue(e.getMessage().contains("position 1"), e.getMessage());
    }

    @Test
    void upperCaseSuggestionDoesNotDependOnTheDefaultLocale() {
        Locale saved = Locale.getDefault();
        try {
            Locale.setDefault(new Locale("tr", "TR"));
            assertEquals("ı", "I".toLowerCase(), "the Turkish locale is in effect");
            DpsException e = rejected("DEVICE-ID-I");
            assertTrue(e.getMessage().contains("'device-id-i'"), e.getMessage());
            // derivation from an upper-case MAC in the same locale
            RegistrationId derived = RegistrationId.derive(MacAddress.parse("C8:93:46:4A:1B:2C"),
                    FirmwareVersion.parse("1.3.7"));
            assertEquals("az-c893464a1b2cv1v3v7", derived.value());
            assertEquals("a-i", RegistrationId.of("a-i").value());
        } finally {
            Locale.setDefault(saved);
        }
    }

    @Test
    void whitespaceIsRefused() {
        assertTrue(rejected("devkit test").getMessage().contains("white space at position 7"));
        rejected(" devkit");
        rejected("devkit\n");
        rejected("devkit\t01");
    }

    @Test
    void nonAsciiIsRefused() {
        DpsException e = rejected("caf\u00e9");
        assertTrue(e.getMessage().contains("position 4"), e.getMessage());
        rejected("dev\u0661"); // Arabic-Indic digit one
        rejected("dev\uFF41"); // fullwidth a
        rejected("\u0131d"); // dotless i
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev/kit", "dev+kit", "dev@kit", "dev#1", "dev*", "dev'kit"})
    void otherPunctuationIsRefused(String text) {
        rejected(text);
    }

    @Test
    void emptyAndNullAreRefused() {
        assertTrue(rejected("").getMessage().contains("empty"));
        assertTrue(rejected(null).getMessage().contains("empty"));
    }

    @Test
    void derivedFromMacAndVersion() {
        MacAddress mac = MacAddress.parse("C8:93:46:4A:1B:2C");
        FirmwareVersion version = FirmwareVersion.parse("1.3.7");
        RegistrationId id = RegistrationId.derive(mac, version);
        assertEquals("az-c893464a1b2cv1v3v7", id.value());
        assertSame(mac, id.macAddress());
        assertSame(version, id.firmwareVersion());
        assertEquals(RegistrationId.of("az-c893464a1b2cv1v3v7"), id);
    }

    @Test
    void derivedWithATwoDigitVersion() {
        RegistrationId id = RegistrationId.derive(MacAddress.parse("a0-b1-c2-d3-e4-f5"),
                FirmwareVersion.parse("10.0.12"));
        assertEquals("az-a0b1c2d3e4f5v10v0v12", id.value());
    }

    @Test
    void derivedIdOf31CharactersFitsTheDeviceBuffer() {
        RegistrationId id = RegistrationId.derive(MacAddress.parse("c893464a1b2c"),
                FirmwareVersion.parse("12345.12345.123"));
        assertEquals(31, id.value().length());
    }

    @ParameterizedTest
    @ValueSource(strings = {"12345.12345.1234", "123456.7890123.45"})
    void derivedIdLongerThan31CharactersIsRefused(String version) {
        DpsException e = assertThrows(DpsException.class,
                () -> RegistrationId.derive(MacAddress.parse("c893464a1b2c"), FirmwareVersion.parse(version)));
        assertEquals("firmwareVersion", e.field());
        assertTrue(e.getMessage().contains("31"), e.getMessage());
        assertTrue(e.getMessage().contains(version), e.getMessage());
    }

    // found by IdFuzzTest (RegistrationId.derive, default seed, try 0): the message did not say what is expected
    @Test
    void aTooLongDerivedIdSaysWhatIsExpected() {
        DpsException e = assertThrows(DpsException.class, () -> RegistrationId.derive(
                MacAddress.parse("4e0797cd9f1c"), FirmwareVersion.parse("604.151.1212208865442580134")));
        assertEquals("firmwareVersion: the derived registration ID 'az-4e0797cd9f1cv604v151v1212208865442580134'"
                + " has 43 characters; the device formats it into a 32-byte buffer and would cut it to 31; expected a"
                + " shorter version ('604.151.1212208865442580134' makes the ID too long)", e.getMessage());
    }

    // found by IdFuzzTest (RegistrationId.of, default seed, try 25): a DEL went into the message raw, twice
    @Test
    void controlCharactersAreShownEscapedNotRaw() {
        DpsException e = assertThrows(DpsException.class, () -> RegistrationId.of("A\u007f"));
        assertEquals("registrationId: 'A\\u007f' contains an upper-case letter at position 1 (DPS rejects upper-case"
                + " IDs); allowed are lower-case a-z, 0-9, '-', '.', '_' and ':'", e.getMessage());
        DpsException bidi = assertThrows(DpsException.class, () -> RegistrationId.of("dev\u202eice"));
        assertEquals("registrationId: 'dev\\u202eice' contains the character '\\u202e' at position 4; allowed are"
                + " lower-case a-z, 0-9, '-', '.', '_' and ':'", bidi.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {".", "..", ":", "_", "-", "-x", "--help", "-rf", "x-", "dev.", "_dev", ":dev", "dev:"})
    void aSpecialCharacterAtTheStartOrTheEndIsRefused(String text) {
        DpsException e = rejected(text);
        assertTrue(e.getMessage().endsWith("; expected a letter or digit at the start and at the end (DPS refuses"
                + " the others there)"),
                e.getMessage());
    }

    @Test
    void anOptionLikeIdIsRefusedNamingItsFirstCharacter() {
        assertEquals("registrationId: '--help' starts with '-'; expected a letter or digit at the start and at the"
                + " end (DPS refuses the others there)", rejected("--help").getMessage());
        assertEquals("registrationId: 'dev.' ends with '.'; expected a letter or digit at the start and at the"
                + " end (DPS refuses the others there)", rejected("dev.").getMessage());
        // what the device derives stays valid
        assertEquals("az-a0b1c2d3e4f5v2v0v0", RegistrationId.derive(MacAddress.parse("A0:B1:C2:D3:E4:F5"),
                FirmwareVersion.parse("2.0.0")).value());
        assertEquals("0-a.b_c:9", RegistrationId.of("0-a.b_c:9").value());
    }
    @ParameterizedTest
    @ValueSource(strings = {"az-c893464a1b2cv2v0v0", "az-0123456789abv10v0v12", "az-ffffffffffffv0v0v0"})
    void derivedIdsGiveTheirMac(String id) {
        assertEquals(id.substring(3, 15), RegistrationId.derivedMac(id).value());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "az-", "dev-1", "az-c893464a1b2c", "az-c893464a1b2cv2v0", "az-c893464a1b2cv2v0v",
        "az-c893464a1b2cv2v0v0v1", "az-C893464A1B2Cv2v0v0", "az-c893464a1b2gv2v0v0", "az-c893464a1b2v2v0v0",
        "ax-c893464a1b2cv2v0v0", "az-c893464a1b2cv2vv0", "az-c893464a1b2cv2v0v0.", "az-c893464a1b2c-v2v0v0"})
    void otherIdsGiveNoMac(String id) {
        assertNull(RegistrationId.derivedMac(id));
    }

    @Test
    void derivedMacAgreesWithTheDerivedForm() {
        java.util.regex.Pattern derived = java.util.regex.Pattern.compile("az-([0-9a-f]{12})v[0-9]+v[0-9]+v[0-9]+");
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        String alphabet = "az-0123456789abcdefv.";
        for (int n = 0; n < 20_000; n++) {
            StringBuilder sb = new StringBuilder(n % 2 == 0 ? "az-" : "");
            int length = random.nextInt(30);
            for (int i = 0; i < length; i++) {
                // mostly the derived form's own characters, so that near misses are common
                sb.append(i >= 12 || n % 3 == 0 ? alphabet.charAt(random.nextInt(alphabet.length()))
                        : "0123456789abcdef".charAt(random.nextInt(16)));
            }
            String id = sb.toString();
            java.util.regex.Matcher m = derived.matcher(id);
            MacAddress mac = RegistrationId.derivedMac(id);
            assertEquals(m.matches() ? m.group(1) : null, mac == null ? null : mac.value(), id);
        }
    }
}
