package io.github.dpsplugin.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.maven.Fixtures.CapturingLog;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/**
 * The one {@code execute()} of every goal: misspelt properties named even when skipped,
 * {@code dps.skip} honoured with one INFO line and nothing else done, core errors mapped to Maven's
 * exceptions. The goals are those of the plugin's descriptor, so a new goal is covered or the test fails.
 */
@MojoTest
class AbstractDpsMojoTest extends MojoTestBase {

    @Test
    @UserProperty(name = "dps.skip", value = "true")
    @UserProperty(name = "dps.skp", value = "true")
    void everyGoalNamesAMisspeltPropertyAndSkips(
            @InjectMojo(goal = "generate") GenerateMojo generate,
            @InjectMojo(goal = "generate-uds") GenerateUdsMojo generateUds,
            @InjectMojo(goal = "verify") VerifyMojo verify,
            @InjectMojo(goal = "merge-manifests") MergeManifestsMojo mergeManifests,
            @InjectMojo(goal = "enroll") EnrollMojo enroll) throws Exception {
        Map<String, AbstractDpsMojo> goals = new LinkedHashMap<>();
        goals.put("generate", generate);
        goals.put("generate-uds", generateUds);
        goals.put("verify", verify);
        goals.put("merge-manifests", mergeManifests);
        goals.put("enroll", enroll);
        assertEquals(new TreeSet<>(ParametersGuideTest.descriptor().keySet()), new TreeSet<>(goals.keySet()),
                "every goal but help is checked here");
        Map<String, String> skipped = Map.of("generate", "DPS certificates", "generate-uds", "DPS UDS file",
                "verify", "DPS verify", "merge-manifests", "DPS merge-manifests", "enroll", "DPS enroll");
        for (Map.Entry<String, AbstractDpsMojo> goal : goals.entrySet()) {
            AbstractDpsMojo mojo = goal.getValue();
            execution(mojo, goal.getKey(), null);
            CapturingLog log = new CapturingLog();
            mojo.setLog(log);

            mojo.execute();

            assertEquals(List.of("unknown property dps.skp; did you mean dps.skip?"), log.at("WARN"),
                    goal.getKey() + ": " + log.all());
            assertEquals(List.of(skipped.get(goal.getKey()) + ": skipped (dps.skip)"), log.at("INFO"),
                    goal.getKey() + ": " + log.all());
        }
        // skipped goals read and write nothing: no output, no report
        assertFalse(tmp.resolve("dps").toFile().exists());
        assertFalse(Files.exists(Path.of("target/dps-verify")));
    }

    @Test
    void everyGoalsExecuteIsTheBasesOwn() throws Exception {
        for (Class<?> goal : List.of(GenerateMojo.class, GenerateUdsMojo.class, VerifyMojo.class,
                MergeManifestsMojo.class, EnrollMojo.class)) {
            assertTrue(AbstractDpsMojo.class.isAssignableFrom(goal), goal.getName());
            Method execute = goal.getMethod("execute");
            assertSame(AbstractDpsMojo.class, execute.getDeclaringClass(), goal.getName());
            assertTrue(Modifier.isFinal(execute.getModifiers()));
        }
    }

    @Test
    void theUsersInputFailsTheBuild() {
        MojoFailureException e = assertThrows(MojoFailureException.class,
                new Throwing(new DpsException("shard", "'3/2' is not a shard"))::execute);
        assertEquals("shard: '3/2' is not a shard", e.getMessage());
    }

    @Test
    void anEnvironmentFaultIsAnExecutionErrorWithItsCause() {
        IOException cause = new IOException("disk full");
        DpsException fault = DpsException.environment("outputDirectory", "cannot write", cause);
        MojoExecutionException e = assertThrows(MojoExecutionException.class, new Throwing(fault)::execute);
        assertEquals(fault.getMessage(), e.getMessage());
        assertSame(fault, e.getCause());
    }

    @Test
    void anythingElseIsAnExecutionErrorNamingIt() {
        IllegalStateException bug = new IllegalStateException("no");
        MojoExecutionException e = assertThrows(MojoExecutionException.class, new Throwing(bug)::execute);
        assertEquals("unexpected java.lang.IllegalStateException: no", e.getMessage());
        assertSame(bug, e.getCause());
    }

    /** A goal whose work throws {@code failure}; without a session, as a Mojo built by hand. */
    private static final class Throwing extends AbstractDpsMojo {
        private final RuntimeException failure;

        Throwing(RuntimeException failure) {
            this.failure = failure;
        }

        @Override
        protected String logPrefix() {
            return "DPS test";
        }

        @Override
        protected void doExecute() {
            throw failure;
        }
    }
}
