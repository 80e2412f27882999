package io.github.dpsplugin.maven;

import static io.github.dpsplugin.maven.Fixtures.ENV_P08;
import static io.github.dpsplugin.maven.Fixtures.ENV_UNSET;
import static io.github.dpsplugin.maven.Fixtures.FW_A_BIN_PARAM;
import static io.github.dpsplugin.maven.Fixtures.FW_A_MAP_PARAM;
import static io.github.dpsplugin.maven.Fixtures.P01;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/**
 * Every refusal of {@code dps:generate}: a {@link MojoFailureException} naming the device and the
 * field, never the UDS, and the output directory exactly as the previous run left it (see
 * {@link MojoTestBase#assertRefused}).
 */
@MojoTest
@MojoParameter(name = "firmwareBin", value = FW_A_BIN_PARAM)
@MojoParameter(name = "firmwareMap", value = FW_A_MAP_PARAM)
class GenerateMojoRefusalsTest extends MojoTestBase {

    private static final String DEVKIT_TEST_01 = "device 'devkit-test-01'";

    // ---- a UDS in the POM or on the command line -----------------------------------------------

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/device-registration-id/pom.xml")
    void udsInTheExecutionsConfiguration(GenerateMojo mojo) throws Exception {
        execution(mojo, "generate", configuration("uds", Fixtures.P01_UDS_CONSTANT));
        assertRefused(mojo, field("uds"), "parameter uds", "dps.uds", "udsServerId", "udsEnv");
    }

    /** Maven drops a {@code <uds>} that is no parameter from the execution's configuration: the POM's is read. */
    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/device-registration-id/pom.xml")
    void udsInThePomsPluginConfiguration(GenerateMojo mojo) throws Exception {
        MojoExecution execution = execution(mojo, "generate", configuration());
        Plugin plugin = new Plugin();
        plugin.setGroupId(execution.getGroupId());
        plugin.setArtifactId(execution.getArtifactId());
        plugin.setConfiguration(configuration("uds", Fixtures.P01_UDS_CONSTANT));
        project.getBuild().addPlugin(plugin);
        assertRefused(mojo, field("uds"), "parameter uds", "dps.uds", "udsServerId", "udsEnv");
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/device-registration-id/pom.xml")
    void udsInThePomsExecutionConfiguration(GenerateMojo mojo) throws Exception {
        MojoExecution execution = execution(mojo, "generate", configuration());
        Plugin plugin = new Plugin();
        plugin.setGroupId(execution.getGroupId());
        plugin.setArtifactId(execution.getArtifactId());
        PluginExecution pe = new PluginExecution();
        pe.setId(execution.getExecutionId());
        pe.setConfiguration(configuration("uds", Fixtures.P01_UDS_CONSTANT));
        plugin.addExecution(pe);
        project.getBuild().addPlugin(plugin);
        assertRefused(mojo, field("uds"), "parameter uds", "dps.uds", "udsServerId", "udsEnv");
    }

    /** No parameter receives a UDS, so Maven's -X log (it prints every parameter's value) cannot show one. */
    @Test
    void noParameterTakesAUds() throws Exception {
        String descriptor = Files.readString(Path.of("target/classes/META-INF/maven/plugin.xml"));
        assertFalse(descriptor.contains("<name>uds</name>"), "a uds parameter");
        assertFalse(descriptor.contains("${dps.uds}"), "a parameter reading dps.uds");
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/device-registration-id/pom.xml")
    @UserProperty(name = "dps.uds", value = "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF")
    void udsAsUserPropertyInUpperCase(GenerateMojo mojo) throws Exception {
        assertRefused(mojo, field("uds"), "dps.uds", "udsServerId", "udsEnv");
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/refuse-inline-uds/pom.xml")
    void udsInsideADevice(GenerateMojo mojo) throws Exception {
        assertRefused(mojo, field("uds"), "<uds> of device #1 of <devices>", "udsServerId", "udsEnv");
    }

    // ---- the UDS reference ---------------------------------------------------------------------

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "registrationId", value = "devkit-test-01")
    @MojoParameter(name = "udsServerId", value = "no-such-server")
    void missingSettingsServer(GenerateMojo mojo) throws Exception {
        assertRefused(mojo, DEVKIT_TEST_01, field("udsServerId"), "no <server> with id 'no-such-server'");
    }

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "registrationId", value = "devkit-test-01")
    @MojoParameter(name = "udsServerId", value = "no-password")
    void serverWithoutPassword(GenerateMojo mojo) throws Exception {
        server("no-password", null).setUsername("someone");

        assertRefused(mojo, DEVKIT_TEST_01, field("udsServerId"), "'no-password'", "no <password>");
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/refuse-both-sources/pom.xml")
    void bothUdsServerIdAndUdsEnv(GenerateMojo mojo) throws Exception {
        assertRefused(mojo, "device #2 of <devices>", field("udsServerId"), "udsEnv", "not both");
    }

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "registrationId", value = "devkit-test-01")
    @MojoParameter(name = "udsServerId", value = Fixtures.SERVER_P01)
    @MojoParameter(name = "udsEnv", value = ENV_P08)
    void bothUdsServerIdAndUdsEnvForTheSingleDevice(GenerateMojo mojo) throws Exception {
        assertRefused(mojo, "dps.registrationId", field("udsServerId"), "udsEnv", "not both");
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/refuse-no-source/pom.xml")
    void neitherUdsServerIdNorUdsEnv(GenerateMojo mojo) throws Exception {
        assertRefused(mojo, "device 'devkit-test-02'", field("udsServerId"), "udsEnv", "no UDS source");
    }

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "registrationId", value = "devkit-test-01")
    @MojoParameter(name = "udsEnv", value = ENV_UNSET)
    void environmentVariableNotSet(GenerateMojo mojo) throws Exception {
        assertRefused(mojo, DEVKIT_TEST_01, field("udsEnv"), "environment variable " + ENV_UNSET + " is not set");
    }

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "registrationId", value = "devkit-test-01")
    @MojoParameter(name = "udsEnv", value = "DPS_SHORT_UDS")
    void environmentVariableOf63Characters(GenerateMojo mojo) throws Exception {
        env("DPS_SHORT_UDS", P01.uds.substring(0, 63));

        assertRefused(mojo, DEVKIT_TEST_01, field("uds"), "DPS_SHORT_UDS", "63 characters");
    }

    // ---- the device's identity -----------------------------------------------------------------

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/refuse-bad-mac/pom.xml")
    void badMacAddress(GenerateMojo mojo) throws Exception {
        assertRefused(mojo, "device #2 of <devices>", field("macAddress"), "'C8:93:46:4A:1B'");
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/refuse-mac-without-version/pom.xml")
    void macAddressWithoutAnyFirmwareVersion(GenerateMojo mojo) throws Exception {
        assertRefused(mojo, "device #1 of <devices> (MAC c8:93:46:4a:1b:2c)", field("firmwareVersion"), "not set");
    }

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "macAddress", value = "c8:93:46:4a:1b:2c")
    @MojoParameter(name = "firmwareVersion", value = "2.0")
    @MojoParameter(name = "udsEnv", value = ENV_P08)
    void badFirmwareVersion(GenerateMojo mojo) throws Exception {
        assertRefused(mojo, "(MAC c8:93:46:4a:1b:2c)", field("firmwareVersion"), "'2.0'", "N.N.N");
    }

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "registrationId", value = "DevKit-Test-01")
    @MojoParameter(name = "udsServerId", value = Fixtures.SERVER_P01)
    void registrationIdWithUpperCase(GenerateMojo mojo) throws Exception {
        assertRefused(mojo, "device 'DevKit-Test-01'", field("registrationId"), "upper-case", "'devkit-test-01'");
    }

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "udsServerId", value = Fixtures.SERVER_P01)
    void registrationIdOf127Characters(GenerateMojo mojo) throws Exception {
        String id = "devkit-" + "x".repeat(120); // not hex: a long hex run is never echoed (it may be a UDS)
        assertEquals(127, id.length());
        set(mojo, "registrationId", id);

        assertRefused(mojo, "device '" + id + "'", field("registrationId"), "127 characters", "126");
    }

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "registrationId", value = "devkit-test-01")
    @MojoParameter(name = "macAddress", value = "c8:93:46:4a:1b:2c")
    @MojoParameter(name = "firmwareVersion", value = "2.0.0")
    @MojoParameter(name = "udsServerId", value = Fixtures.SERVER_P01)
    void registrationIdAndMacAddressTogether(GenerateMojo mojo) throws Exception {
        assertRefused(mojo, DEVKIT_TEST_01, field("registrationId"), "macAddress", "not both");
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/refuse-duplicate-ids/pom.xml")
    void duplicateRegistrationIds(GenerateMojo mojo) throws Exception {
        assertRefused(mojo, DEVKIT_TEST_01, field("registrationId"), "more than once");
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/refuse-duplicate-derived-id/pom.xml")
    void explicitIdEqualToAnotherDevicesDerivedId(GenerateMojo mojo) throws Exception {
        assertRefused(mojo, "device 'az-a0b1c2d3e4f5v1v3v7'", field("registrationId"), "more than once");
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/refuse-one-bad-one-good/pom.xml")
    void oneBadDeviceAndOneGoodWritesNothingAtAll(GenerateMojo mojo) throws Exception {
        assertRefused(mojo, "device 'devkit-test-02'", field("udsEnv"), ENV_UNSET);
        // the good one's previous file is still the previous one
        assertEquals("previous run's certificate\n", Files.readString(out.resolve("devkit-test-01.pem")));
        assertFalse(Files.exists(out.resolve("devkit-test-01-deviceid.pem")));
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/fleet/pom.xml")
    void everyFailingDeviceIsReported(GenerateMojo mojo) throws Exception {
        settings.getServer(Fixtures.SERVER_P01).setPassword(null);
        systemProperties.remove("env." + ENV_P08);

        MojoFailureException e = assertRefused(mojo, "2 devices are in error; nothing was written",
                "device 'devkit-test-01' (#1 of <devices>): udsServerId: ", "device 'az-a0b1c2d3e4f5v1v3v7' (#2 of <devices>): udsEnv: ");
        assertFalse(e.getMessage().contains("az-a0b1c2d3e4f5v10v0v12"), "the third device is fine");
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/refuse-one-bad-one-good/pom.xml")
    void failedRunLeavesNoOutputDirectoryBehindWhenThereWasNone(GenerateMojo mojo) throws Exception {
        toOut(mojo);
        assertFalse(Files.exists(out));

        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

        assertTrue(e.getMessage().contains("devkit-test-02"), e.getMessage());
        assertFalse(Files.exists(out), "the output directory this run created is removed again");
    }

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "udsServerId", value = Fixtures.SERVER_P01)
    void udsServerIdWithoutARegistrationId(GenerateMojo mojo) throws Exception {
        assertRefused(mojo, field("registrationId"), "udsServerId/udsEnv is given without a device",
                "-Ddps.registrationId");
    }

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "udsEnv", value = ENV_P08)
    void udsEnvWithoutARegistrationId(GenerateMojo mojo) throws Exception {
        assertRefused(mojo, field("registrationId"), "without a device");
    }

    @Test
    @InjectMojo(goal = "generate")
    void noDeviceAtAll(GenerateMojo mojo) throws Exception {
        assertRefused(mojo, field("devices"), "no device");
    }

    // ---- run-wide parameters -------------------------------------------------------------------

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/device-registration-id/pom.xml")
    @MojoParameter(name = "nonce", value = "random")
    void unknownNonce(GenerateMojo mojo) throws Exception {
        assertRefused(mojo, field("nonce"), "'random'", "devkit", "rfc6979");
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/device-registration-id/pom.xml")
    @MojoParameter(name = "pemLayout", value = "wrapped")
    void unknownPemLayout(GenerateMojo mojo) throws Exception {
        assertRefused(mojo, field("pemLayout"), "'wrapped'", "one-line", "rfc7468");
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/device-registration-id/pom.xml")
    void missingFirmwareBin(GenerateMojo mojo) throws Exception {
        Path missing = tmp.resolve("no-such-firmware.ino.bin");
        set(mojo, "firmwareBin", missing.toFile());

        assertRefused(mojo, field("firmwareBin"), missing.toString(), "does not exist");
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/device-registration-id/pom.xml")
    void missingFirmwareMap(GenerateMojo mojo) throws Exception {
        Path missing = tmp.resolve("no-such-firmware.ino.map");
        set(mojo, "firmwareMap", missing.toFile());

        assertRefused(mojo, field("firmwareMap"), missing.toString(), "does not exist");
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/device-registration-id/pom.xml")
    void mapWithoutTheStopRiotFwSymbol(GenerateMojo mojo) throws Exception {
        String map = Files.readString(Fixtures.FW_A_MAP);
        String edited = map.lines().filter(l -> !l.contains("__stop_riot_fw = ."))
                .collect(java.util.stream.Collectors.joining("\n", "", "\n"));
        assertTrue(edited.length() < map.length());
        Path editedMap = Files.writeString(tmp.resolve("fw-a-no-stop-riot-fw.ino.map"), edited);
        set(mojo, "firmwareMap", editedMap.toFile());

        assertRefused(mojo, field("firmwareMap"), "__stop_riot_fw");
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/device-registration-id/pom.xml")
    void outputDirectoryThatIsARegularFile(GenerateMojo mojo) throws Exception {
        Path file = Files.writeString(tmp.resolve("dps-is-a-file"), "a file, not a directory\n");
        set(mojo, "outputDirectory", file.toFile());
        Map<String, String> before = Fixtures.snapshot(tmp);

        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

        assertTrue(e.getMessage().contains(field("outputDirectory")), e.getMessage());
        assertTrue(e.getMessage().contains("not a directory"), e.getMessage());
        Fixtures.assertNoSecret("the failure message", e.getMessage());
        Fixtures.assertSnapshot(before, tmp);
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/device-registration-id/pom.xml")
    void defaultsLeftUnresolvedWithoutAPomAreNotSet(GenerateMojo mojo) throws Exception {
        // what Maven hands a direct invocation without -Ddps.firmwareBin: the standalone project's
        // build directory still holds the expression
        set(mojo, "firmwareBin", new java.io.File("/work/${project.basedir}/target/standalone-pom-1.bin"));

        assertRefused(mojo, field("firmwareBin"), "is not set, and its default (${project.basedir}/target/"
                + "standalone-pom-1.bin) needs a POM; give -Ddps.firmwareBin=<path>");
    }
}
