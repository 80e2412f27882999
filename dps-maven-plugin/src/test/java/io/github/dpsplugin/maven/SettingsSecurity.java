package io.github.dpsplugin.maven;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.sonatype.plexus.components.cipher.DefaultPlexusCipher;
import org.sonatype.plexus.components.cipher.PlexusCipherException;

/**
 * Maven's password encryption, done as {@code mvn --encrypt-master-password} and
 * {@code mvn --encrypt-password} do it: the master password is encrypted with the fixed key
 * {@code "settings.security"} into settings-security.xml, server passwords with the master password.
 */
final class SettingsSecurity {

    /** The system property Maven's SecDispatcher reads for the settings-security.xml location. */
    static final String LOCATION_PROPERTY = "settings.security";

    private static final DefaultPlexusCipher CIPHER = new DefaultPlexusCipher();

    private SettingsSecurity() {
    }

    /** Writes {@code dir/settings-security.xml} holding {@code master}, encrypted as Maven does. */
    static Path write(Path dir, String master) throws IOException, PlexusCipherException {
        Path file = dir.resolve("settings-security.xml");
        String encrypted = CIPHER.encryptAndDecorate(master, LOCATION_PROPERTY);
        Files.writeString(file, "<settingsSecurity>\n  <master>" + encrypted + "</master>\n</settingsSecurity>\n");
        return file;
    }

    /** {@code {…}}: {@code password} encrypted under {@code master}. */
    static String encrypt(String password, String master) throws PlexusCipherException {
        return CIPHER.encryptAndDecorate(password, master);
    }

    /**
     * {@code password} encrypted under {@code master} such that decrypting it under
     * {@code wrongMaster} fails (rather than, rarely, yielding garbage that happens to unpad).
     */
    static String encryptUndecryptableWith(String password, String master, String wrongMaster)
            throws PlexusCipherException {
        for (int i = 0; i < 100; i++) {
            String encrypted = encrypt(password, master);
            try {
                CIPHER.decryptDecorated(encrypted, wrongMaster);
            } catch (PlexusCipherException expected) {
                return encrypted;
            }
        }
        throw new IllegalStateException("no ciphertext fails under the wrong master password");
    }

    static String decrypt(String encrypted, String master) throws PlexusCipherException {
        return CIPHER.decryptDecorated(encrypted, master);
    }
}
