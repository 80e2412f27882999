package io.github.dpsplugin.maven;

import static io.github.dpsplugin.maven.Fixtures.P01;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.DpsException;
import io.github.dpsplugin.core.batch.UdsSource;
import io.github.dpsplugin.core.dice.Uds;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.DefaultSettingsDecrypter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sonatype.plexus.components.cipher.DefaultPlexusCipher;
import org.sonatype.plexus.components.sec.dispatcher.DefaultSecDispatcher;

/**
 * {@link MavenUdsSources} with the real {@link DefaultSettingsDecrypter} over a
 * {@link DefaultSecDispatcher} configured directly with a settings-security.xml of the test (no
 * container, no system property).
 */
class MavenUdsSourcesTest {

    private static final String MASTER = "dps unit test master";

    @TempDir
    Path tmp;

    private final Settings settings = new Settings();
    private DefaultSettingsDecrypter decrypter;

    @BeforeEach
    void setUp() throws Exception {
        assertNull(System.getProperty(SettingsSecurity.LOCATION_PROPERTY),
                "the settings.security system property would override the configured file");
        Path security = SettingsSecurity.write(tmp, MASTER);
        decrypter = new DefaultSettingsDecrypter(
                new DefaultSecDispatcher(new DefaultPlexusCipher(), Map.of(), security.toString()));
    }

    private MavenUdsSources sources(Properties sessionSystemProperties) {
        return new MavenUdsSources(settings, decrypter, MavenUdsSources.environmentOf(sessionSystemProperties));
    }

    private void server(String id, String password) {
        Server s = new Server();
        s.setId(id);
        s.setPassword(password);
        settings.addServer(s);
    }

    private static void assertOpens(UdsSource source) {
        try (Uds uds = source.open()) {
            assertEquals("Uds[redacted]", uds.toString());
        }
    }

    private static DpsException assertFails(UdsSource source, String field, String... fragments) {
        DpsException e = assertThrows(DpsException.class, source::open);
        assertEquals(field, e.field(), e.getMessage());
        for (String f : fragments) {
            assertTrue(e.getMessage().contains(f), () -> "lacks '" + f + "': " + e.getMessage());
        }
        Fixtures.assertNoSecret("the message", e.getMessage());
        return e;
    }

    @Test
    void plainPassword() {
        server("plain", P01.uds);
        UdsSource source = sources(null).settingsServer("plain");

        assertOpens(source);
        assertEquals("settings.xml server 'plain'", source.toString());
    }

    @Test
    void plainPasswordsDoNotGoThroughTheDecrypter() throws Exception {
        // Maven 4 hands plugins settings it has already decrypted, and deprecates SettingsDecrypter:
        // a plain password must be used as it is, without calling it; an encrypted one still is (Maven 3)
        java.util.List<String> asked = new java.util.ArrayList<>();
        org.apache.maven.settings.crypto.SettingsDecrypter recording = request -> {
            asked.add(request.getServers().get(0).getId());
            return decrypter.decrypt(request);
        };
        server("plain", P01.uds);
        server("encrypted", SettingsSecurity.encrypt(P01.uds, MASTER));
        MavenUdsSources sources = new MavenUdsSources(settings, recording, name -> null);
        for (String id : new String[] {"plain", "encrypted"}) {
            try (Uds uds = sources.settingsServer(id).open()) {
                assertTrue(java.util.Arrays.equals(java.util.HexFormat.of().parseHex(P01.uds), uds.copyBytes()), id);
            }
        }
        assertEquals(java.util.List.of("encrypted"), asked);
    }

    @Test
    void encryptedPassword() throws Exception {
        server("encrypted", SettingsSecurity.encrypt(P01.uds, MASTER));

        assertOpens(sources(null).settingsServer("encrypted"));
    }

    @Test
    void encryptedUnderAnotherMaster() throws Exception {
        String encrypted = SettingsSecurity.encryptUndecryptableWith(P01.uds, "another master", MASTER);
        server("wrong-master", encrypted);

        DpsException e = assertFails(sources(null).settingsServer("wrong-master"), "udsServerId", "'wrong-master'",
                "cannot decrypt", "settings-security.xml");
        assertFalse(e.getMessage().contains(encrypted));
    }

    @Test
    void unresolvedExpressionsAreNamed() {
        server("env-ref", "${env.DPS_NOT_SET_ANYWHERE}");
        server("prop-ref", "${dps.secret.property}");

        assertFails(sources(null).settingsServer("env-ref"), "udsServerId", "'env-ref'",
                "${env.DPS_NOT_SET_ANYWHERE}", "environment variable DPS_NOT_SET_ANYWHERE");
        assertFails(sources(null).settingsServer("prop-ref"), "udsServerId", "'prop-ref'", "${dps.secret.property}");
    }

    @Test
    void missingServerAndMissingPassword() {
        server("empty", "");

        assertFails(sources(null).settingsServer("absent"), "udsServerId", "no <server> with id 'absent'");
        assertFails(sources(null).settingsServer("empty"), "udsServerId", "'empty'", "no <password>");
        assertFails(new MavenUdsSources(null, decrypter, name -> null).settingsServer("any"), "udsServerId",
                "'any'");
    }

    @Test
    void environmentVariableFromSessionProperties() {
        Properties props = new Properties();
        props.setProperty("env.DPS_UDS_UNIT", P01.uds);
        props.setProperty("env.DPS_UDS_SHORT", P01.uds.substring(1));
        UdsSource source = sources(props).environmentVariable("DPS_UDS_UNIT");

        assertOpens(source);
        assertEquals("environment variable DPS_UDS_UNIT", source.toString());
        assertFails(sources(props).environmentVariable("DPS_UDS_SHORT"), "uds", "DPS_UDS_SHORT", "63 characters");
        assertFails(sources(props).environmentVariable(Fixtures.ENV_UNSET), "udsEnv", Fixtures.ENV_UNSET, "not set");
    }
}
