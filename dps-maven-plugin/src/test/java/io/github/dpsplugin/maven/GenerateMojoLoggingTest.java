package io.github.dpsplugin.maven;

import static io.github.dpsplugin.maven.Fixtures.FW_A_BIN_PARAM;
import static io.github.dpsplugin.maven.Fixtures.FW_A_MAP_PARAM;
import static io.github.dpsplugin.maven.Fixtures.P01;
import static io.github.dpsplugin.maven.Fixtures.P08;
import static io.github.dpsplugin.maven.Fixtures.P11;
import static io.github.dpsplugin.maven.Fixtures.der;
import static io.github.dpsplugin.maven.Fixtures.thumbprint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.when;

import io.github.dpsplugin.maven.Fixtures.CapturingLog;
import io.github.dpsplugin.maven.Fixtures.VectorCase;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoParameter;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.junit.jupiter.api.Test;

/** What {@code dps:generate} logs (debug enabled, as with {@code -X}): never a UDS. */
@MojoTest
@MojoParameter(name = "firmwareBin", value = FW_A_BIN_PARAM)
@MojoParameter(name = "firmwareMap", value = FW_A_MAP_PARAM)
class GenerateMojoLoggingTest extends MojoTestBase {

    private final CapturingLog log = new CapturingLog();

    private static List<String> nonceWarnings(CapturingLog log) {
        return log.at("WARN").stream().filter(l -> l.contains("nonce")).collect(Collectors.toList());
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/fleet/pom.xml")
    // the reference vectors give one UDS several IDs; the refusal of a shared UDS is tested on its own
    @MojoParameter(name = "allowSharedUds", value = "true")
    void successfulFleetRunLogsNoUdsAndOneInfoLinePerDevice(GenerateMojo mojo) throws Exception {
        giveProjectAnArtifact();
        mojo.setLog(log);

        toOut(mojo).execute();

        assertFalse(log.at("DEBUG").isEmpty(), "debug details are logged with -X");
        Fixtures.assertNoSecret("the log", log.all());

        List<String> info = log.at("INFO");
        assertEquals(4, info.size(), log::all); // one per device and the summary
        for (VectorCase c : List.of(P01, P08, P11)) {
            String sha1 = thumbprint("SHA-1", der(out.resolve(c.registrationId + ".pem")));
            List<String> lines = info.stream().filter(l -> l.startsWith(c.registrationId + ": "))
                    .collect(Collectors.toList());
            assertEquals(1, lines.size(), () -> c.id + " in " + info);
            assertTrue(lines.get(0).contains(c.registrationId + ".pem"), lines.get(0));
            assertTrue(lines.get(0).contains(sha1), () -> lines.get(0) + " lacks " + sha1);
        }
        assertTrue(info.get(3).startsWith("DPS certificates: 3 devices written to "), info.get(3));

        assertEquals(1, nonceWarnings(log).size(), log::all);
        String warning = nonceWarnings(log).get(0);
        assertTrue(warning.contains("dps.acknowledgeDevkitNonce=true"), "says how to silence it: " + warning);
        assertTrue(warning.contains("private key"), "says why: " + warning);
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/refuse-one-bad-one-good/pom.xml")
    void failedRunLogsNoUds(GenerateMojo mojo) throws Exception {
        mojo.setLog(log);

        MojoFailureException e = assertThrows(MojoFailureException.class, () -> toOut(mojo).execute());

        Fixtures.assertNoSecret("the log", log.all());
        Fixtures.assertNoSecret("the failure message", e.getMessage());
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/fleet/pom.xml")
    void runFailingAfterReadingEveryUdsLogsNoUds(GenerateMojo mojo) throws Exception {
        // all three UDSs are read and used; then the third device's password turns out not to be a UDS
        settings.getServer(Fixtures.SERVER_P08).setPassword(P08.uds + "00");
        mojo.setLog(log);

        MojoFailureException e = assertThrows(MojoFailureException.class, () -> toOut(mojo).execute());

        assertTrue(e.getMessage().contains("66 characters"), e.getMessage());
        Fixtures.assertNoSecret("the log", log.all());
        Fixtures.assertNoSecret("the failure message", e.getMessage());
        assertTrue(log.at("INFO").isEmpty(), "no device line for a run that wrote nothing: " + log.all());
    }

    /** The warning is about certificates that exist: a run that fails writes none and does not warn. */
    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/fleet/pom.xml")
    void failedRunDoesNotWarnAboutTheNonce(GenerateMojo mojo) throws Exception {
        // the third device's password is not a UDS: found while generating, after the run has started
        settings.getServer(Fixtures.SERVER_P08).setPassword(P08.uds + "00");
        mojo.setLog(log);

        assertThrows(MojoFailureException.class, () -> toOut(mojo).execute());

        assertEquals(List.of(), nonceWarnings(log), log::all);
    }

    /** A failed execution does not use up the build's one warning: the next one that writes gives it. */
    @Test
    void nonceWarningComesWithTheFirstExecutionThatWrites(
            @InjectMojo(goal = "generate", pom = "classpath:/unit/fleet/pom.xml") GenerateMojo failing,
            @InjectMojo(goal = "generate", pom = "classpath:/unit/device-registration-id/pom.xml") GenerateMojo writing)
            throws Exception {
        when(session.getRepositorySession()).thenReturn(new DefaultRepositorySystemSession());
        String good = settings.getServer(Fixtures.SERVER_P08).getPassword();
        settings.getServer(Fixtures.SERVER_P08).setPassword(P08.uds + "00");
        CapturingLog writingLog = new CapturingLog();
        failing.setLog(log);
        writing.setLog(writingLog);

        assertThrows(MojoFailureException.class, () -> toOut(failing).execute());
        settings.getServer(Fixtures.SERVER_P08).setPassword(good);
        set(writing, "outputDirectory", tmp.resolve("second").toFile());
        writing.execute();

        assertEquals(List.of(), nonceWarnings(log), log::all);
        assertEquals(1, nonceWarnings(writingLog).size(), writingLog::all);
        List<String> all = writingLog.all().lines().collect(Collectors.toList());
        int written = indexOf(all, "DPS certificates: 1 device written");
        int warned = indexOf(all, "fixed ECDSA nonce");
        assertTrue(written >= 0 && warned > written, () -> "the warning follows the written certificates: " + all);
    }

    private static int indexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/fleet/pom.xml")
    @MojoParameter(name = "acknowledgeDevkitNonce", value = "true")
    // the reference vectors give one UDS several IDs; the refusal of a shared UDS is tested on its own
    @MojoParameter(name = "allowSharedUds", value = "true")
    void acknowledgedDevkitNonceSilencesTheWarning(GenerateMojo mojo) throws Exception {
        mojo.setLog(log);

        toOut(mojo).execute();

        assertTrue(log.at("WARN").isEmpty(), log::all);
    }

    @Test
    @InjectMojo(goal = "generate", pom = "classpath:/unit/fleet/pom.xml")
    @MojoParameter(name = "nonce", value = "rfc6979")
    // the reference vectors give one UDS several IDs; the refusal of a shared UDS is tested on its own
    @MojoParameter(name = "allowSharedUds", value = "true")
    void rfc6979NonceHasNoWarning(GenerateMojo mojo) throws Exception {
        mojo.setLog(log);

        toOut(mojo).execute();

        assertTrue(log.at("WARN").isEmpty(), log::all);
        assertTrue(log.at("INFO").get(3).endsWith("(nonce rfc6979)"), log::all);
    }

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "udsServerId", value = Fixtures.SERVER_P01)
    @MojoParameter(name = "acknowledgeDevkitNonce", value = "true")
    void registrationIdPastTheDocumented64CharactersIsWrittenWithAWarning(GenerateMojo mojo) throws Exception {
        String id = "devkit-" + "b".repeat(93);
        assertEquals(100, id.length());
        set(mojo, "registrationId", id);
        mojo.setLog(log);

        toOut(mojo).execute();

        assertTrue(java.nio.file.Files.isRegularFile(out.resolve(id + ".pem")));
        List<String> warnings = log.at("WARN");
        assertEquals(1, warnings.size(), log::all);
        assertTrue(warnings.get(0).contains("100 characters") && warnings.get(0).contains("64"), warnings.get(0));
    }

    /** Two executions in one build (e.g. two modules of a reactor): the warning comes once. */
    @Test
    void nonceWarningOncePerBuild(
            @InjectMojo(goal = "generate", pom = "classpath:/unit/device-registration-id/pom.xml") GenerateMojo first,
            @InjectMojo(goal = "generate", pom = "classpath:/unit/device-mac-version/pom.xml") GenerateMojo second)
            throws Exception {
        when(session.getRepositorySession()).thenReturn(new DefaultRepositorySystemSession());
        CapturingLog secondLog = new CapturingLog();
        first.setLog(log);
        second.setLog(secondLog);

        toOut(first).execute();
        set(second, "outputDirectory", tmp.resolve("second").toFile());
        second.execute();

        assertEquals(1, nonceWarnings(log).size(), log::all);
        assertEquals(0, nonceWarnings(secondLog).size(), secondLog::all);
    }

    @Test
    @InjectMojo(goal = "generate")
    @MojoParameter(name = "acknowledgeDevkitNonce", value = "true")
    // the reference vectors give one UDS several IDs; the refusal of a shared UDS is tested on its own
    @MojoParameter(name = "allowSharedUds", value = "true")
    void largeRunsListDevicesAtDebugOnly(GenerateMojo mojo) throws Exception {
        List<Device> devices = new ArrayList<>();
        for (int i = 1; i <= GenerateMojo.MAX_DEVICES_LISTED + 1; i++) {
            Device d = new Device();
            d.setRegistrationId(String.format(Locale.ROOT, "devkit-fleet-%02d", i));
            d.setUdsEnv(Fixtures.ENV_P08);
            devices.add(d);
        }
        set(mojo, "devices", devices);
        mojo.setLog(log);

        toOut(mojo).execute();

        assertEquals(List.of("DPS certificates: 21 devices written to " + out + " (nonce devkit)"), log.at("INFO"));
        assertEquals(21, log.at("DEBUG").stream().filter(l -> l.startsWith("devkit-fleet-")).count(), log::all);
        Fixtures.assertNoSecret("the log", log.all());
    }
}
