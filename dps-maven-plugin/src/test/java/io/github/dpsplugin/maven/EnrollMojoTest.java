package io.github.dpsplugin.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.enroll.standin.DpsStandIn;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.fleet.BatchGenerator;
import io.github.dpsplugin.core.fleet.BatchListener;
import io.github.dpsplugin.core.fleet.BatchRequest;
import io.github.dpsplugin.core.fleet.DeviceSpec;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.maven.Fixtures.CapturingLog;
import java.nio.file.Path;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * enroll maps its parameters onto the core's run against the DPS stand-in: the connection string
 * from an environment variable or a settings.xml server (encrypted too), a value refused, a dry run,
 * and the key in no log line or message, -X included.
 */
@MojoTest
class EnrollMojoTest extends MojoTestBase {

    private static final String ENV = "DPS_TEST_CONNECTION_STRING";
    private static final String MASTER = "enroll-master-password";

    private DpsStandIn dps;
    private SSLContext savedDefault;
    private String savedLocation;
    private final CapturingLog log = new CapturingLog();

    @BeforeEach
    void startDps() throws Exception {
        dps = DpsStandIn.start();
        // the goal uses the JVM's default trust (javax.net.ssl.trustStore in a build): here, one trusting the stand-in
        savedDefault = SSLContext.getDefault();
        SSLContext.setDefault(dps.clientSslContext());
        savedLocation = System.getProperty(SettingsSecurity.LOCATION_PROPERTY);
    }

    @AfterEach
    void stopDps() {
        String key = key(dps.connectionString());
        assertFalse(log.all().contains(key), log.all());
        SSLContext.setDefault(savedDefault);
        if (savedLocation == null) {
            System.clearProperty(SettingsSecurity.LOCATION_PROPERTY);
        } else {
            System.setProperty(SettingsSecurity.LOCATION_PROPERTY, savedLocation);
        }
        dps.close();
    }

    private static String key(String connectionString) {
        return connectionString.substring(connectionString.indexOf("SharedAccessKey=") + "SharedAccessKey=".length());
    }

    /** A 3-device output of generate in {@link #out}. */
    private void generate() {
        byte[] uds = HexFormat.of().parseHex(Fixtures.P01.uds);
        BatchRequest.Builder b = BatchRequest.builder().firmware(FirmwareFiles.of(Fixtures.FW_A_BIN, Fixtures.FW_A_MAP, null)).threads(1)
                .outputDirectory(out);
        for (int i = 0; i < 3; i++) {
            byte[] own = uds.clone();
            own[0] ^= (byte) i; // each device its own UDS: generate refuses one UDS for two devices
            b.device(DeviceSpec.of(RegistrationId.of("dev-" + i), () -> Uds.fromBytes(own)));
        }
        BatchGenerator.run(b.build(), BatchListener.NONE);
    }

    private EnrollMojo configure(EnrollMojo mojo, String... namesAndValues) throws Exception {
        MojoExtension.setVariableValueToObject(mojo, "outputDirectory", out.toFile());
        for (int i = 0; i < namesAndValues.length; i += 2) {
            MojoExtension.setVariableValueToObject(mojo, namesAndValues[i], namesAndValues[i + 1]);
        }
        mojo.setLog(log);
        return mojo;
    }

    @Test
    @InjectMojo(goal = "enroll")
    void enrollsFromAnEnvironmentVariableThenARerunWritesNothing(EnrollMojo mojo) throws Exception {
        generate();
        env(ENV, dps.connectionString());
        configure(mojo, "dpsConnectionStringEnv", ENV).execute();
        assertTrue(dps.stored("dev-0").isPresent() && dps.stored("dev-2").isPresent());
        assertTrue(log.at("INFO").stream().anyMatch(l -> l.startsWith("DPS enroll: Enrolled 3 device(s): 3 created")),
                log.all());
        assertTrue(log.at("DEBUG").stream().anyMatch(l -> l.contains("'dev-1': create 'dev-1'")), log.all());
        dps.resetCounts();
        mojo.execute();
        assertEquals(0, dps.writeCalls());
    }

    @Test
    @InjectMojo(goal = "enroll")
    void aDryRunFromAnEncryptedServerPasswordWritesNothing(EnrollMojo mojo) throws Exception {
        generate();
        System.setProperty(SettingsSecurity.LOCATION_PROPERTY, SettingsSecurity.write(tmp, MASTER).toString());
        server("dps-prod", SettingsSecurity.encrypt(dps.connectionString(), MASTER));
        configure(mojo, "dpsServerId", "dps-prod");
        MojoExtension.setVariableValueToObject(mojo, "dryRun", true);
        mojo.execute();
        assertEquals(0, dps.writeCalls());
        assertTrue(log.at("INFO").stream().anyMatch(l -> l.contains("3 to create")), log.all());
        assertTrue(log.at("INFO").contains("DPS enroll: dry run; nothing was written to DPS"), log.all());
    }

    @Test
    @InjectMojo(goal = "enroll")
    void aWrongKeyFailsNamingTheServerNotTheKey(EnrollMojo mojo) throws Exception {
        generate();
        String wrong = dps.connectionStringWithWrongKey();
        server("dps-prod", wrong);
        MojoFailureException e = assertThrows(MojoFailureException.class,
                configure(mojo, "dpsServerId", "dps-prod")::execute);
        assertTrue(e.getMessage().contains("settings.xml server 'dps-prod'") && e.getMessage().contains("401"),
                e.getMessage());
        assertFalse(e.getMessage().contains(key(wrong)), e.getMessage());
        assertFalse(log.all().contains(key(wrong)), log.all());
    }

    @Test
    @InjectMojo(goal = "enroll")
    @UserProperty(name = "dps.dpsConnectionString", value = "HostName=h;SharedAccessKeyName=p;SharedAccessKey=c2VjcmV0")
    void aConnectionStringGivenAsAValueIsRefused(EnrollMojo mojo) throws Exception {
        generate();
        env(ENV, dps.connectionString());
        MojoFailureException e = assertThrows(MojoFailureException.class,
                configure(mojo, "dpsConnectionStringEnv", ENV)::execute);
        assertTrue(e.getMessage().startsWith("dpsConnectionString: the property dps.dpsConnectionString is refused"),
                e.getMessage());
        assertFalse(e.getMessage().contains("c2VjcmV0"), e.getMessage());
        assertEquals(0, dps.calls());
    }

    @Test
    @InjectMojo(goal = "enroll")
    void anUnsetVariableOrNoSourceIsNamed(EnrollMojo mojo) throws Exception {
        generate();
        MojoFailureException e = assertThrows(MojoFailureException.class,
                configure(mojo, "dpsConnectionStringEnv", Fixtures.ENV_UNSET)::execute);
        assertEquals("dpsConnectionStringEnv: environment variable " + Fixtures.ENV_UNSET + " is not set", e.getMessage());
        MojoExtension.setVariableValueToObject(mojo, "dpsConnectionStringEnv", null);
        e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("dpsConnectionStringEnv: no DPS connection string"), e.getMessage());
    }

    @Test
    @InjectMojo(goal = "enroll")
    void noOutputIsABuildFailureAndSkipSkips(EnrollMojo mojo) throws Exception {
        env(ENV, dps.connectionString());
        MojoFailureException e = assertThrows(MojoFailureException.class,
                configure(mojo, "dpsConnectionStringEnv", ENV)::execute);
        assertTrue(e.getMessage().startsWith("outputDirectory: ") && e.getMessage().contains("run generate first"),
                e.getMessage());
        MojoExtension.setVariableValueToObject(mojo, "skip", true);
        mojo.execute();
        assertEquals(0, dps.calls());
    }

    @Test
    @InjectMojo(goal = "enroll")
    void aServerThatFailsForGoodIsAnExecutionError(EnrollMojo mojo) throws Exception {
        generate();
        env(ENV, dps.connectionString());
        MojoExtension.setVariableValueToObject(mojo, "rolloutStep", "begin");
        MojoFailureException bad = assertThrows(MojoFailureException.class,
                configure(mojo, "dpsConnectionStringEnv", ENV)::execute);
        assertTrue(bad.getMessage().startsWith("rolloutStep: 'begin' is not a rollout step"), bad.getMessage());
        assertEquals(0, dps.calls());
        MojoExtension.setVariableValueToObject(mojo, "rolloutStep", null);
        dps.failNext(1000, 500);
        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo::execute);
        assertTrue(e.getMessage().contains("HTTP 500"), e.getMessage());
    }
}
