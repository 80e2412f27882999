package io.github.dpsplugin.maven;

import static io.github.dpsplugin.maven.Fixtures.P01;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.dice.UdsSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.maven.execution.DefaultMavenExecutionRequest;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.DefaultSettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecrypter;
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

    /** SettingsDecrypter promises no thread safety: it runs on the thread that names the server, not in open(). */
    @Test
    void decryptsOnTheCallingThreadNotInOpen() throws Exception {
        server("p01", SettingsSecurity.encrypt(P01.uds, MASTER)); // only a {…} password is decrypted
        List<Thread> decryptedOn = new CopyOnWriteArrayList<>();
        SettingsDecrypter recording = request -> {
            decryptedOn.add(Thread.currentThread());
            return decrypter.decrypt(request);
        };
        UdsSource source = new MavenUdsSources(settings, recording, MavenUdsSources.environmentOf(new Properties()))
                .settingsServer("p01");
        assertEquals(List.of(Thread.currentThread()), decryptedOn);
        ExecutorService workers = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> opened = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                opened.add(workers.submit(() -> {
                    try (Uds uds = source.open()) {
                        return uds.toString();
                    }
                }));
            }
            for (Future<String> f : opened) {
                assertEquals("Uds[redacted]", f.get());
            }
        } finally {
            workers.shutdownNow();
        }
        assertEquals(List.of(Thread.currentThread()), decryptedOn, "no decryption on a worker thread");
    }

    @Test
    void aMissingServerNamesTheSettingsFilesRead() throws Exception {
        Path user = Files.writeString(tmp.resolve("user-settings.xml"), "<settings/>");
        Path global = tmp.resolve("global-settings.xml"); // does not exist: not read
        DefaultMavenExecutionRequest request = new DefaultMavenExecutionRequest();
        request.setUserSettingsFile(user.toFile());
        request.setGlobalSettingsFile(global.toFile());
        UdsSource source = new MavenUdsSources(settings, decrypter, MavenUdsSources.environmentOf(new Properties()),
                MavenUdsSources.settingsFilesOf(request)).settingsServer("nowhere");
        DpsException e = assertFails(source, "udsServerId", "settings.xml has no <server> with id 'nowhere'",
                "; settings read: " + user);
        assertFalse(e.getMessage().contains(global.toString()), e.getMessage());
        UdsSource none = new MavenUdsSources(settings, decrypter, MavenUdsSources.environmentOf(new Properties()),
                MavenUdsSources.settingsFilesOf(new DefaultMavenExecutionRequest())).settingsServer("nowhere");
        assertFails(none, "udsServerId", "no settings.xml file was read");
    }
}
