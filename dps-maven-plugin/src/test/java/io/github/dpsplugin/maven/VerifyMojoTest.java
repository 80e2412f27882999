package io.github.dpsplugin.maven;

import static io.github.dpsplugin.maven.Fixtures.ENV_P08;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.verify.VerifyReport;
import io.github.dpsplugin.maven.Fixtures.CapturingLog;
import java.nio.file.Files;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/**
 * The verify goal as invoked directly ({@code mvn …:verify -Ddps.certificate=… -Ddps.firmwareElf=…}):
 * the property names, the report files, the failure message naming the cause, and the refusals.
 */
@MojoTest
class VerifyMojoTest extends MojoTestBase {

    private static final String VECTORS = "../dps-core/src/test/resources/vectors/";
    private static final String P01_PEM = VECTORS + "P01/devkit-test-01.pem";

    private VerifyMojo toReport(VerifyMojo mojo) throws IllegalAccessException {
        MojoExtension.setVariableValueToObject(mojo, "reportDirectory", tmp.resolve("report").toFile());
        return mojo;
    }

    /** Runs the goal into the test's report directory, its log captured. */
    private CapturingLog runToReport(VerifyMojo mojo) throws Exception {
        CapturingLog log = captureLog(mojo);
        toReport(mojo).execute();
        return log;
    }

    private String report(String name) throws Exception {
        return Files.readString(tmp.resolve("report").resolve(name));
    }

    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.certificate", value = P01_PEM)
    @UserProperty(name = "dps.firmwareElf", value = VECTORS + "firmware/fw-a.ino.elf")
    @UserProperty(name = "dps.registrationId", value = "devkit-test-01")
    @UserProperty(name = "dps.udsServerId", value = Fixtures.SERVER_P01)
    void matchesWithTheUds(VerifyMojo mojo) throws Exception {
        CapturingLog log = runToReport(mojo);
        assertTrue(log.at("INFO").contains("devkit-test-01.pem (devkit-test-01): recomputed"), log.all());
        assertEquals(1, log.at("WARN").size(), log.all());
        assertTrue(log.at("WARN").get(0).contains("DeviceID private key recoverable"));
        assertTrue(report("dps-verify.txt").contains("PASS recompute       identical, byte for byte"));
        assertTrue(report("dps-verify.json").contains("\"uds\": \"settings.xml server 'dps-p01'\""));
        Fixtures.assertNoSecret("the log", log.all());
        Fixtures.assertNoSecret("the report", report("dps-verify.txt") + report("dps-verify.json"));
    }

    /** Without a UDS riot_core is not checked: the log must not claim a plain "matches". */
    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.certificate", value = P01_PEM)
    @UserProperty(name = "dps.firmwareElf", value = VECTORS + "firmware/fw-a.ino.elf")
    @UserProperty(name = "dps.acknowledgeDevkitNonce", value = "true")
    void withoutTheUdsTheLogSaysWhatWasNotChecked(VerifyMojo mojo) throws Exception {
        CapturingLog log = runToReport(mojo);
        String notChecked = "recompute (no UDS given: a changed riot_core or UDS (a different DeviceID key) cannot be"
                + " detected without it)";
        assertTrue(log.at("INFO").contains("devkit-test-01.pem (devkit-test-01): consistent; not checked: "
                + notChecked), log.all());
        assertTrue(log.at("INFO").contains("DPS verify: 1 certificate: 1 consistent; not checked: "
                + "recompute (1 of 1: no UDS given: a changed riot_core or UDS (a different DeviceID key) cannot be"
                + " detected without it); report: " + tmp.resolve("report").resolve("dps-verify.txt")), log.all());
        // the text report uses the same word, and says what it means
        assertTrue(report("dps-verify.txt").startsWith("DPS certificate verification: 1 certificate: 1 consistent\n"),
                report("dps-verify.txt"));
        assertTrue(report("dps-verify.txt").contains("devkit-test-01.pem (devkit-test-01): consistent\n"));
        assertTrue(report("dps-verify.txt").contains("\nconsistent: passes every check made without the UDS"));
        assertTrue(log.all().lines().noneMatch(l -> l.contains("match")), log.all());
    }

    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.certificate", value = P01_PEM)
    @UserProperty(name = "dps.firmwareBin", value = VECTORS + "firmware/fw-b.ino.bin")
    @UserProperty(name = "dps.firmwareMap", value = VECTORS + "firmware/fw-b.ino.map")
    @UserProperty(name = "dps.previousFirmwareElf", value = VECTORS + "firmware/fw-a.ino.elf")
    @UserProperty(name = "dps.acknowledgeDevkitNonce", value = "true")
    void aCertificateOfThePreviousFirmwareIsNamedSo(VerifyMojo mojo) throws Exception {
        CapturingLog log = captureLog(mojo);
        toReport(mojo).execute(); // counted, not a failure
        assertTrue(log.at("INFO").stream().anyMatch(l -> l.startsWith("devkit-test-01.pem (devkit-test-01):"
                + " previous-firmware")), log.all());
        assertTrue(log.at("INFO").stream().anyMatch(l -> l.startsWith("DPS verify: 1 certificate: 1 previous-firmware")),
                log.all());
        assertTrue(report("dps-verify.txt").contains("previous firmware: fw-a.ino.elf\n"), report("dps-verify.txt"));
        assertTrue(report("dps-verify.txt").contains("devkit-test-01.pem (devkit-test-01): previous-firmware\n"));

        // current-only: the same certificate fails the build
        MojoExtension.setVariableValueToObject(mojo, "currentOnly", true);
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("PREVIOUS_FIRMWARE: certificate of the previous firmware"), e.getMessage());
        assertTrue(log.at("INFO").contains("devkit-test-01.pem (devkit-test-01): mismatch [RIOT_FW_CHANGED,"
                + " PREVIOUS_FIRMWARE]"), log.all());
    }

    /** Certificates listed in a POM are each verified (the elf-input IT lists them as {@code <certificates>}). */
    @Test
    @InjectMojo(goal = "verify", pom = "classpath:/unit/verify-certificates/pom.xml")
    void certificatesListedInThePomAreEachVerified(VerifyMojo mojo) throws Exception {
        CapturingLog log = runToReport(mojo);
        for (String line : List.of("devkit-test-01.pem (devkit-test-01): consistent;",
                "az-a0b1c2d3e4f5v1v3v7.pem (az-a0b1c2d3e4f5v1v3v7): consistent;")) {
            assertTrue(log.at("INFO").stream().anyMatch(l -> l.startsWith(line)), log.all());
        }
        assertTrue(report("dps-verify.txt").startsWith("DPS certificate verification: 2 certificates: 2 consistent\n"),
                report("dps-verify.txt"));
    }

    /** One {@code <certificate>} in a POM, without a list, is one certificate. */
    @Test
    @InjectMojo(goal = "verify")
    @MojoParameter(name = "certificate", value = "${basedir}/" + P01_PEM)
    @UserProperty(name = "dps.firmwareElf", value = VECTORS + "firmware/fw-a.ino.elf")
    @UserProperty(name = "dps.acknowledgeDevkitNonce", value = "true")
    void oneCertificateInThePomIsOneCertificate(VerifyMojo mojo) throws Exception {
        CapturingLog log = runToReport(mojo);
        assertEquals(1, log.at("INFO").stream().filter(l -> l.startsWith("devkit-test-01.pem (devkit-test-01):"
                + " consistent;")).count(), log.all());
        assertTrue(report("dps-verify.txt").startsWith("DPS certificate verification: 1 certificate: 1 consistent\n"),
                report("dps-verify.txt"));
    }

    /** The previous firmware as a release of the project, resolved as generate resolves it. */
    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.certificate", value = P01_PEM)
    @UserProperty(name = "dps.firmwareBin", value = VECTORS + "firmware/fw-b.ino.bin")
    @UserProperty(name = "dps.firmwareMap", value = VECTORS + "firmware/fw-b.ino.map")
    @UserProperty(name = "dps.previousRelease", value = "1.3.7")
    @UserProperty(name = "dps.acknowledgeDevkitNonce", value = "true")
    void aCertificateOfAPreviousReleaseIsNamedSo(VerifyMojo mojo) throws Exception {
        releaseInLocalRepository("1.3.7");
        CapturingLog log = runToReport(mojo);
        assertTrue(log.at("INFO").stream().anyMatch(l -> l.startsWith("DPS verify: 1 certificate: 1 previous-firmware")),
                log.all());
        assertTrue(report("dps-verify.txt").contains("previous firmware: rollout-1.3.7.bin + rollout-1.3.7.map\n"),
                report("dps-verify.txt"));

        // a release the repository does not hold: refused, naming its coordinates
        MojoExtension.setVariableValueToObject(mojo, "previousRelease", "1.2.0");
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("previousRelease: cannot resolve io.github.dpsplugin.test:rollout:bin:1.2.0"),
                e.getMessage());
    }

    /** A certificate of this firmware is compared with this firmware only: no "not checked: previousFirmware". */
    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.certificate", value = P01_PEM)
    @UserProperty(name = "dps.firmwareElf", value = VECTORS + "firmware/fw-a.ino.elf")
    @UserProperty(name = "dps.previousFirmwareElf", value = VECTORS + "firmware/fw-b.ino.elf")
    @UserProperty(name = "dps.udsServerId", value = Fixtures.SERVER_P01)
    @UserProperty(name = "dps.acknowledgeDevkitNonce", value = "true")
    void aFullMatchReportsNothingAsNotChecked(VerifyMojo mojo) throws Exception {
        CapturingLog log = runToReport(mojo);
        assertTrue(log.at("INFO").contains("devkit-test-01.pem (devkit-test-01): recomputed"), log.all());
        assertTrue(log.at("INFO").stream().anyMatch(l -> l.startsWith("DPS verify: 1 certificate: 1 recomputed; report:")),
                log.all());
        assertTrue(!log.all().contains("not checked") && !report("dps-verify.txt").contains("SKIP"), log.all());
    }

    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.certificate", value = P01_PEM)
    @UserProperty(name = "dps.firmwareBin", value = VECTORS + "firmware/fw-b.ino.bin")
    @UserProperty(name = "dps.firmwareMap", value = VECTORS + "firmware/fw-b.ino.map")
    @UserProperty(name = "dps.acknowledgeDevkitNonce", value = "true")
    void failsNamingTheCauseAndStillWritesTheReport(VerifyMojo mojo) throws Exception {
        CapturingLog log = captureLog(mojo);
        MojoFailureException e = assertThrows(MojoFailureException.class, toReport(mojo)::execute);
        assertTrue(e.getMessage().contains("RIOT_FW_CHANGED: riot_fw changed: a firmware rebuild or OTA changed the"
                + " measured code; the enrollment must be updated"), e.getMessage());
        assertTrue(e.getMessage().contains("Report: "), e.getMessage());
        String json = report("dps-verify.json");
        assertTrue(Pattern.compile("\"causes\": \\[\\s*\"RIOT_FW_CHANGED\"\\s*]").matcher(json).find(), json);
        assertTrue(log.at("WARN").isEmpty(), "acknowledged: " + log.all());
    }

    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.certificate", value = P01_PEM)
    @UserProperty(name = "dps.firmwareElf", value = VECTORS + "firmware/fw-a.ino.elf")
    @UserProperty(name = "dps.nonce", value = "any")
    @UserProperty(name = "dps.udsEnv", value = ENV_P08)
    void anotherDevicesUdsFromTheEnvironment(VerifyMojo mojo) throws Exception {
        MojoFailureException e = assertThrows(MojoFailureException.class, toReport(mojo)::execute);
        assertTrue(e.getMessage().contains("RIOT_CORE_OR_UDS_CHANGED"), e.getMessage());
        assertTrue(report("dps-verify.txt").contains("expected nonce policy: any"));
        Fixtures.assertNoSecret("the failure message", e.getMessage());
    }

    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.certificate", value = P01_PEM)
    @UserProperty(name = "dps.firmwareElf", value = VECTORS + "firmware/fw-a.ino.elf")
    @UserProperty(name = "dps.uds", value = Fixtures.P01_UDS_CONSTANT)
    void refusesAUdsOnTheCommandLine(VerifyMojo mojo) throws Exception {
        MojoFailureException e = assertThrows(MojoFailureException.class, toReport(mojo)::execute);
        assertTrue(e.getMessage().startsWith("uds: the parameter uds / property dps.uds is refused"), e.getMessage());
        Fixtures.assertNoSecret("the failure message", e.getMessage());
        assertTrue(!Files.exists(tmp.resolve("report")), "nothing verified, no report");
    }

    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.certificate", value = P01_PEM)
    @UserProperty(name = "dps.firmwareElf", value = VECTORS + "firmware/fw-a.ino.elf")
    @UserProperty(name = "dps.udsServerId", value = Fixtures.SERVER_P01)
    @UserProperty(name = "dps.udsEnv", value = ENV_P08)
    void refusesTwoUdsSources(VerifyMojo mojo) throws Exception {
        MojoFailureException e = assertThrows(MojoFailureException.class, toReport(mojo)::execute);
        assertTrue(e.getMessage().contains("give either udsServerId or udsEnv, not both"), e.getMessage());
    }

    /** The UDS of fleet device {@code i}: distinct per device. */
    private static String fleetUds(int i) {
        return String.format("%064x", 0x5a00 + i);
    }

    /**
     * The output of generate for devices c0 … c(n-1) (fw-a), with the certificates of the devices
     * in {@code others} replaced by P01's (registration ID devkit-test-01): a mismatch each.
     */
    private java.nio.file.Path manifest(int n, java.util.Set<Integer> others) throws Exception {
        java.nio.file.Path dir = tmp.resolve("fleet");
        io.github.dpsplugin.core.fleet.BatchRequest.Builder b = io.github.dpsplugin.core.fleet.BatchRequest.builder()
                .firmware(FirmwareFiles.of(Fixtures.FW_A_BIN, Fixtures.FW_A_MAP, null)).threads(1).outputDirectory(dir);
        for (int i = 0; i < n; i++) {
            String uds = fleetUds(i);
            b.device(io.github.dpsplugin.core.fleet.DeviceSpec.of(io.github.dpsplugin.core.id.RegistrationId.of("c" + i),
                    () -> io.github.dpsplugin.core.dice.Uds.fromHex(uds)));
        }
        io.github.dpsplugin.core.fleet.BatchGenerator.run(b.build(), io.github.dpsplugin.core.fleet.BatchListener.NONE);
        for (int i : others) {
            Files.copy(java.nio.file.Path.of(P01_PEM), dir.resolve("c" + i + ".pem"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        return dir.resolve("dps-manifest.json");
    }

    /** A UDS file of the fleet's devices {@code from} … {@code to - 1}. */
    private java.nio.file.Path udsFile(String name, int from, int to) throws Exception {
        StringBuilder sb = new StringBuilder("# registrationId,uds\n");
        for (int i = from; i < to; i++) {
            sb.append('c').append(i).append(',').append(fleetUds(i)).append('\n');
        }
        return Files.writeString(tmp.resolve(name), sb.toString());
    }

    /** With the fleet's UDS files every certificate is recomputed, and all three outputs say so in one word. */
    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.firmwareElf", value = VECTORS + "firmware/fw-a.ino.elf")
    @UserProperty(name = "dps.acknowledgeDevkitNonce", value = "true")
    void theFleetsUdsFilesRecomputeEveryCertificate(VerifyMojo mojo) throws Exception {
        MojoExtension.setVariableValueToObject(mojo, "manifest", manifest(5, java.util.Set.of()).toFile());
        MojoExtension.setVariableValueToObject(mojo, "udsFile",
                List.of(udsFile("first.csv", 0, 3).toFile(), udsFile("added.csv", 3, 5).toFile()));
        CapturingLog log = runToReport(mojo);
        assertEquals("c0.pem (c0): recomputed", certificateLines(log).get(0), log.all());
        assertTrue(log.at("INFO").contains("DPS verify: 5 certificates: 5 recomputed; report: "
                + tmp.resolve("report").resolve("dps-verify.txt")), log.all());
        assertTrue(report("dps-verify.txt").startsWith("DPS certificate verification: 5 certificates: 5 recomputed\n"),
                report("dps-verify.txt"));
        assertTrue(report("dps-verify.txt").contains("UDS: from udsFile first.csv, added.csv\n"));
        assertTrue(report("dps-verify.json").contains("\"status\": \"recomputed\""));
        assertTrue(!log.all().contains("not checked") && !report("dps-verify.txt").contains("SKIP"), log.all());
        for (int i = 0; i < 5; i++) {
            Fixtures.assertNoSecret("the log", log.all());
            assertTrue(!log.all().contains(fleetUds(i)) && !report("dps-verify.txt").contains(fleetUds(i))
                    && !report("dps-verify.json").contains(fleetUds(i)), "no UDS in the log or the reports");
        }
    }

    /** A device the UDS files do not hold is checked without, and the log says which check was not made. */
    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.firmwareElf", value = VECTORS + "firmware/fw-a.ino.elf")
    @UserProperty(name = "dps.acknowledgeDevkitNonce", value = "true")
    void aDeviceTheUdsFilesLackIsConsistentNotRecomputed(VerifyMojo mojo) throws Exception {
        MojoExtension.setVariableValueToObject(mojo, "manifest", manifest(3, java.util.Set.of()).toFile());
        MojoExtension.setVariableValueToObject(mojo, "udsFile", List.of(udsFile("some.csv", 0, 2).toFile()));
        CapturingLog log = runToReport(mojo);
        assertTrue(log.at("INFO").stream().anyMatch(l -> l.startsWith("DPS verify: 3 certificates: 2 recomputed, 1"
                + " consistent; not checked: recompute (1 of 3: no UDS for 'c2' in udsFile some.csv")), log.all());
    }

    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.firmwareElf", value = VECTORS + "firmware/fw-a.ino.elf")
    void aDeviceInTwoUdsFilesIsRefusedNamingBoth(VerifyMojo mojo) throws Exception {
        MojoExtension.setVariableValueToObject(mojo, "manifest", manifest(3, java.util.Set.of()).toFile());
        java.nio.file.Path a = udsFile("a.csv", 0, 2);
        java.nio.file.Path b = udsFile("b.csv", 1, 3);
        MojoExtension.setVariableValueToObject(mojo, "udsFile", List.of(a.toFile(), b.toFile()));
        MojoFailureException e = assertThrows(MojoFailureException.class, toReport(mojo)::execute);
        assertTrue(e.getMessage().startsWith("udsFile: b.csv:"), e.getMessage());
        assertTrue(e.getMessage().contains(" is also on a.csv:"), e.getMessage());
        assertTrue(!e.getMessage().contains(fleetUds(1)));
    }

    /** Given neither certificate nor manifest, the manifest in generate's outputDirectory is verified. */
    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.firmwareElf", value = VECTORS + "firmware/fw-a.ino.elf")
    @UserProperty(name = "dps.acknowledgeDevkitNonce", value = "true")
    void theManifestInOutputDirectoryIsTheDefault(VerifyMojo mojo) throws Exception {
        MojoExtension.setVariableValueToObject(mojo, "outputDirectory", manifest(3, java.util.Set.of()).getParent()
                .toFile());
        CapturingLog log = runToReport(mojo);
        assertTrue(log.at("INFO").stream().anyMatch(l -> l.startsWith("DPS verify: 3 certificates: 3 consistent")),
                log.all());
        assertEquals(List.of("c0.pem (c0): consistent", "c1.pem (c1): consistent", "c2.pem (c2): consistent"),
                certificateLines(log).stream().map(l -> l.substring(0, l.indexOf(';'))).collect(Collectors.toList()));

        // an outputDirectory without a manifest: nothing to verify, said so
        MojoExtension.setVariableValueToObject(mojo, "outputDirectory", tmp.resolve("empty").toFile());
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("certificate: nothing to verify"), e.getMessage());
    }

    /** A fleet checked on one thread and on three: the same log lines and the same report, byte for byte. */
    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.firmwareElf", value = VECTORS + "firmware/fw-a.ino.elf")
    @UserProperty(name = "dps.acknowledgeDevkitNonce", value = "true")
    void theThreadsChangeNothingInTheLogOrReport(VerifyMojo mojo) throws Exception {
        MojoExtension.setVariableValueToObject(mojo, "manifest", manifest(70, java.util.Set.of(5)).toFile());
        MojoExtension.setVariableValueToObject(mojo, "udsFile", List.of(udsFile("fleet.csv", 0, 69).toFile()));
        List<String> logs = new java.util.ArrayList<>();
        List<String> reports = new java.util.ArrayList<>();
        for (int threads : new int[] {1, 3}) {
            MojoExtension.setVariableValueToObject(mojo, "threads", threads);
            MojoExtension.setVariableValueToObject(mojo, "reportDirectory", tmp.resolve("report-" + threads).toFile());
            CapturingLog log = captureLog(mojo);
            assertThrows(MojoFailureException.class, mojo::execute); // device 5's certificate is another's
            logs.add(log.all().replace(tmp.resolve("report-" + threads).toString(), "<report>"));
            reports.add(Files.readString(tmp.resolve("report-" + threads).resolve("dps-verify.json")));
        }
        assertEquals(logs.get(0), logs.get(1));
        assertEquals(reports.get(0), reports.get(1));
        assertTrue(logs.get(0).contains("70 certificates: 68 recomputed, 1 consistent, 1 mismatch"), logs.get(0));

        MojoExtension.setVariableValueToObject(mojo, "threads", 0);
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("threads: 0 is not a thread count; expected 1 or more", e.getMessage());
    }

    /** A long run says how far it is, at most once per interval, from the first certificate past the listing. */
    @Test
    void aLongRunReportsProgress() throws Exception {
        VerifyReport all = io.github.dpsplugin.core.verify.Verifier.run(io.github.dpsplugin.core.verify.VerifyRequest
                .builder().firmware(FirmwareFiles.of(Fixtures.FW_A_BIN, Fixtures.FW_A_MAP, null))
                .manifest(manifest(30, java.util.Set.of())).build());
        long[] now = {0};
        CapturingLog log = new CapturingLog();
        VerifyMojo.Tally tally = new VerifyMojo.Tally(log, () -> now[0], 5_000_000_000L);
        for (int i = 0; i < all.certificates().size(); i++) {
            now[0] = (i + 1) * 1_000_000_000L; // the (i+1)-th certificate is checked at i+1 s
            tally.accept(all.certificates().get(i));
        }
        assertEquals(List.of("DPS verify: 22 certificates checked, 1 certificates/s",
                "DPS verify: 27 certificates checked, 1 certificates/s"), log.at("INFO"));
    }

    private static List<String> certificateLines(CapturingLog log) {
        return log.at("INFO").stream().filter(l -> l.startsWith("c")).collect(Collectors.toList());
    }

    /** Up to 20 certificates: one line each, in manifest order, printed when the run ends. */
    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.firmwareElf", value = VECTORS + "firmware/fw-a.ino.elf")
    @UserProperty(name = "dps.acknowledgeDevkitNonce", value = "true")
    void aSmallManifestListsEachCertificate(VerifyMojo mojo) throws Exception {
        MojoExtension.setVariableValueToObject(mojo, "manifest", manifest(20, java.util.Set.of(7)).toFile());
        CapturingLog log = captureLog(mojo);
        assertThrows(MojoFailureException.class, toReport(mojo)::execute);
        List<String> lines = certificateLines(log);
        assertEquals(20, lines.size(), log.all());
        assertTrue(lines.get(0).startsWith("c0.pem (c0): consistent; not checked: recompute"), lines.get(0));
        assertEquals("c7.pem (devkit-test-01): mismatch [REGISTRATION_ID_DIFFERS]", lines.get(7));
    }

    /** More: only the ones that do not match (the others are in the report). */
    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.firmwareElf", value = VECTORS + "firmware/fw-a.ino.elf")
    @UserProperty(name = "dps.acknowledgeDevkitNonce", value = "true")
    void aLargerManifestListsOnlyTheMismatches(VerifyMojo mojo) throws Exception {
        MojoExtension.setVariableValueToObject(mojo, "manifest", manifest(30, java.util.Set.of(3, 25)).toFile());
        CapturingLog log = captureLog(mojo);
        MojoFailureException e = assertThrows(MojoFailureException.class, toReport(mojo)::execute);
        assertEquals(List.of("c3.pem (devkit-test-01): mismatch [REGISTRATION_ID_DIFFERS]",
                "c25.pem (devkit-test-01): mismatch [REGISTRATION_ID_DIFFERS]"), certificateLines(log), log.all());
        assertTrue(log.at("INFO").stream().anyMatch(l -> l.startsWith("DPS verify: 30 certificates: 28 consistent,"
                + " 2 mismatch; not checked: recompute (28 of 30: no UDS given")), log.all());
        assertTrue(e.getMessage().startsWith("2 of 30 certificates: mismatch (not what"), e.getMessage());
        assertEquals(30, Files.readString(tmp.resolve("report").resolve("dps-verify.txt")).lines()
                .filter(l -> l.startsWith("c") && l.contains(".pem (")).count());
    }

    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.certificate", value = P01_PEM)
    @UserProperty(name = "dps.firmwareElf", value = VECTORS + "firmware/fw-a.ino.elf")
    @UserProperty(name = "dps.nonce", value = "random")
    void refusesAnUnknownNoncePolicy(VerifyMojo mojo) throws Exception {
        MojoFailureException e = assertThrows(MojoFailureException.class, toReport(mojo)::execute);
        assertTrue(e.getMessage().startsWith("nonce: 'random' is not a nonce policy"), e.getMessage());
    }

    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.firmwareElf", value = VECTORS + "firmware/fw-a.ino.elf")
    void refusesNothingToVerify(VerifyMojo mojo) throws Exception {
        MojoFailureException e = assertThrows(MojoFailureException.class, toReport(mojo)::execute);
        assertTrue(e.getMessage().startsWith("certificate: nothing to verify"), e.getMessage());
    }

    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.certificate", value = P01_PEM)
    @UserProperty(name = "dps.firmwareElf", value = VECTORS + "firmware/fw-a.ino.elf")
    @UserProperty(name = "dps.firmwareMap", value = VECTORS + "firmware/fw-b.ino.map")
    @UserProperty(name = "dps.acknowledgeDevkitNonce", value = "true")
    void elfWinsAndTheOverriddenMapIsNamed(VerifyMojo mojo) throws Exception {
        CapturingLog log = captureLog(mojo);
        toReport(mojo).execute(); // fw-a's ELF: the certificate matches, fw-b's map was not read
        assertEquals(1, log.at("WARN").size(), log.all());
        String warning = log.at("WARN").get(0);
        assertTrue(warning.startsWith("firmwareElf is given, so firmwareMap (") && warning.contains("fw-b.ino.map")
                && warning.contains("is not used"), warning);
        assertTrue(report("dps-verify.json").contains("\"elf\": \"fw-a.ino.elf\""));
    }

    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.certificate", value = P01_PEM)
    @UserProperty(name = "dps.firmwareElf", value = VECTORS + "firmware/fw-a.ino.elf")
    @UserProperty(name = "dps.skip", value = "true")
    void skip(VerifyMojo mojo) throws Exception {
        CapturingLog log = runToReport(mojo);
        assertEquals("DPS verify: skipped (dps.skip)", log.at("INFO").get(0));
        assertTrue(!Files.exists(tmp.resolve("report")));
    }

    @Test
    @InjectMojo(goal = "generate")
    @UserProperty(name = "dps.firmwareElf", value = VECTORS + "firmware/fw-a.ino.elf")
    @UserProperty(name = "dps.registrationId", value = "devkit-test-01")
    @UserProperty(name = "dps.udsServerId", value = Fixtures.SERVER_P01)
    @UserProperty(name = "dps.attach", value = "false")
    @UserProperty(name = "dps.acknowledgeDevkitNonce", value = "true")
    void generateFromTheElf(GenerateMojo mojo) throws Exception {
        CapturingLog log = captureLog(mojo);
        toOut(mojo).execute();
        org.junit.jupiter.api.Assertions.assertArrayEquals(Fixtures.bytes(Fixtures.P01.aliasCertFile),
                Fixtures.bytes(out.resolve("devkit-test-01.pem")));
        assertTrue(Files.readString(out.resolve("dps-manifest.json")).contains("\"elf\": \"fw-a.ino.elf\""));
        assertTrue(log.at("WARN").isEmpty(), "bin/map left at their defaults: " + log.all());
    }

    @Test
    @InjectMojo(goal = "generate")
    @UserProperty(name = "dps.firmwareElf", value = VECTORS + "firmware/fw-a.ino.elf")
    @UserProperty(name = "dps.firmwareBin", value = VECTORS + "firmware/fw-b.ino.bin")
    @UserProperty(name = "dps.registrationId", value = "devkit-test-01")
    @UserProperty(name = "dps.udsServerId", value = Fixtures.SERVER_P01)
    @UserProperty(name = "dps.attach", value = "false")
    @UserProperty(name = "dps.acknowledgeDevkitNonce", value = "true")
    void generateNamesTheBinTheElfOverrides(GenerateMojo mojo) throws Exception {
        CapturingLog log = captureLog(mojo);
        toOut(mojo).execute();
        org.junit.jupiter.api.Assertions.assertArrayEquals(Fixtures.bytes(Fixtures.P01.aliasCertFile),
                Fixtures.bytes(out.resolve("devkit-test-01.pem")), "fw-a's ELF, not fw-b's bin");
        assertEquals(1, log.at("WARN").size(), log.all());
        assertTrue(log.at("WARN").get(0).contains("firmwareBin (") && log.at("WARN").get(0).contains("fw-b.ino.bin"));
    }
}
