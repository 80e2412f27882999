package io.github.dpsplugin.core.output;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.id.RegistrationId;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one rule that turns a registration ID into a name on disk, in an archive, in a script or in
 * a Maven classifier: the ID itself, except that a few characters are written {@code ~xx} (the
 * character's code in two lower-case hex digits, as percent-encoding does with {@code %}).
 *
 * <ul>
 *   <li>every {@code :} is written {@code ~3a}: DPS allows it in IDs, but on Windows {@code d:dev}
 *       names a drive-relative path and {@code :} is refused in file names;
 *   <li>a leading {@code .} is written {@code ~2e}: a file starting with a dot is hidden;
 *   <li>when the part before the first {@code .} is a Windows device name ({@code con}, {@code prn},
 *       {@code aux}, {@code nul}, {@code com0}–{@code com9}, {@code lpt0}–{@code lpt9}), its first
 *       character is escaped ({@code con} → {@code ~63on}, {@code nul.x} → {@code ~6eul.x}): Windows
 *       opens the device, whatever the extension, instead of a file.
 * </ul>
 *
 * <p>Registration IDs never contain {@code ~} (DPS allows {@code a-z 0-9 - . _ :}), so the mapping is
 * injective: two IDs never share a name, and every other ID keeps its name. The manifest records
 * each device's file names, so readers never need to recompute them.
 */
public final class FileNames {

    /** Suffix of the alias certificate file. */
    public static final String ALIAS_SUFFIX = ".pem";
    /** Suffix of the DeviceID certificate file: {@code <stem>-deviceid.pem}. */
    public static final String DEVICE_ID_SUFFIX = "-deviceid.pem";
    /** Most file systems (ext4, NTFS, APFS) allow 255 characters in one name. */
    static final int MAX_NAME = 255;

    /** Names Windows opens as devices, whatever follows a dot. */
    private static final Pattern WINDOWS_DEVICES = Pattern.compile("con|prn|aux|nul|com[0-9]|lpt[0-9]");

    private FileNames() {
    }

    /** The portable form of a registration ID, the stem of its file names and classifier. */
    public static String stem(RegistrationId id) {
        String v = id.value();
        int dot = v.indexOf('.');
        int baseLength = dot < 0 ? v.length() : dot;
        // computed three times per device of a fleet: the pattern runs only on bases it can match
        boolean escapeFirst = v.startsWith(".") || (baseLength == 3 || baseLength == 4)
                && WINDOWS_DEVICES.matcher(v.substring(0, baseLength).toLowerCase(Locale.ROOT)).matches();
        StringBuilder sb = new StringBuilder(v.length() + 8);
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == ':' || c == '~' || (i == 0 && escapeFirst)) {
                sb.append('~').append(String.format(Locale.ROOT, "%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        String stem = sb.toString();
        if (stem.length() + DEVICE_ID_SUFFIX.length() > MAX_NAME) {
            throw new DpsException("registrationId", "'" + id + "' gives the file name " + stem + DEVICE_ID_SUFFIX
                    + " of " + (stem.length() + DEVICE_ID_SUFFIX.length()) + " characters (each ':' is written"
                    + " ~3a); file systems allow " + MAX_NAME);
        }
        return stem;
    }

    /** {@code <stem>.pem}: the alias certificate, the file to upload to DPS. */
    public static String aliasCertificate(RegistrationId id) {
        return stem(id) + ALIAS_SUFFIX;
    }

    /** {@code <stem>-deviceid.pem}: the DeviceID certificate. */
    public static String deviceIdCertificate(RegistrationId id) {
        return stem(id) + DEVICE_ID_SUFFIX;
    }
}
