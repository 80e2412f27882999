package io.github.dpsplugin.maven;

import static io.github.dpsplugin.maven.Fixtures.FW_A_BIN_PARAM;
import static io.github.dpsplugin.maven.Fixtures.FW_A_MAP_PARAM;
import static io.github.dpsplugin.maven.Fixtures.P01;
import static io.github.dpsplugin.maven.Fixtures.P08;
import static io.github.dpsplugin.maven.Fixtures.P11;
import static io.github.dpsplugin.maven.Fixtures.bytes;
import static io.github.dpsplugin.maven.Fixtures.der;
import static io.github.dpsplugin.maven.Fixtures.thumbprint;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.maven.Fixtures.VectorCase;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/** What {@code dps:generate} writes, against the reference vectors. */
@MojoTest
@MojoParameter(name = "firmwareBin", value = FW_A_BIN_PARAM)
@MojoParameter(name = "firmwareMap", value = FW_A_MAP_PARAM)
class GenerateMojoOutputsTest extends MojoTestBase {

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/device-registration-id/pom.xml")
    void p01AliasCertificateIsByteIdenticalAndDeviceIdDerEqual(GenerateMojo mojo) throws Exception {
        toOut(mojo).execute();

        Path alias = out.resolve("devkit-test-01.pem");
        Path deviceId = out.resolve("devkit-test-01-deviceid.pem");
        assertEquals(P01.aliasCertFile, Fixtures.VECTORS.resolve("P01/devkit-test-01.pem"));
        assertArrayEquals(bytes(P01.aliasCertFile), bytes(alias), "the file to upload to DPS");
        assertArrayEquals(der(Fixtures.VECTORS.resolve("P01/deviceid-cert.pem")), der(deviceId));

        // and they are certificates the JDK accepts, the alias one signed by the DeviceID key
        X509Certificate a = Fixtures.certificate(alias);
        X509Certificate d = Fixtures.certificate(deviceId);
        a.verify(d.getPublicKey());
        d.verify(d.getPublicKey());
    }

    /**
     * The rule the Usage guide states: an output directory the plugin creates is its owner's only
     * (the DevKit's certificates give away DeviceID keys); one that exists keeps its permissions,
     * on every run, so a directory made readable on purpose stays so.
     */
    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/device-registration-id/pom.xml")
    void outputDirectoryIsCreatedOwnerOnlyAndAnExistingOneKeepsItsPermissions(GenerateMojo mojo) throws Exception {
        assumeTrue(java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        assertFalse(java.nio.file.Files.exists(out));

        toOut(mojo).execute();
        assertEquals("rwx------", permissions(out), "created by the plugin");
        toOut(mojo).execute();
        assertEquals("rwx------", permissions(out), "a second run");

        java.nio.file.Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
        toOut(mojo).execute();
        assertEquals("rwxr-xr-x", permissions(out), "made readable by its owner: kept");
        assertTrue(java.nio.file.Files.isRegularFile(out.resolve("devkit-test-01.pem")));
    }

    private static String permissions(Path p) throws java.io.IOException {
        return PosixFilePermissions.toString(java.nio.file.Files.getPosixFilePermissions(p));
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/fleet/pom.xml")
    // the reference vectors give one UDS several IDs; the refusal of a shared UDS is tested on its own
    @MojoParameter(name = "allowSharedUds", value = "true")
    void manifestNamesEveryDeviceWithIndependentlyComputedThumbprints(GenerateMojo mojo) throws Exception {
        toOut(mojo).execute();

        String manifest = Fixtures.read(out.resolve("dps-manifest.json"));
        for (VectorCase c : List.of(P01, P08, P11)) {
            String entry = entry(manifest, c.registrationId);
            byte[] aliasDer = der(out.resolve(c.registrationId + ".pem"));
            byte[] deviceIdDer = der(out.resolve(c.registrationId + "-deviceid.pem"));
            assertArrayEquals(der(c.aliasCertFile), aliasDer, c.id);

            assertTrue(entry.contains("\"aliasCertificate\": \"" + c.registrationId + ".pem\""), entry);
            assertTrue(entry.contains("\"deviceIdCertificate\": \"" + c.registrationId + "-deviceid.pem\""), entry);
            assertTrue(entry.contains("\"aliasThumbprintSha1\": \"" + thumbprint("SHA-1", aliasDer) + "\""), entry);
            assertTrue(entry.contains("\"aliasThumbprintSha256\": \"" + thumbprint("SHA-256", aliasDer) + "\""), entry);
            assertTrue(entry.contains("\"deviceIdThumbprintSha1\": \"" + thumbprint("SHA-1", deviceIdDer) + "\""),
                    entry);
            assertTrue(entry.contains("\"deviceIdThumbprintSha256\": \"" + thumbprint("SHA-256", deviceIdDer)
                    + "\""), entry);
            assertTrue(entry.contains("\"noncePolicy\": \"devkit\""), entry);
            if (c.mac != null) {
                assertTrue(entry.contains("\"firmwareVersion\": \"" + c.firmwareVersion + "\""), entry);
            } else {
                assertFalse(entry.contains("macAddress"), entry);
            }
        }
        // upper-case hex, as the portal shows them
        Matcher m = Pattern.compile("\"\\w+Thumbprint\\w+\": \"([^\"]*)\"").matcher(manifest);
        int n = 0;
        while (m.find()) {
            n++;
            assertTrue(m.group(1).matches("[0-9A-F]{40}|[0-9A-F]{64}"), m.group(1));
        }
        assertEquals(12, n);

        Fixtures.assertNoSecret("dps-manifest.json", manifest);
        assertFalse(manifest.contains(tmp.toString()), "no absolute paths in the manifest");
        assertTrue(manifest.contains("\"bin\": \"fw-a.ino.bin\""), manifest);
        for (String name : List.of("devkit-test-01", P08.registrationId, P11.registrationId)) {
            Fixtures.assertNoSecret(name + ".pem", Fixtures.read(out.resolve(name + ".pem")));
            Fixtures.assertNoSecret(name + "-deviceid.pem", Fixtures.read(out.resolve(name + "-deviceid.pem")));
        }
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/device-registration-id/pom.xml")
    void p01ManifestNeverHoldsTheUds(GenerateMojo mojo) throws Exception {
        toOut(mojo).execute();

        String manifest = Fixtures.read(out.resolve("dps-manifest.json"));
        byte[] aliasDer = der(out.resolve("devkit-test-01.pem"));
        assertTrue(manifest.contains("\"registrationId\": \"devkit-test-01\""), manifest);
        assertTrue(manifest.contains(thumbprint("SHA-1", aliasDer)), manifest);
        assertTrue(manifest.contains(thumbprint("SHA-256", aliasDer)), manifest);
        assertFalse(manifest.contains(P01.uds.toLowerCase(java.util.Locale.ROOT)));
        assertFalse(manifest.contains(P01.uds.toUpperCase(java.util.Locale.ROOT)));
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/device-registration-id/pom.xml")
    void anOutputFaultIsAnExecutionErrorWithItsCause(GenerateMojo mojo) throws Exception {
        // a directory of the user's where the certificate goes: not the input's fault, the environment's
        java.nio.file.Files.createDirectories(out.resolve("devkit-test-01.pem").resolve("keep"));
        MojoExecutionException e = assertThrows(MojoExecutionException.class, () -> toOut(mojo).execute());
        assertEquals("outputDirectory: cannot write " + out.resolve("devkit-test-01.pem") + ": it is a directory or a"
                + " link, not a file; the plugin replaces only files. Move it away or choose another outputDirectory."
                + " Nothing was changed", e.getMessage());
        assertTrue(e.getCause() instanceof io.github.dpsplugin.core.common.DpsException);
        assertTrue(java.nio.file.Files.isDirectory(out.resolve("devkit-test-01.pem").resolve("keep")));
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/device-registration-id/pom.xml")
    @MojoParameter(name = "pemLayout", value = "wide")
    void inputErrorsStayBuildFailures(GenerateMojo mojo) {
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> toOut(mojo).execute());
        assertTrue(e.getMessage().startsWith("pemLayout: 'wide' is not a PEM layout"), e.getMessage());
    }

    /** The manifest's object for one device: from its registrationId to the end of that object. */
    private static String entry(String manifest, String registrationId) {
        int start = manifest.indexOf("\"registrationId\": \"" + registrationId + "\"");
        assertTrue(start >= 0, () -> registrationId + " not in the manifest:\n" + manifest);
        int end = manifest.indexOf('}', start);
        return manifest.substring(start, end);
    }
}
