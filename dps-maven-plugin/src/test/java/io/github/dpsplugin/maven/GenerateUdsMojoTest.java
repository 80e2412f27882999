package io.github.dpsplugin.maven;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.DeviceCertificateGenerator;
import io.github.dpsplugin.core.DeviceCertificates;
import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.pem.PemLayout;
import io.github.dpsplugin.core.x509.NoncePolicy;
import io.github.dpsplugin.maven.Fixtures.CapturingLog;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/**
 * {@code dps:generate-uds}: the devices generate selects, a new owner-only file that generate then
 * reads unchanged, the next steps in the log and never a UDS (debug enabled, as with {@code -X}).
 */
@MojoTest
class GenerateUdsMojoTest extends MojoTestBase {

    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private final CapturingLog log = new CapturingLog();

    @Test
    void devicesTheExistingFilesHoldGetNoNewUds(
            @InjectMojo(goal = "generate-uds", pom = "classpath:/unit/generate-uds/pom.xml") GenerateUdsMojo makeUds)
            throws Exception {
        Path first = tmp.resolve("uds.csv");
        MojoExtension.setVariableValueToObject(makeUds, "udsFile", first.toFile());
        makeUds.execute();
        String before = Files.readString(first);

        CapturingLog again = new CapturingLog();
        makeUds.setLog(again);
        MojoExtension.setVariableValueToObject(makeUds, "udsFile", tmp.resolve("uds-2.csv").toFile());
        MojoExtension.setVariableValueToObject(makeUds, "existingUdsFile", List.of(first.toFile()));
        makeUds.execute();

        assertEquals(List.of("DPS UDS file: 2 devices already have a UDS in uds.csv: no new one",
                "DPS UDS file: every selected device already has a UDS; no file written"), again.at("INFO"));
        assertEquals(List.of("uds.csv"), list(tmp));
        assertEquals(before, Files.readString(first));
    }

    @Test
    void anExistingUdsFileThatIsNotThereIsNamedByItsParameter(
            @InjectMojo(goal = "generate-uds", pom = "classpath:/unit/generate-uds/pom.xml") GenerateUdsMojo makeUds)
            throws Exception {
        Path missing = tmp.resolve("uds-typo.csv");
        MojoExtension.setVariableValueToObject(makeUds, "udsFile", tmp.resolve("uds-2.csv").toFile());
        MojoExtension.setVariableValueToObject(makeUds, "existingUdsFile", List.of(missing.toFile()));
        makeUds.setLog(log);

        MojoFailureException e = assertThrows(MojoFailureException.class, makeUds::execute);

        assertTrue(e.getMessage().startsWith("existingUdsFile: " + missing + " does not exist"), e.getMessage());
        assertEquals(List.of(), list(tmp));
    }

    @Test
    void theNewFileCannotBeAnExistingOne(
            @InjectMojo(goal = "generate-uds", pom = "classpath:/unit/generate-uds/pom.xml") GenerateUdsMojo makeUds)
            throws Exception {
        Path first = tmp.resolve("uds.csv");
        MojoExtension.setVariableValueToObject(makeUds, "udsFile", first.toFile());
        makeUds.execute();
        String before = Files.readString(first);
        MojoExtension.setVariableValueToObject(makeUds, "existingUdsFile", List.of(first.toFile()));
        makeUds.setLog(log);

        MojoFailureException e = assertThrows(MojoFailureException.class, makeUds::execute);

        assertTrue(e.getMessage().startsWith("udsFile: " + first + " exists already"), e.getMessage());
        assertEquals(before, Files.readString(first));
        assertEquals(List.of("uds.csv"), list(tmp));
    }

    @Test
    void madeThenReadByGenerate(
            @InjectMojo(goal = "generate-uds", pom = "classpath:/unit/generate-uds/pom.xml") GenerateUdsMojo makeUds,
            @InjectMojo(goal = "generate", pom = "classpath:/unit/generate-uds/pom.xml") GenerateMojo generate)
            throws Exception {
        Path udsFile = tmp.resolve("uds.csv");
        MojoExtension.setVariableValueToObject(makeUds, "udsFile", udsFile.toFile());
        makeUds.setLog(log);

        makeUds.execute();

        // the pilot takes its UDS from settings.xml: generate would not read a line for it
        Map<String, String> lines = lines(udsFile);
        // the MAC-derived device by its MAC: the line serves every firmware version it will report
        assertEquals(List.of("devkit-test-01", "mac a0b1c2d3e4f5"), new ArrayList<>(lines.keySet()));
        lines.values().forEach(u -> assertTrue(HEX64.matcher(u).matches(), "not 64 lower-case hex characters"));
        assertNotEquals(lines.get("devkit-test-01"), lines.get("mac a0b1c2d3e4f5"));
        if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(udsFile)));
        }
        assertEquals(List.of("uds.csv"), list(tmp));

        // the log: the file, the count, the next steps, one warning for the pilot, and no UDS
        assertNoneOf(lines.values(), log.all());
        List<String> info = log.at("INFO");
        assertEquals("DPS UDS file: 2 new UDS values written to " + udsFile + " (readable by its owner only)",
                info.get(0));
        String next = String.join("\n", info);
        assertTrue(next.contains("CI secret store"), next);
        assertTrue(next.contains("configuration mode") && next.contains("set_dps_uds <uds>"), next);
        assertTrue(next.contains("run generate with it: -Ddps.udsFile="), next);
        assertEquals(List.of("device 'pilot-1' (#1 of <devices>) takes its UDS from settings.xml server 'dps-p01', so"
                + " generate will not read it from the UDS file: no UDS made for it"), log.at("WARN"));

        // generate reads the file as it is: each certificate is the one of that device's new UDS
        MojoExtension.setVariableValueToObject(generate, "firmwareBin", Fixtures.FW_A_BIN.toFile());
        MojoExtension.setVariableValueToObject(generate, "firmwareMap", Fixtures.FW_A_MAP.toFile());
        MojoExtension.setVariableValueToObject(generate, "udsFile", List.of(udsFile.toFile()));
        CapturingLog generateLog = new CapturingLog();
        generate.setLog(generateLog);
        toOut(generate).execute();

        DeviceCertificateGenerator core = DeviceCertificateGenerator.forFirmware(Fixtures.FW_A_BIN, Fixtures.FW_A_MAP,
                NoncePolicy.DEVKIT);
        for (Map.Entry<String, String> e : lines.entrySet()) {
            String id = e.getKey().equals("mac a0b1c2d3e4f5") ? "az-a0b1c2d3e4f5v1v3v7" : e.getKey();
            try (Uds uds = Uds.fromHex(e.getValue())) {
                DeviceCertificates expected = core.generate(RegistrationId.of(id), uds);
                assertArrayEquals(expected.aliasCertificatePem(PemLayout.ONE_LINE).getBytes(StandardCharsets.US_ASCII),
                        Fixtures.bytes(out.resolve(id + ".pem")), id);
            }
        }
        try (Uds p01 = Uds.fromHex(Fixtures.P01.uds)) {
            assertEquals(core.generate(RegistrationId.of("pilot-1"), p01).aliasCertificatePem(PemLayout.ONE_LINE),
                    Fixtures.read(out.resolve("pilot-1.pem")));
        }
        assertNoneOf(lines.values(), generateLog.all());
    }

    @Test
    void aFileMadeAt137ServesGenerateAt200And210WithNoEditing(
            @InjectMojo(goal = "generate-uds") GenerateUdsMojo makeUds,
            @InjectMojo(goal = "generate") GenerateMojo generate) throws Exception {
        Path devices = Files.writeString(tmp.resolve("devices.csv"), "registrationId,macAddress\n,c893464a1b2c\n"
                + "devkit-fleet-7,\n,c893464a1b2d\n");
        Path udsFile = tmp.resolve("uds.csv");
        MojoExtension.setVariableValueToObject(makeUds, "udsFile", udsFile.toFile());
        MojoExtension.setVariableValueToObject(makeUds, "devicesFile", devices.toFile());
        MojoExtension.setVariableValueToObject(makeUds, "firmwareVersion", "1.3.7");
        makeUds.setLog(log);
        makeUds.execute();
        Map<String, String> lines = lines(udsFile);
        String before = Files.readString(udsFile);

        MojoExtension.setVariableValueToObject(generate, "firmwareBin", Fixtures.FW_A_BIN.toFile());
        MojoExtension.setVariableValueToObject(generate, "firmwareMap", Fixtures.FW_A_MAP.toFile());
        MojoExtension.setVariableValueToObject(generate, "devicesFile", devices.toFile());
        MojoExtension.setVariableValueToObject(generate, "udsFile", List.of(udsFile.toFile()));
        MojoExtension.setVariableValueToObject(generate, "acknowledgeDevkitNonce", true);
        MojoExtension.setVariableValueToObject(generate, "attach", false);
        CapturingLog generateLog = new CapturingLog();
        generate.setLog(generateLog);
        DeviceCertificateGenerator core = DeviceCertificateGenerator.forFirmware(Fixtures.FW_A_BIN, Fixtures.FW_A_MAP,
                NoncePolicy.DEVKIT);
        for (String version : List.of("2.0.0", "2.1.0")) {
            Path release = tmp.resolve("release-" + version);
            MojoExtension.setVariableValueToObject(generate, "firmwareVersion", version);
            MojoExtension.setVariableValueToObject(generate, "outputDirectory", release.toFile());
            generate.execute();

            String v = version.replace('.', 'v');
            Map<String, String> expected = Map.of("az-c893464a1b2cv" + v, lines.get("mac c893464a1b2c"),
                    "devkit-fleet-7", lines.get("devkit-fleet-7"), "az-c893464a1b2dv" + v, lines.get("mac c893464a1b2d"));
            for (Map.Entry<String, String> e : expected.entrySet()) {
                try (Uds uds = Uds.fromHex(e.getValue())) {
                    assertEquals(core.generate(RegistrationId.of(e.getKey()), uds).aliasCertificatePem(PemLayout.ONE_LINE),
                            Fixtures.read(release.resolve(e.getKey() + ".pem")), e.getKey());
                }
            }
        }
        assertEquals(before, Files.readString(udsFile), "the file is used as it was made");
        assertNoneOf(lines.values(), generateLog.all());
    }

    @Test
    @InjectMojo(goal = "generate-uds")
    @UserProperty(name = "dps.macAddress", value = "C8:93:46:4A:1B:2C")
    @UserProperty(name = "dps.firmwareVersion", value = "2.0.0")
    void directInvocationForOneMacDerivedDevice(GenerateUdsMojo mojo) throws Exception {
        Path udsFile = tmp.resolve("one.csv");
        MojoExtension.setVariableValueToObject(mojo, "udsFile", udsFile.toFile());
        mojo.setLog(log);

        mojo.execute();

        assertEquals(List.of("mac c893464a1b2c"), new ArrayList<>(lines(udsFile).keySet()));
        assertTrue(log.at("INFO").get(0).startsWith("DPS UDS file: 1 new UDS value written to "), log::all);
        assertNoneOf(lines(udsFile).values(), log.all());
    }

    @Test
    @InjectMojo(goal = "generate-uds", pom = "classpath:/unit/fleet/pom.xml")
    void devicesThatAllHaveTheirOwnUdsSourceAreNotAFleetForAUdsFile(GenerateUdsMojo mojo) throws Exception {
        Path udsFile = tmp.resolve("uds.csv");
        MojoExtension.setVariableValueToObject(mojo, "udsFile", udsFile.toFile());
        mojo.setLog(log);

        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);

        assertTrue(e.getMessage().startsWith("devices: every selected device takes its UDS from elsewhere"),
                e.getMessage());
        assertEquals(3, log.at("WARN").size(), log::all);
        assertEquals(List.of(), list(tmp));
    }

    @Test
    @InjectMojo(goal = "generate-uds", pom = "classpath:/unit/generate-uds/pom.xml")
    @UserProperty(name = "dps.skip", value = "true")
    void skipped(GenerateUdsMojo mojo) throws Exception {
        MojoExtension.setVariableValueToObject(mojo, "udsFile", tmp.resolve("uds.csv").toFile());
        mojo.setLog(log);

        mojo.execute();

        assertEquals(List.of("DPS UDS file: skipped (dps.skip)"), log.at("INFO"));
        assertEquals(List.of(), list(tmp));
    }

    // ---- refusals ------------------------------------------------------------------------------

    @Test
    @InjectMojo(goal = "generate-uds", pom = "classpath:/unit/generate-uds/pom.xml")
    void anExistingFileIsRefusedAndLeftAsItWas(GenerateUdsMojo mojo) throws Exception {
        Path udsFile = Files.writeString(tmp.resolve("uds.csv"), "registrationId,uds\n" + "devkit-test-01,"
                + Fixtures.P01.uds + "\n");
        Map<String, String> before = Fixtures.snapshot(tmp);

        MojoFailureException e = refused(mojo, udsFile.toFile());

        assertTrue(e.getMessage().startsWith("udsFile: " + udsFile + " exists already"), e.getMessage());
        Fixtures.assertSnapshot(before, tmp);
    }

    @Test
    @InjectMojo(goal = "generate-uds", pom = "classpath:/unit/generate-uds/pom.xml")
    void aDirectoryIsRefused(GenerateUdsMojo mojo) throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("secrets"));
        MojoFailureException e = refused(mojo, dir.toFile());
        assertTrue(e.getMessage().startsWith("udsFile: " + dir + " is a directory"), e.getMessage());
        assertEquals(List.of("secrets"), list(tmp));
        assertEquals(List.of(), list(dir));
    }

    @Test
    @InjectMojo(goal = "generate-uds", pom = "classpath:/unit/generate-uds/pom.xml")
    void aMissingDirectoryIsRefused(GenerateUdsMojo mojo) throws Exception {
        MojoFailureException e = refused(mojo, tmp.resolve("missing/uds.csv").toFile());
        assertTrue(e.getMessage().startsWith("udsFile: the directory " + tmp.resolve("missing") + " does not exist"),
                e.getMessage());
        assertEquals(List.of(), list(tmp));
    }

    @Test
    @InjectMojo(goal = "generate-uds", pom = "classpath:/unit/generate-uds/pom.xml")
    void noUdsFileIsRefusedByName(GenerateUdsMojo mojo) throws Exception {
        // Maven itself stops a build without the required parameter; the Mojo holds when called otherwise
        MojoFailureException e = refused(mojo, null);
        assertTrue(e.getMessage().startsWith("udsFile: is not set"), e.getMessage());
    }

    @Test
    void badDevicesGetGeneratesMessage(
            @InjectMojo(goal = "generate-uds", pom = "classpath:/unit/refuse-bad-mac/pom.xml") GenerateUdsMojo makeUds,
            @InjectMojo(goal = "generate", pom = "classpath:/unit/refuse-bad-mac/pom.xml") GenerateMojo generate)
            throws Exception {
        MojoFailureException ours = refused(makeUds, tmp.resolve("uds.csv").toFile());
        MojoExtension.setVariableValueToObject(generate, "firmwareBin", Fixtures.FW_A_BIN.toFile());
        MojoExtension.setVariableValueToObject(generate, "firmwareMap", Fixtures.FW_A_MAP.toFile());
        MojoFailureException generates = assertThrows(MojoFailureException.class, () -> toOut(generate).execute());

        assertEquals(generates.getMessage(), ours.getMessage());
        assertTrue(ours.getMessage().contains("device #2 of <devices>"), ours.getMessage());
        assertTrue(ours.getMessage().contains(field("macAddress")), ours.getMessage());
        assertFalse(Files.exists(tmp.resolve("uds.csv")));
    }

    @Test
    @InjectMojo(goal = "generate-uds", pom = "classpath:/unit/refuse-duplicate-derived-id/pom.xml")
    void aRepeatedIdIsRefused(GenerateUdsMojo mojo) throws Exception {
        MojoFailureException e = refused(mojo, tmp.resolve("uds.csv").toFile());
        assertTrue(e.getMessage().contains("is listed more than once"), e.getMessage());
        assertEquals(List.of(), list(tmp));
    }

    @Test
    @InjectMojo(goal = "generate-uds", pom = "classpath:/unit/refuse-inline-uds/pom.xml")
    void aUdsInThePomIsRefused(GenerateUdsMojo mojo) throws Exception {
        MojoFailureException e = refused(mojo, tmp.resolve("uds.csv").toFile());
        assertTrue(e.getMessage().startsWith("uds: <uds> of device #1 of <devices> is refused"), e.getMessage());
        Fixtures.assertNoSecret("the failure message", e.getMessage());
        assertEquals(List.of(), list(tmp));
    }

    // ---- the goal's declaration ----------------------------------------------------------------

    @Test
    @InjectMojo(goal = "generate-uds")
    @UserProperty(name = "dps.macAddress", value = "C8:93:46:4A:1B:2C")
    @UserProperty(name = "dps.firmwareVersion", value = "2.0.0")
    void aFileSystemFaultIsAnExecutionErrorWithItsCause(GenerateUdsMojo mojo) throws Exception {
        // a directory nobody may create files in, whatever the user (root included): the environment's fault
        Path proc = Path.of("/proc/self");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(proc), "needs Linux /proc");
        MojoExtension.setVariableValueToObject(mojo, "udsFile", proc.resolve("dps-uds.csv").toFile());
        mojo.setLog(log);

        org.apache.maven.plugin.MojoExecutionException e = assertThrows(
                org.apache.maven.plugin.MojoExecutionException.class, mojo::execute);

        assertTrue(e.getMessage().startsWith("udsFile: cannot create a file in " + proc), e.getMessage());
        assertTrue(e.getCause() instanceof io.github.dpsplugin.core.common.DpsException, String.valueOf(e.getCause()));
        Fixtures.assertNoSecret("the log", log.all());
    }

    @Test
    void declaredWithoutPhaseWithoutProjectThreadSafeAndWithARequiredUdsFile() throws Exception {
        String descriptor = Files.readString(Path.of(MojoExtension.getBasedir(),
                "target/classes/META-INF/maven/plugin.xml"), StandardCharsets.UTF_8);
        int start = descriptor.indexOf("<goal>generate-uds</goal>");
        assertTrue(start > 0, "generate-uds is in the plugin descriptor");
        String mojo = descriptor.substring(start, descriptor.indexOf("</mojo>", start));
        assertFalse(mojo.contains("<phase>"), "bound to no phase");
        assertTrue(mojo.contains("<requiresProject>false</requiresProject>"), mojo);
        assertTrue(mojo.contains("<threadSafe>true</threadSafe>"), mojo);
        String param = mojo.substring(mojo.indexOf("<name>udsFile</name>"));
        param = param.substring(0, param.indexOf("</parameter>"));
        assertTrue(param.contains("<required>true</required>"), param);
        assertTrue(mojo.contains("<udsFile implementation=\"java.io.File\">${dps.udsFile}</udsFile>"), mojo);
        assertTrue(mojo.contains("<skip implementation=\"boolean\" default-value=\"false\">${dps.skip}</skip>"), mojo);
    }

    // ---- helpers -------------------------------------------------------------------------------

    private MojoFailureException refused(GenerateUdsMojo mojo, File udsFile) throws Exception {
        MojoExtension.setVariableValueToObject(mojo, "udsFile", udsFile);
        mojo.setLog(log);
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        Fixtures.assertNoSecret("the log", log.all());
        return e;
    }

    /** Neither the UDS values (either case) nor the build's test UDS values are in {@code text}. */
    private static void assertNoneOf(Iterable<String> udsValues, String text) {
        for (String u : udsValues) {
            // not assertFalse(text.contains(u), text): its message would print the secret it found
            if (text.contains(u) || text.contains(u.toUpperCase(Locale.ROOT))) {
                throw new AssertionError("a UDS appears in the log");
            }
        }
        Fixtures.assertNoSecret("the log", text);
    }

    /** The file's UDS values by the line's registration ID, or by "mac " and the MAC for a MAC line. */
    static Map<String, String> lines(Path file) throws Exception {
        List<String> all = Files.readAllLines(file, StandardCharsets.US_ASCII);
        assertEquals("registrationId,macAddress,uds", all.get(0));
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : all.subList(1, all.size())) {
            String[] c = l.split(",", -1);
            assertEquals(3, c.length, "three columns");
            assertTrue(c[0].isEmpty() != c[1].isEmpty(), "an ID or a MAC");
            m.put(c[0].isEmpty() ? "mac " + c[1] : c[0], c[2]);
        }
        return m;
    }

    private static List<String> list(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }
}
