package io.github.dpsplugin.maven;

import static io.github.dpsplugin.maven.Fixtures.FW_A_BIN_PARAM;
import static io.github.dpsplugin.maven.Fixtures.FW_A_MAP_PARAM;
import static io.github.dpsplugin.maven.Fixtures.P01;
import static io.github.dpsplugin.maven.Fixtures.P08;
import static io.github.dpsplugin.maven.Fixtures.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.github.dpsplugin.maven.Fixtures.CapturingLog;
import java.nio.file.Path;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.settings.crypto.DefaultSettingsDecrypter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Where the UDS comes from: a settings.xml server password (plain, or encrypted and decrypted by
 * the real {@link DefaultSettingsDecrypter} the harness container injects into the Mojo, pointed at
 * a settings-security.xml of the test through the {@code settings.security} system property), or an
 * environment variable read from the session's {@code env.*} system properties.
 */
@MojoTest
@MojoParameter(name = "firmwareBin", value = FW_A_BIN_PARAM)
@MojoParameter(name = "firmwareMap", value = FW_A_MAP_PARAM)
@MojoParameter(name = "registrationId", value = "devkit-test-01")
class GenerateMojoSettingsTest extends MojoTestBase {

    private static final String MASTER = "dps harness test master";
    private static final String SERVER = "devkit-test-01-uds";

    private String savedLocation;

    @BeforeEach
    void saveSecurityLocation() {
        savedLocation = System.getProperty(SettingsSecurity.LOCATION_PROPERTY);
    }

    @AfterEach
    void restoreSecurityLocation() {
        if (savedLocation == null) {
            System.clearProperty(SettingsSecurity.LOCATION_PROPERTY);
        } else {
            System.setProperty(SettingsSecurity.LOCATION_PROPERTY, savedLocation);
        }
    }

    private void useSettingsSecurity(String master) throws Exception {
        Path file = SettingsSecurity.write(tmp, master);
        System.setProperty(SettingsSecurity.LOCATION_PROPERTY, file.toString());
    }

    private void assertP01Written() {
        assertArrayEquals(bytes(P01.aliasCertFile), bytes(out.resolve("devkit-test-01.pem")));
    }

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "udsServerId", value = SERVER)
    void theContainerGivesTheMojoTheRealDecrypter(GenerateMojo mojo) throws Exception {
        assertInstanceOf(DefaultSettingsDecrypter.class,
                MojoExtension.getVariableValueFromObject(mojo, "settingsDecrypter"));
    }

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "udsServerId", value = SERVER)
    void plainPassword(GenerateMojo mojo) throws Exception {
        server(SERVER, P01.uds);

        toOut(mojo).execute();

        assertP01Written();
    }

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "udsServerId", value = SERVER)
    void mavenEncryptedPassword(GenerateMojo mojo) throws Exception {
        useSettingsSecurity(MASTER);
        String encrypted = SettingsSecurity.encrypt(P01.uds, MASTER);
        assertEquals(P01.uds, SettingsSecurity.decrypt(encrypted, MASTER));
        server(SERVER, encrypted);
        CapturingLog log = new CapturingLog();
        mojo.setLog(log);

        toOut(mojo).execute();

        assertP01Written();
        Fixtures.assertNoSecret("the log", log.all());
        assertFalse(log.all().contains(encrypted));
    }

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "udsServerId", value = SERVER)
    void encryptedPasswordUnderAnotherMasterIsRefused(GenerateMojo mojo) throws Exception {
        useSettingsSecurity("not the master that encrypted it");
        String encrypted = SettingsSecurity.encryptUndecryptableWith(P01.uds, MASTER,
                "not the master that encrypted it");
        server(SERVER, encrypted);

        MojoFailureException e = assertRefused(mojo, "device 'devkit-test-01'", field("udsServerId"),
                "'" + SERVER + "'", "settings-security.xml");
        assertFalse(e.getMessage().contains(encrypted), e.getMessage());
    }

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "udsServerId", value = SERVER)
    void encryptedPasswordWithoutSettingsSecurityIsRefused(GenerateMojo mojo) throws Exception {
        System.setProperty(SettingsSecurity.LOCATION_PROPERTY, tmp.resolve("no-such-settings-security.xml").toString());
        String encrypted = SettingsSecurity.encrypt(P01.uds, MASTER);
        server(SERVER, encrypted);

        MojoFailureException e = assertRefused(mojo, "device 'devkit-test-01'", field("udsServerId"),
                "'" + SERVER + "'");
        assertFalse(e.getMessage().contains(encrypted), e.getMessage());
    }

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "udsServerId", value = SERVER)
    void unresolvedEnvironmentReferenceInThePasswordIsNamed(GenerateMojo mojo) throws Exception {
        server(SERVER, "${env." + Fixtures.ENV_UNSET + "}");

        assertRefused(mojo, "device 'devkit-test-01'", field("udsServerId"), "'" + SERVER + "'",
                "environment variable " + Fixtures.ENV_UNSET);
    }

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "udsServerId", value = SERVER)
    void passwordThatIsNoUdsIsRefusedWithoutEchoingIt(GenerateMojo mojo) throws Exception {
        String almost = P01.uds.substring(0, 40) + "g" + P01.uds.substring(41); // one non-hex character
        server(SERVER, almost);

        MojoFailureException e = assertRefused(mojo, "device 'devkit-test-01'", field("uds"), "'" + SERVER + "'",
                "position 41");
        assertFalse(e.getMessage().contains(almost));
        assertFalse(e.getMessage().contains(P01.uds.substring(0, 40)));
    }

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "udsEnv", value = "DPS_HARNESS_UDS")
    void environmentVariableFromTheSessionSystemProperties(GenerateMojo mojo) throws Exception {
        env("DPS_HARNESS_UDS", P01.uds);

        toOut(mojo).execute();

        assertP01Written();
    }

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "udsEnv", value = "DPS_HARNESS_UDS")
    void environmentVariableInUpperCase(GenerateMojo mojo) throws Exception {
        env("DPS_HARNESS_UDS", P01.uds.toUpperCase(java.util.Locale.ROOT));

        toOut(mojo).execute();

        assertP01Written();
    }

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "udsEnv", value = "DPS_HARNESS_UDS")
    void emptyEnvironmentVariableIsRefused(GenerateMojo mojo) throws Exception {
        env("DPS_HARNESS_UDS", "");

        assertRefused(mojo, "device 'devkit-test-01'", field("udsEnv"), "DPS_HARNESS_UDS", "empty");
    }

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "udsEnv", value = Fixtures.ENV_P08)
    void environmentVariableOfAnotherDeviceGivesThatDevicesCertificate(GenerateMojo mojo) throws Exception {
        // sanity: the UDS really comes from the variable (P08's UDS under P01's ID is not P01's certificate)
        toOut(mojo).execute();

        assertFalse(java.util.Arrays.equals(bytes(P01.aliasCertFile), bytes(out.resolve("devkit-test-01.pem"))));
        assertFalse(P08.uds.equals(P01.uds));
    }
}
