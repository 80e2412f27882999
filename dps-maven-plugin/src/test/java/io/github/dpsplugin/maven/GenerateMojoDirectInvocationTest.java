package io.github.dpsplugin.maven;

import static io.github.dpsplugin.maven.Fixtures.ENV_P08;
import static io.github.dpsplugin.maven.Fixtures.P01;
import static io.github.dpsplugin.maven.Fixtures.P11;
import static io.github.dpsplugin.maven.Fixtures.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.maven.Fixtures.CapturingLog;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.junit.jupiter.api.Test;

/**
 * The direct invocation ({@code mvn …:generate -Ddps.firmwareBin=… -Ddps.registrationId=…}):
 * no POM configuration at all, every value from a user property, so these tests pin the public
 * property names.
 */
@MojoTest
class GenerateMojoDirectInvocationTest extends MojoTestBase {

    private static final String BIN = "../dps-core/src/test/resources/vectors/firmware/fw-a.ino.bin";
    private static final String MAP = "../dps-core/src/test/resources/vectors/firmware/fw-a.ino.map";

    @Test
    @InjectMojo(goal = "generate")
    @UserProperty(name = "dps.firmwareBin", value = BIN)
    @UserProperty(name = "dps.firmwareMap", value = MAP)
    @UserProperty(name = "dps.registrationId", value = "devkit-test-01")
    @UserProperty(name = "dps.udsServerId", value = Fixtures.SERVER_P01)
    @UserProperty(name = "dps.nonce", value = "devkit")
    @UserProperty(name = "dps.pemLayout", value = "one-line")
    @UserProperty(name = "dps.attach", value = "false")
    @UserProperty(name = "dps.acknowledgeDevkitNonce", value = "true")
    void byRegistrationIdAndSettingsServer(GenerateMojo mojo) throws Exception {
        File bin = MojoExtension.getVariableValueFromObject(mojo, "firmwareBin");
        assertEquals(Fixtures.FW_A_BIN, bin.toPath().toAbsolutePath().normalize(),
                "a relative dps.firmwareBin is resolved against the basedir");
        assertEquals("devkit-test-01", MojoExtension.getVariableValueFromObject(mojo, "registrationId"));
        assertEquals(Fixtures.SERVER_P01, MojoExtension.getVariableValueFromObject(mojo, "udsServerId"));
        assertEquals(Boolean.FALSE, MojoExtension.getVariableValueFromObject(mojo, "attach"));
        assertEquals(Boolean.TRUE, MojoExtension.getVariableValueFromObject(mojo, "acknowledgeDevkitNonce"));
        giveProjectAnArtifact();
        CapturingLog log = new CapturingLog();
        mojo.setLog(log);

        toOut(mojo).execute();

        assertArrayEquals(bytes(P01.aliasCertFile), bytes(out.resolve("devkit-test-01.pem")));
        assertTrue(project.getAttachedArtifacts().isEmpty(), "dps.attach=false");
        assertTrue(log.at("WARN").isEmpty(), "dps.acknowledgeDevkitNonce=true: " + log.all());
    }

    @Test
    @InjectMojo(goal = "generate")
    @UserProperty(name = "dps.firmwareBin", value = BIN)
    @UserProperty(name = "dps.firmwareMap", value = MAP)
    @UserProperty(name = "dps.macAddress", value = "a0:b1:c2:d3:e4:f5")
    @UserProperty(name = "dps.firmwareVersion", value = "10.0.12")
    @UserProperty(name = "dps.udsEnv", value = ENV_P08)
    @UserProperty(name = "dps.outputDirectory", value = "target/unit-tests/direct-invocation")
    void byMacAddressAndEnvironmentVariable(GenerateMojo mojo) throws Exception {
        File configured = MojoExtension.getVariableValueFromObject(mojo, "outputDirectory");
        Path expected = Path.of(MojoExtension.getBasedir(), "target/unit-tests/direct-invocation");
        assertEquals(expected.toAbsolutePath().normalize(), configured.toPath().toAbsolutePath().normalize(),
                "a relative dps.outputDirectory is resolved against the basedir");
        assertEquals("a0:b1:c2:d3:e4:f5", MojoExtension.getVariableValueFromObject(mojo, "macAddress"));
        assertEquals("10.0.12", MojoExtension.getVariableValueFromObject(mojo, "firmwareVersion"));
        assertEquals(ENV_P08, MojoExtension.getVariableValueFromObject(mojo, "udsEnv"));

        toOut(mojo).execute(); // into the test's temporary directory, not target/

        assertArrayEquals(bytes(P11.aliasCertFile), bytes(out.resolve(P11.registrationId + ".pem")));
    }

    @Test
    @InjectMojo(goal = "generate")
    @UserProperty(name = "dps.skip", value = "true")
    @UserProperty(name = "dps.uds", value = Fixtures.P01_UDS_CONSTANT)
    void skipPropertyStopsBeforeAnything(GenerateMojo mojo) throws Exception {
        toOut(mojo).execute();

        assertFalse(Files.exists(out));
    }

    @Test
    @InjectMojo(goal = "generate")
    @UserProperty(name = "dps.firmwareBin", value = BIN)
    @UserProperty(name = "dps.firmwareMap", value = MAP)
    @UserProperty(name = "dps.registrationId", value = "devkit-test-01")
    @UserProperty(name = "dps.udsEnv", value = ENV_P08)
    @UserProperty(name = "dps.uds", value = Fixtures.P01_UDS_CONSTANT)
    void udsPropertyIsRefused(GenerateMojo mojo) throws Exception {
        assertRefused(mojo, field("uds"), "dps.uds", "udsServerId", "udsEnv", "settings.xml");
    }
}
