package io.github.dpsplugin.maven;

import static io.github.dpsplugin.maven.Fixtures.FW_A_BIN_PARAM;
import static io.github.dpsplugin.maven.Fixtures.FW_A_MAP_PARAM;
import static io.github.dpsplugin.maven.Fixtures.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.maven.Fixtures.CapturingLog;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.junit.jupiter.api.Test;

/** {@code dps:generate} with a previous firmware: parameters, the INFO summary and the previous certificates. */
@MojoTest
@MojoParameter(name = "firmwareBin", value = GenerateMojoRolloutTest.FW_B_BIN_PARAM)
@MojoParameter(name = "firmwareMap", value = GenerateMojoRolloutTest.FW_B_MAP_PARAM)
class GenerateMojoRolloutTest extends MojoTestBase {

    static final String FW_B_BIN_PARAM = "${basedir}/../dps-core/src/test/resources/vectors/firmware/fw-b.ino.bin";
    static final String FW_B_MAP_PARAM = "${basedir}/../dps-core/src/test/resources/vectors/firmware/fw-b.ino.map";
    static final String FW_A_ELF_PARAM = "${basedir}/../dps-core/src/test/resources/vectors/firmware/fw-a.ino.elf";

    private final CapturingLog log = new CapturingLog();

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/rollout/pom.xml")
    @MojoParameter(name = "previousFirmwareBin", value = FW_A_BIN_PARAM)
    @MojoParameter(name = "previousFirmwareMap", value = FW_A_MAP_PARAM)
    void aRolloutIsSummarisedAndWritesThePreviousCertificates(GenerateMojo mojo) throws Exception {
        mojo.setLog(log);
        toOut(mojo).execute();
        List<String> rollout = log.at("INFO").stream().filter(l -> l.startsWith("rollout ")).collect(Collectors.toList());
        assertEquals(List.of("rollout 1.3.7 -> 2.0.0: 1 device changes certificate (FWID 0148... -> e441...),"
                + " 1 change registration ID, 0 unchanged; apply dps-rollout-start-*.json before the update,"
                + " dps-rollout-finish-*.json after (or run dps-rollout.sh start, then finish)"), rollout, log::all);
        assertArrayEquals(bytes(Fixtures.VECTORS.resolve("P01/devkit-test-01.pem")),
                bytes(out.resolve("previous/devkit-test-01.pem")));
        assertArrayEquals(bytes(Fixtures.VECTORS.resolve("P06/devkit-test-01.pem")), bytes(out.resolve("devkit-test-01.pem")));
        assertArrayEquals(bytes(Fixtures.VECTORS.resolve("P08/az-a0b1c2d3e4f5v1v3v7.pem")),
                bytes(out.resolve("previous/az-a0b1c2d3e4f5v1v3v7.pem")));
        assertTrue(Files.isRegularFile(out.resolve("az-a0b1c2d3e4f5v2v0v0.pem")));
        assertTrue(Files.isRegularFile(out.resolve("dps-rollout.sh")));
        assertTrue(Files.isRegularFile(out.resolve("dps-rollout-start-0001.json")));
        assertTrue(Files.isRegularFile(out.resolve("dps-rollout-finish-0001.json")));
        Fixtures.assertNoSecret("the log", log.all());
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/rollout/pom.xml")
    @MojoParameter(name = "previousFirmwareElf", value = FW_A_ELF_PARAM)
    @MojoParameter(name = "previousFirmwareMap", value = FW_A_MAP_PARAM)
    void thePreviousElfWinsAndTheIgnoredMapIsNamed(GenerateMojo mojo) throws Exception {
        mojo.setLog(log);
        toOut(mojo).execute();
        assertTrue(log.at("WARN").stream().anyMatch(w -> w.startsWith("previousFirmwareElf is given, so"
                + " previousFirmwareMap (") && w.contains("is not used")), log::all);
        assertArrayEquals(bytes(Fixtures.VECTORS.resolve("P01/devkit-test-01.pem")),
                bytes(out.resolve("previous/devkit-test-01.pem")));
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/rollout/pom.xml")
    void aPreviousVersionWithoutAPreviousFirmwareIsRefused(GenerateMojo mojo) throws Exception {
        assertRefused(mojo, field("previousFirmwareVersion"), "is given without a previous firmware");
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/rollout/pom.xml")
    @MojoParameter(name = "previousFirmwareBin", value = FW_A_BIN_PARAM)
    void aPreviousBinWithoutItsMapIsRefused(GenerateMojo mojo) throws Exception {
        assertRefused(mojo, field("previousFirmwareMap"), "needs both its .bin and its .map");
    }

    /**
     * A local repository holding release 1.3.7 of the test project (io.github.dpsplugin.test:rollout)
     * with fw-a's .bin and .map attached as types bin and map, and the session reading it.
     */
    private void release137InLocalRepository() throws Exception {
        releaseInLocalRepository("1.3.7");
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/rollout/pom.xml")
    @MojoParameter(name = "previousRelease", value = "1.3.7")
    void aPreviousReleaseIsResolvedLikeAnyArtifact(GenerateMojo mojo) throws Exception {
        release137InLocalRepository();
        mojo.setLog(log);
        toOut(mojo).execute();
        // the same certificates as naming fw-a's files (aRolloutIsSummarisedAndWritesThePreviousCertificates)
        assertArrayEquals(bytes(Fixtures.VECTORS.resolve("P01/devkit-test-01.pem")),
                bytes(out.resolve("previous/devkit-test-01.pem")));
        assertArrayEquals(bytes(Fixtures.VECTORS.resolve("P08/az-a0b1c2d3e4f5v1v3v7.pem")),
                bytes(out.resolve("previous/az-a0b1c2d3e4f5v1v3v7.pem")));
        assertTrue(log.all().contains("rollout 1.3.7 -> 2.0.0: 1 device changes certificate"), log::all);
        String manifest = Files.readString(out.resolve("dps-manifest.json"));
        assertTrue(manifest.contains("rollout-1.3.7.bin") && manifest.contains("rollout-1.3.7.map"), manifest);
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/rollout/pom.xml")
    @MojoParameter(name = "previousRelease", value = "1.3.7-rc1")
    void aPreviousReleaseNoDeviceReportsSaysWhatItAssumes(GenerateMojo mojo) throws Exception {
        releaseInLocalRepository("1.3.7-rc1");
        set(mojo, "previousFirmwareVersion", null); // the test POM gives 1.3.7
        mojo.setLog(log);
        toOut(mojo).execute();
        assertTrue(log.at("WARN").stream().anyMatch(w -> w.startsWith("previousRelease 1.3.7-rc1 is not a version a"
                + " DevKit reports (N.N.N)") && w.contains("give previousFirmwareVersion")), log::all);
        // as it says: the MAC-derived device is taken to have had its 2.0.0 ID under the release
        assertTrue(Files.isRegularFile(out.resolve("previous/az-a0b1c2d3e4f5v2v0v0.pem")), log::all);
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/rollout/pom.xml")
    @MojoParameter(name = "previousRelease", value = "1.3.7")
    void aPreviousReleaseIsTheVersionTheDevicesReportWhenNoneIsGiven(GenerateMojo mojo) throws Exception {
        release137InLocalRepository();
        set(mojo, "previousFirmwareVersion", null); // the test POM gives 1.3.7
        mojo.setLog(log);
        toOut(mojo).execute();
        // the MAC-derived device ran 1.3.7 under its 1.3.7 ID, as when previousFirmwareVersion is given
        assertArrayEquals(bytes(Fixtures.VECTORS.resolve("P08/az-a0b1c2d3e4f5v1v3v7.pem")),
                bytes(out.resolve("previous/az-a0b1c2d3e4f5v1v3v7.pem")));
        assertTrue(log.all().contains("1 change registration ID"), log::all);
        assertTrue(Files.readString(out.resolve("dps-manifest.json")).contains(
                "\"previousRegistrationId\": \"az-a0b1c2d3e4f5v1v3v7\""), "the manifest names the previous ID");
    }

    @Test
    void aReleaseVersionNoDevKitReportsLeavesTheDevicesVersions() {
        assertEquals("1.3.7", PreviousRelease.deviceVersion("1.3.7", null));
        assertEquals("1.3.7", PreviousRelease.deviceVersion("2.0.0", "1.3.7"));
        assertEquals(null, PreviousRelease.deviceVersion("2.0.0-rc1", " "));
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/rollout/pom.xml")
    @MojoParameter(name = "previousRelease", value = "1.2.0")
    void aReleaseWithoutAttachedFirmwareIsRefusedNamingTheCoordinates(GenerateMojo mojo) throws Exception {
        release137InLocalRepository();
        assertRefused(mojo, field("previousRelease"), "cannot resolve io.github.dpsplugin.test:rollout:bin:1.2.0 and"
                + " io.github.dpsplugin.test:rollout:map:1.2.0", "attached to the project (type bin and map");
    }

    /** Without a POM there is no project whose release could be named: said so, not Maven's stand-in's coordinates. */
    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/rollout/pom.xml")
    @MojoParameter(name = "previousRelease", value = "1.3.7")
    void aPreviousReleaseWithoutAPomIsRefused(GenerateMojo mojo) throws Exception {
        org.mockito.Mockito.when(session.getRequest())
                .thenReturn(new org.apache.maven.execution.DefaultMavenExecutionRequest().setProjectPresent(false));
        assertRefused(mojo, field("previousRelease"), "'1.3.7' names a release of this project, but there is no"
                + " project (no POM here); name the previous firmware by its files");
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/rollout/pom.xml")
    @MojoParameter(name = "previousRelease", value = "1.3.7")
    @MojoParameter(name = "previousFirmwareBin", value = FW_A_BIN_PARAM)
    @MojoParameter(name = "previousFirmwareMap", value = FW_A_MAP_PARAM)
    void aPreviousReleaseAndPreviousFilesAreRefused(GenerateMojo mojo) throws Exception {
        assertRefused(mojo, field("previousRelease"), "name the firmware the devices run now one way");
    }
}
