package io.github.dpsplugin.core.dice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.firmware.FirmwareImage;
import io.github.dpsplugin.core.riot.RiotKeys;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class UdsTest {

    /** A recognisable UDS: any 8 characters of it in a message would stand out. */
    static final String UDS = "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9f";

    private static final FirmwareMeasurement FIRMWARE = FirmwareMeasurement.of(
            FirmwareImage.ofRanges("riot core bytes".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                    new byte[] {1, 2, 3}));

    @Test
    void theMaskedHexDigitIsCharacterDigitOnAsciiAndRefusesEverythingElse() {
        for (int c = 0; c <= 0xffff; c++) {
            int expected = c <= 0x7f ? Character.digit((char) c, 16) : -1;
            assertEquals(expected, Uds.hexValue((char) c), "char " + c);
        }
    }

    @Test
    void theTestValueIsWellFormed() {
        assertEquals(64, UDS.length());
        assertEquals(32, HexFormat.of().parseHex(UDS).length);
    }

    private static String mixedCase(String s) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            sb.append(i % 3 == 0 ? Character.toUpperCase(c) : c);
        }
        return sb.toString();
    }

    @Test
    void acceptsEitherCaseWithEqualResults() {
        byte[] expectedDigest = DiceSha256.digest(HexFormat.of().parseHex(UDS));
        byte[] expectedCdi = DiceSha256.digest(expectedDigest, FIRMWARE.riotCoreDigest());
        String upper = UDS.toUpperCase(Locale.ROOT);
        String mixed = mixedCase(UDS);
        assertFalse(mixed.equals(UDS) || mixed.equals(upper), "really mixed: " + mixed);
        RiotKeys reference = null;
        for (String spelling : List.of(UDS, upper, mixed)) {
            try (Uds fromString = Uds.fromHex(spelling); Uds fromChars = Uds.fromHex(spelling.toCharArray())) {
                assertArrayEquals(expectedDigest, fromString.diceDigest(), spelling);
                assertArrayEquals(expectedDigest, fromChars.diceDigest(), spelling);
                assertArrayEquals(expectedCdi, FIRMWARE.cdi(fromString), spelling);
                RiotKeys keys = RiotKeys.derive(fromChars, FIRMWARE);
                if (reference == null) {
                    reference = keys;
                } else {
                    assertEquals(reference.deviceId().privateScalar(), keys.deviceId().privateScalar(), spelling);
                    assertEquals(reference.alias().privateScalar(), keys.alias().privateScalar(), spelling);
                }
            }
        }
        try (Uds raw = Uds.fromBytes(HexFormat.of().parseHex(UDS))) {
            assertArrayEquals(expectedCdi, FIRMWARE.cdi(raw));
        }
    }

    @Test
    void parsingDoesNotAlterTheCallersArray() {
        char[] chars = UDS.toCharArray();
        try (Uds uds = Uds.fromHex(chars)) {
            assertNotNull(uds);
        }
        assertEquals(UDS, new String(chars));
    }

    private static String replaceAt(String s, int i, char c) {
        return s.substring(0, i) + c + s.substring(i + 1);
    }

    private static String joined(String s, String separator) {
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < s.length(); i += 2) {
            pairs.add(s.substring(i, i + 2));
        }
        return String.join(separator, pairs);
    }

    static Stream<Arguments> invalid() {
        String arabicIndic = "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669";
        StringBuilder allArabic = new StringBuilder();
        while (allArabic.length() < 64) {
            allArabic.append(arabicIndic);
        }
        return Stream.of(
                Arguments.of("empty", ""),
                Arguments.of("63 characters", UDS.substring(0, 63)),
                Arguments.of("65 characters", UDS + "a"),
                Arguments.of("128 characters", UDS + UDS),
                Arguments.of("non-hex letter g", replaceAt(UDS, 10, 'g')),
                Arguments.of("non-hex letter at the end", replaceAt(UDS, 63, 'z')),
                Arguments.of("leading space", " " + UDS),
                Arguments.of("trailing space", UDS + " "),
                Arguments.of("trailing newline", UDS + "\n"),
                Arguments.of("inner space", UDS.substring(0, 32) + " " + UDS.substring(32)),
                Arguments.of("inner tab", UDS.substring(0, 32) + "\t" + UDS.substring(32)),
                Arguments.of("space instead of a digit", replaceAt(UDS, 20, ' ')),
                Arguments.of("0x prefix", "0x" + UDS),
                Arguments.of("0X prefix", "0X" + UDS),
                Arguments.of("0x prefix, 62 digits", "0x" + UDS.substring(2)),
                Arguments.of("Arabic-Indic digit", replaceAt(UDS, 5, '\u0663')),
                Arguments.of("fullwidth digit", replaceAt(UDS, 5, '\uFF13')),
                Arguments.of("fullwidth letter A", replaceAt(UDS, 5, '\uFF21')),
                Arguments.of("all Arabic-Indic digits", allArabic.substring(0, 64)),
                Arguments.of("non-breaking space", replaceAt(UDS, 40, '\u00A0')),
                Arguments.of("colon separators", joined(UDS, ":")),
                Arguments.of("dash separators", joined(UDS, "-")),
                Arguments.of("colon instead of a digit", replaceAt(UDS, 2, ':')));
    }

    private static void assertRedactedRejection(String input, DpsException e) {
        assertEquals("uds", e.field());
        String message = e.getMessage();
        assertTrue(message.startsWith("uds:"), message);
        assertFalse(message.contains(UDS), message);
        if (input != null && !input.isEmpty()) {
            assertFalse(message.contains(input), message);
            for (int i = 0; i + 8 <= input.length(); i++) {
                String piece = input.substring(i, i + 8);
                assertFalse(message.contains(piece), "message reveals '" + piece + "': " + message);
            }
            assertFalse(e.toString().contains(input.strip()), e.toString());
        }
        for (int i = 0; i + 8 <= UDS.length(); i++) {
            assertFalse(message.toLowerCase(Locale.ROOT).contains(UDS.substring(i, i + 8)), message);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void rejectsWithoutEchoingTheValue(String what, String input) {
        DpsException fromString = assertThrows(DpsException.class, () -> Uds.fromHex(input));
        assertRedactedRejection(input, fromString);
        DpsException fromChars = assertThrows(DpsException.class, () -> Uds.fromHex(input.toCharArray()));
        assertRedactedRejection(input, fromChars);
        assertEquals(fromString.getMessage(), fromChars.getMessage());
    }

    @Test
    void rejectionsSayWhatIsWrong() {
        assertTrue(assertThrows(DpsException.class, () -> Uds.fromHex(UDS.substring(0, 63))).getMessage()
                .contains("63"));
        assertTrue(assertThrows(DpsException.class, () -> Uds.fromHex(UDS + "a")).getMessage().contains("65"));
        assertTrue(assertThrows(DpsException.class, () -> Uds.fromHex("")).getMessage().contains("empty"));
        assertTrue(assertThrows(DpsException.class, () -> Uds.fromHex(replaceAt(UDS, 10, 'g'))).getMessage()
                .contains("position 11"));
        assertTrue(assertThrows(DpsException.class, () -> Uds.fromHex("0x" + UDS)).getMessage().contains("0x"));
    }

    @Test
    void rejectsNull() {
        assertRedactedRejection(null, assertThrows(DpsException.class, () -> Uds.fromHex((String) null)));
        assertRedactedRejection(null, assertThrows(DpsException.class, () -> Uds.fromHex((char[]) null)));
        assertRedactedRejection(null, assertThrows(DpsException.class, () -> Uds.fromBytes(null)));
    }

    @Test
    void fromBytesRequires32Bytes() {
        for (int n : new int[] {0, 31, 33, 64}) {
            DpsException e = assertThrows(DpsException.class, () -> Uds.fromBytes(new byte[n]));
            assertEquals("uds", e.field());
            assertTrue(e.getMessage().contains(String.valueOf(n)), e.getMessage());
        }
    }

    @Test
    void toStringDoesNotRevealTheValue() {
        try (Uds uds = Uds.fromHex(UDS)) {
            String s = uds.toString();
            for (int i = 0; i + 4 <= UDS.length(); i++) {
                assertFalse(s.toLowerCase(Locale.ROOT).contains(UDS.substring(i, i + 4)), s);
            }
            assertFalse(s.contains(HexFormat.of().formatHex(uds.diceDigest())), s);
        }
    }

    @Test
    void closeMakesFurtherUseThrow() {
        Uds uds = Uds.fromHex(UDS);
        assertNotNull(FIRMWARE.cdi(uds));
        uds.close();
        assertThrows(IllegalStateException.class, uds::diceDigest);
        assertThrows(IllegalStateException.class, () -> FIRMWARE.cdi(uds));
        assertThrows(IllegalStateException.class, () -> RiotKeys.derive(uds, FIRMWARE));
        uds.close(); // closing twice is harmless
        assertThrows(IllegalStateException.class, uds::diceDigest);
    }

    @Test
    void fromBytesCopiesTheCallersArray() {
        byte[] raw = HexFormat.of().parseHex(UDS);
        try (Uds uds = Uds.fromBytes(raw)) {
            byte[] before = uds.diceDigest();
            java.util.Arrays.fill(raw, (byte) 0);
            assertArrayEquals(before, uds.diceDigest());
        }
    }
}
