package io.github.dpsplugin.core.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.id.RegistrationId;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FileNamesTest {

    private static String stem(String id) {
        return FileNames.stem(RegistrationId.of(id));
    }

    @Test
    void ordinaryIdsKeepTheirNames() {
        assertEquals("line1-device-001", stem("line1-device-001"));
        assertEquals("az-c893464a1b2cv2v0v0", stem("az-c893464a1b2cv2v0v0"));
        assertEquals("a.b_c-d", stem("a.b_c-d"));
        assertEquals("console", stem("console"));
        assertEquals("com10", stem("com10"));
        assertEquals("lpt", stem("lpt"));
        assertEquals("x.con", stem("x.con"));
        assertEquals("line1-device-001.pem", FileNames.aliasCertificate(RegistrationId.of("line1-device-001")));
        assertEquals("line1-device-001-deviceid.pem", FileNames.deviceIdCertificate(RegistrationId.of("line1-device-001")));
    }

    @Test
    void colonsAreEscaped() {
        // d:dev would be a drive-relative path on Windows
        assertEquals("d~3adev", stem("d:dev"));
        assertEquals("a~3a~3ab", stem("a::b"));
        assertEquals("urn~3afactory~3a001", stem("urn:factory:001"));
    }

    @Test
    void windowsDeviceNamesAreEscaped() {
        assertEquals("~63on", stem("con"));
        assertEquals("~70rn", stem("prn"));
        assertEquals("~61ux", stem("aux"));
        assertEquals("~6eul", stem("nul"));
        assertEquals("~63om1", stem("com1"));
        assertEquals("~6cpt9", stem("lpt9"));
        assertEquals("~63om0", stem("com0"));
        // Windows ignores what follows the first dot: con.foo and nul. are the devices too
        assertEquals("~63on.foo", stem("con.foo"));
        assertEquals("~6eul.1", stem("nul.1"));
        assertEquals("~61ux.1.2", stem("aux.1.2"));
        assertEquals("con~3a1", stem("con:1")); // the ':' escaped, "con~3a1" is an ordinary name
    }

    @Test
    void aLeadingDotNeverReachesAFileName() {
        // DPS refuses IDs starting with '.', so ".device", "." and ".." are refused before any file is named
        for (String id : new String[] {".device", ".", ".."}) {
            assertThrows(DpsException.class, () -> RegistrationId.of(id));
        }
    }

    @Test
    void theMappingIsInjectiveAndPortable() {
        String alphabet = "abclnoprtux0129-._:";
        SplittableRandom r = new SplittableRandom(11);
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < 200_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + r.nextInt(6);
            for (int j = 0; j < n; j++) {
                sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            String id = sb.toString();
            if (!Character.isLetterOrDigit(id.charAt(0)) || !Character.isLetterOrDigit(id.charAt(id.length() - 1))) {
                continue; // DPS refuses it
            }
            String s = stem(id);
            String other = seen.putIfAbsent(s, id);
            assertTrue(other == null || other.equals(id), id + " and " + other + " share " + s);
            assertTrue(s.matches("[a-z0-9._~-]+") && !s.startsWith("."), s);
            int dot = s.indexOf('.');
            String base = dot < 0 ? s : s.substring(0, dot);
            assertTrue(!base.matches("con|prn|aux|nul|com[0-9]|lpt[0-9]"), s);
        }
    }

    @Test
    void aNameTooLongForAFileSystemIsRefused() {
        String id = "a" + ":".repeat(83) + "a"; // 83 x "~3a" + 2 + "-deviceid.pem" = 264 characters
        DpsException e = assertThrows(DpsException.class, () -> FileNames.stem(RegistrationId.of(id)));
        assertEquals("registrationId", e.field());
        assertTrue(e.getMessage().contains("of 264 characters (each ':' is written ~3a); file systems allow 255"),
                e.getMessage());
        assertEquals(239, stem("a" + ":".repeat(79) + "a").length()); // 252 characters with the suffix: accepted
    }
}
