package io.github.dpsplugin.maven;

import static io.github.dpsplugin.maven.Fixtures.FW_A_BIN_PARAM;
import static io.github.dpsplugin.maven.Fixtures.FW_A_MAP_PARAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.when;

import io.github.dpsplugin.maven.Fixtures.CapturingLog;
import java.util.List;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.descriptor.MojoDescriptor;
import org.apache.maven.plugin.descriptor.Parameter;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.junit.jupiter.api.Test;

/**
 * Every goal warns about {@code -Ddps.*} properties that no goal of the plugin uses, naming the
 * nearest known one; the known ones come from the plugin's descriptor (built into target/classes).
 */
@MojoTest
@MojoParameter(name = "firmwareBin", value = FW_A_BIN_PARAM)
@MojoParameter(name = "firmwareMap", value = FW_A_MAP_PARAM)
class UnknownPropertiesTest extends MojoTestBase {

    private static List<String> warnings(CapturingLog log) {
        return log.at("WARN").stream().filter(w -> w.startsWith("unknown property")).toList();
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/device-registration-id/pom.xml")
    @UserProperty(name = "dps.pemlayout", value = "rfc7468")
    @UserProperty(name = "dps.registrationID", value = "devkit-test-01")
    @UserProperty(name = "dps.acknowledgeDevkitNonce", value = "true")
    void generateNamesTheNearestKnownProperty(GenerateMojo mojo) throws Exception {
        execution(mojo, "generate", null);
        CapturingLog log = new CapturingLog();
        mojo.setLog(log);
        toOut(mojo).execute();
        assertEquals(List.of("unknown property dps.pemlayout; did you mean dps.pemLayout?",
                "unknown property dps.registrationID; did you mean dps.registrationId?"), warnings(log), log.all());
    }

    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.skip", value = "true")
    @UserProperty(name = "dps.sertificate", value = "x.pem")
    @UserProperty(name = "dps.firmwareBin", value = "a.bin")
    @UserProperty(name = "dps.pemLayout", value = "rfc7468")
    void verifyWarnsTooEvenWhenSkippedAndKnowsTheOtherGoalsProperties(VerifyMojo mojo) throws Exception {
        execution(mojo, "verify", null);
        CapturingLog log = new CapturingLog();
        mojo.setLog(log);
        mojo.execute();
        // dps.pemLayout is generate's: known; dps.sertificate is no goal's
        assertEquals(List.of("unknown property dps.sertificate; did you mean dps.certificate?"), warnings(log),
                log.all());
    }

    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.skip", value = "true")
    @UserProperty(name = "dps.nonse", value = "any")
    void oncePerPropertyInABuild(VerifyMojo mojo) throws Exception {
        when(session.getRepositorySession()).thenReturn(new DefaultRepositorySystemSession());
        execution(mojo, "verify", null);
        CapturingLog log = new CapturingLog();
        mojo.setLog(log);
        mojo.execute();
        mojo.execute(); // e.g. the next module of the reactor
        assertEquals(List.of("unknown property dps.nonse; did you mean dps.nonce?"), warnings(log), log.all());
    }

    @Test
    @InjectMojo(goal = "generate-uds")
    @UserProperty(name = "dps.skip", value = "true")
    @UserProperty(name = "dps.udsfile", value = "uds.csv")
    void generateUdsWarnsToo(GenerateUdsMojo mojo) throws Exception {
        execution(mojo, "generate-uds", null);
        CapturingLog log = new CapturingLog();
        mojo.setLog(log);
        mojo.execute();
        assertEquals(List.of("unknown property dps.udsfile; did you mean dps.udsFile?"), warnings(log), log.all());
    }

    @Test
    @InjectMojo(goal = "merge-manifests")
    @UserProperty(name = "dps.skip", value = "true")
    @UserProperty(name = "dps.mergedmanifest", value = "all.json")
    void mergeManifestsWarnsToo(MergeManifestsMojo mojo) throws Exception {
        execution(mojo, "merge-manifests", null);
        CapturingLog log = new CapturingLog();
        mojo.setLog(log);
        mojo.execute();
        assertEquals(List.of("unknown property dps.mergedmanifest; did you mean dps.mergedManifest?"), warnings(log),
                log.all());
    }

    /** A parameter added to any goal is known at once: the list is the descriptor, not a copy of it. */
    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.skip", value = "true")
    @UserProperty(name = "dps.futureParameter", value = "1")
    @UserProperty(name = "dps.futureParametr", value = "1")
    void aNewParameterIsKnownWithoutAList(VerifyMojo mojo) throws Exception {
        MojoExecution execution = execution(mojo, "verify", null);
        MojoDescriptor future = new MojoDescriptor();
        future.setGoal("future");
        Parameter p = new Parameter();
        p.setName("futureParameter");
        p.setExpression("${dps.futureParameter}");
        future.addParameter(p);
        execution.getMojoDescriptor().getPluginDescriptor().addMojo(future);
        CapturingLog log = new CapturingLog();
        mojo.setLog(log);
        mojo.execute();
        assertEquals(List.of("unknown property dps.futureParametr; did you mean dps.futureParameter?"),
                warnings(log), log.all());
    }

    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.skip", value = "true")
    @UserProperty(name = "dps.uds", value = Fixtures.P01_UDS_CONSTANT)
    @UserProperty(name = "dps.manifest", value = "m.json")
    void knownAndRefusedPropertiesAreNotUnknown(VerifyMojo mojo) throws Exception {
        execution(mojo, "verify", null);
        CapturingLog log = new CapturingLog();
        mojo.setLog(log);
        mojo.execute();
        assertTrue(warnings(log).isEmpty(), log.all());
        Fixtures.assertNoSecret("the log", log.all());
    }

    @Test
    void closestPrefersCaseOnlyDifferences() {
        java.util.Set<String> known = new java.util.TreeSet<>(List.of("dps.udsEnv", "dps.udsFile", "dps.uds"));
        assertEquals("dps.udsEnv", UnknownProperties.closest("dps.udsenv", known));
        assertEquals("dps.udsFile", UnknownProperties.closest("dps.udsfile", known));
        assertEquals(3, UnknownProperties.distance("kitten", "sitting"));
        assertFalse(UnknownProperties.closest("dps.UDS", known).isEmpty());
    }
}
