package io.github.dpsplugin.maven;

import static io.github.dpsplugin.maven.Fixtures.ENV_P08;
import static io.github.dpsplugin.maven.Fixtures.FW_A_BIN_PARAM;
import static io.github.dpsplugin.maven.Fixtures.FW_A_MAP_PARAM;
import static io.github.dpsplugin.maven.Fixtures.P01;
import static io.github.dpsplugin.maven.Fixtures.P08;
import static io.github.dpsplugin.maven.Fixtures.P11;
import static io.github.dpsplugin.maven.Fixtures.bytes;
import static io.github.dpsplugin.maven.Fixtures.der;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.maven.Fixtures.CapturingLog;
import io.github.dpsplugin.maven.Fixtures.VectorCase;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.artifact.Artifact;
import org.junit.jupiter.api.Test;

/** Parameter handling of {@code dps:generate}: device lists, direct invocation, skip, attach, nonce, PEM layout. */
@MojoTest
@MojoParameter(name = "firmwareBin", value = FW_A_BIN_PARAM)
@MojoParameter(name = "firmwareMap", value = FW_A_MAP_PARAM)
class GenerateMojoParametersTest extends MojoTestBase {

    /** The alias certificate of {@code c} was written byte-identical to the reference tool's. */
    private void assertVector(VectorCase c) {
        Path alias = out.resolve(c.registrationId + ".pem");
        assertTrue(Files.isRegularFile(alias), () -> alias + " was not written");
        assertArrayEquals(bytes(c.aliasCertFile), bytes(alias), c.id + ": alias certificate");
        assertArrayEquals(der(c.deviceIdCertFile), der(out.resolve(c.registrationId + "-deviceid.pem")),
                c.id + ": DeviceID certificate");
    }

    private Set<String> outputFiles() throws Exception {
        try (Stream<Path> s = Files.list(out)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
    }

    // ---- <devices> -----------------------------------------------------------------------------

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/device-registration-id/pom.xml")
    void deviceWithRegistrationId(GenerateMojo mojo) throws Exception {
        toOut(mojo).execute();

        assertVector(P01);
        assertEquals(Set.of("devkit-test-01.pem", "devkit-test-01-deviceid.pem", "dps-manifest.json"), outputFiles());
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/device-mac-version/pom.xml")
    void deviceWithMacAddressAndItsFirmwareVersion(GenerateMojo mojo) throws Exception {
        toOut(mojo).execute();

        assertEquals("az-a0b1c2d3e4f5v1v3v7", P08.registrationId);
        assertVector(P08);
        String manifest = Fixtures.read(out.resolve("dps-manifest.json"));
        assertTrue(manifest.contains("\"macAddress\": \"a0:b1:c2:d3:e4:f5\""), manifest);
        assertTrue(manifest.contains("\"firmwareVersion\": \"1.3.7\""), manifest);
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/device-mac-plugin-version/pom.xml")
    void deviceWithMacAddressTakesThePluginFirmwareVersion(GenerateMojo mojo) throws Exception {
        toOut(mojo).execute();

        assertEquals("az-a0b1c2d3e4f5v10v0v12", P11.registrationId);
        assertVector(P11);
        assertTrue(Fixtures.read(out.resolve("dps-manifest.json")).contains("\"firmwareVersion\": \"10.0.12\""));
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/fleet/pom.xml")
    // the reference vectors give one UDS several IDs; the refusal of a shared UDS is tested on its own
    @MojoParameter(name = "allowSharedUds", value = "true")
    void fleetOfThreeKindsOfDevice(GenerateMojo mojo) throws Exception {
        toOut(mojo).execute();

        // a device's own firmwareVersion wins over the plugin's (P08: 1.3.7), the others take it (P11: 10.0.12)
        assertVector(P01);
        assertVector(P08);
        assertVector(P11);
        assertEquals(7, outputFiles().size(), outputFiles()::toString);
    }

    // ---- direct invocation (no <devices>) ------------------------------------------------------

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "registrationId", value = "devkit-test-01")
    @MojoParameter(name = "udsServerId", value = Fixtures.SERVER_P01)
    void singleDeviceFromPluginParameters(GenerateMojo mojo) throws Exception {
        toOut(mojo).execute();

        assertVector(P01);
    }

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "macAddress", value = "A0B1C2D3E4F5")
    @MojoParameter(name = "firmwareVersion", value = "1.3.7")
    @MojoParameter(name = "udsEnv", value = ENV_P08)
    void singleDeviceFromPluginMacAddressAndUdsEnv(GenerateMojo mojo) throws Exception {
        toOut(mojo).execute();

        assertVector(P08);
    }

    @Test
    @InjectMojo(goal = "generate")
    void defaultOutputDirectoryIsUnderTheBuildDirectory(GenerateMojo mojo) throws Exception {
        File configured = MojoExtension.getVariableValueFromObject(mojo, "outputDirectory");
        assertEquals(Path.of(MojoExtension.getBasedir(), "target", "dps").toAbsolutePath().normalize(),
                configured.toPath().toAbsolutePath().normalize());
        assertEquals("devkit", MojoExtension.getVariableValueFromObject(mojo, "nonce"));
        assertEquals("one-line", MojoExtension.getVariableValueFromObject(mojo, "pemLayout"));
        assertEquals(Boolean.TRUE, MojoExtension.getVariableValueFromObject(mojo, "attach"));
        assertEquals(Boolean.FALSE, MojoExtension.getVariableValueFromObject(mojo, "skip"));
    }

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "registrationId", value = "devkit-test-01")
    @MojoParameter(name = "udsServerId", value = "dps-p01-upper")
    void upperCaseUdsGivesTheSameCertificate(GenerateMojo mojo) throws Exception {
        server("dps-p01-upper", P01.uds.toUpperCase(java.util.Locale.ROOT)); // as vector P02

        toOut(mojo).execute();

        assertVector(P01);
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/device-registration-id/pom.xml")
    void secondRunReplacesThePreviousOutputs(GenerateMojo mojo) throws Exception {
        Fixtures.previousRun(out);
        Files.writeString(out.resolve("unrelated.txt"), "not ours\n");

        toOut(mojo).execute();

        assertVector(P01);
        assertFalse(Fixtures.read(out.resolve("dps-manifest.json")).contains("previous"));
        assertEquals("not ours\n", Files.readString(out.resolve("unrelated.txt")));
        assertEquals(Set.of("devkit-test-01.pem", "devkit-test-01-deviceid.pem", "dps-manifest.json", "unrelated.txt"),
                outputFiles(), "no staging directory is left behind");
    }

    // ---- skip ----------------------------------------------------------------------------------

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/fleet/pom.xml")
    @MojoParameter(name = "skip", value = "true")
    void skipWritesNothing(GenerateMojo mojo) throws Exception {
        giveProjectAnArtifact();
        CapturingLog log = new CapturingLog();
        mojo.setLog(log);

        toOut(mojo).execute();

        assertFalse(Files.exists(out), "skip must not even create the output directory");
        assertTrue(project.getAttachedArtifacts().isEmpty());
        assertEquals(List.of("INFO DPS certificates: skipped (dps.skip)"), log.lines);
    }

    // ---- attach --------------------------------------------------------------------------------

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/fleet/pom.xml")
    // the reference vectors give one UDS several IDs; the refusal of a shared UDS is tested on its own
    @MojoParameter(name = "allowSharedUds", value = "true")
    void attachAttachesTheManifestAndOnePemPerDevice(GenerateMojo mojo) throws Exception {
        giveProjectAnArtifact();

        toOut(mojo).execute();

        List<Artifact> attached = project.getAttachedArtifacts();
        assertEquals(4, attached.size(), attached::toString);
        Map<String, Artifact> byClassifier = attached.stream()
                .collect(Collectors.toMap(Artifact::getClassifier, a -> a));

        Artifact manifest = byClassifier.get("dps-manifest");
        assertEquals("json", manifest.getType());
        assertEquals(out.resolve("dps-manifest.json").toFile().getAbsoluteFile(), manifest.getFile().getAbsoluteFile());

        for (VectorCase c : List.of(P01, P08, P11)) {
            Artifact pem = byClassifier.get("dps-" + c.registrationId);
            assertEquals("pem", pem.getType(), c.id);
            assertEquals(out.resolve(c.registrationId + ".pem").toFile().getAbsoluteFile(),
                    pem.getFile().getAbsoluteFile(), c.id);
            assertTrue(pem.getFile().isFile(), c.id);
            assertEquals("io.github.dpsplugin.test:firmware:1.0", pem.getGroupId() + ":" + pem.getArtifactId() + ":"
                    + pem.getVersion());
        }
    }

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "registrationId", value = "devkit:test.01_a")
    @MojoParameter(name = "udsServerId", value = Fixtures.SERVER_P01)
    void classifierOfAnIdWithAColon(GenerateMojo mojo) throws Exception {
        giveProjectAnArtifact();

        toOut(mojo).execute();

        List<String> classifiers = project.getAttachedArtifacts().stream().map(Artifact::getClassifier)
                .sorted().collect(Collectors.toList());
        // ':' is not safe in coordinates nor in file names: the portable name of FileNames ('~3a'), injective
        assertEquals(List.of("dps-devkit~3atest.01_a", "dps-manifest"), classifiers);
        assertTrue(project.getAttachedArtifacts().stream().anyMatch(a -> a.getFile().getName()
                .equals("devkit~3atest.01_a.pem")));
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/fleet/pom.xml")
    @MojoParameter(name = "attach", value = "false")
    // the reference vectors give one UDS several IDs; the refusal of a shared UDS is tested on its own
    @MojoParameter(name = "allowSharedUds", value = "true")
    void attachFalseAttachesNothing(GenerateMojo mojo) throws Exception {
        giveProjectAnArtifact();

        toOut(mojo).execute();

        assertVector(P01);
        assertTrue(project.getAttachedArtifacts().isEmpty(), () -> project.getAttachedArtifacts().toString());
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/device-registration-id/pom.xml")
    void withoutAProjectArtifactNothingIsAttachedAndTheBuildGoesOn(GenerateMojo mojo) throws Exception {
        CapturingLog log = new CapturingLog();
        mojo.setLog(log);

        toOut(mojo).execute(); // the harness project has no main artifact

        assertVector(P01);
        assertTrue(project.getAttachedArtifacts().isEmpty());
        assertTrue(log.at("DEBUG").contains("no project artifact to attach to"), log::all);
    }

    // ---- nonce and PEM layout ------------------------------------------------------------------

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/device-registration-id/pom.xml")
    @MojoParameter(name = "nonce", value = "rfc6979")
    void rfc6979NonceGivesADifferentButValidCertificate(GenerateMojo mojo) throws Exception {
        toOut(mojo).execute();

        Path aliasFile = out.resolve("devkit-test-01.pem");
        Path deviceIdFile = out.resolve("devkit-test-01-deviceid.pem");
        assertFalse(java.util.Arrays.equals(bytes(P01.aliasCertFile), bytes(aliasFile)),
                "rfc6979 must not give the devkit-nonce certificate");

        X509Certificate alias = Fixtures.certificate(aliasFile);
        X509Certificate deviceId = Fixtures.certificate(deviceIdFile);
        X509Certificate referenceAlias = Fixtures.certificate(P01.aliasCertFile);
        X509Certificate referenceDeviceId = Fixtures.certificate(P01.deviceIdCertFile);
        alias.verify(deviceId.getPublicKey()); // throws if the signature is wrong
        deviceId.verify(deviceId.getPublicKey());
        assertFalse(java.util.Arrays.equals(referenceAlias.getSignature(), alias.getSignature()));
        assertFalse(java.util.Arrays.equals(referenceDeviceId.getSignature(), deviceId.getSignature()));
        // same keys, same names: only the signatures differ
        assertArrayEquals(referenceDeviceId.getPublicKey().getEncoded(), deviceId.getPublicKey().getEncoded());
        assertArrayEquals(referenceAlias.getPublicKey().getEncoded(), alias.getPublicKey().getEncoded());
        assertArrayEquals(referenceAlias.getTBSCertificate(), alias.getTBSCertificate());
        assertEquals(referenceAlias.getSubjectX500Principal(), alias.getSubjectX500Principal());
        assertTrue(alias.getSubjectX500Principal().getName().contains("CN=devkit-test-01"));
        assertTrue(Fixtures.read(out.resolve("dps-manifest.json")).contains("\"noncePolicy\": \"rfc6979\""));
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/device-registration-id/pom.xml")
    @MojoParameter(name = "pemLayout", value = "rfc7468")
    void rfc7468LayoutWraps64ColumnsAroundTheSameDer(GenerateMojo mojo) throws Exception {
        toOut(mojo).execute();

        for (Path[] pair : new Path[][] {{out.resolve("devkit-test-01.pem"), P01.aliasCertFile},
                {out.resolve("devkit-test-01-deviceid.pem"), P01.deviceIdCertFile}}) {
            String text = Fixtures.read(pair[0]);
            List<String> lines = text.lines().collect(Collectors.toList());
            assertEquals("-----BEGIN CERTIFICATE-----", lines.get(0));
            assertEquals("-----END CERTIFICATE-----", lines.get(lines.size() - 1));
            assertTrue(text.endsWith("-----\n") && !text.contains("\r"), "LF line ends, the last one too");
            List<String> body = lines.subList(1, lines.size() - 1);
            assertTrue(body.size() > 1, "wrapped");
            for (int i = 0; i < body.size(); i++) {
                int len = body.get(i).length();
                if (i < body.size() - 1) {
                    assertEquals(64, len, "line " + (i + 2) + " of " + pair[0]);
                } else {
                    assertTrue(len > 0 && len <= 64, "last base64 line of " + pair[0]);
                }
            }
            assertArrayEquals(der(pair[1]), der(pair[0]), "same DER as the one-line reference");
            Fixtures.certificate(pair[0]); // the JDK reads it
        }
    }
}
