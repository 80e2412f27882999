package io.github.dpsplugin.maven;

import static io.github.dpsplugin.maven.Fixtures.ENV_P08;
import static io.github.dpsplugin.maven.Fixtures.ENV_UNSET;
import static io.github.dpsplugin.maven.Fixtures.P01;
import static io.github.dpsplugin.maven.Fixtures.P08;
import static io.github.dpsplugin.maven.Fixtures.SERVER_P01;
import static io.github.dpsplugin.maven.Fixtures.SERVER_P08;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.when;

import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import javax.inject.Inject;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.artifact.DefaultArtifact;
import org.apache.maven.artifact.handler.DefaultArtifactHandler;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugin.descriptor.PluginDescriptorBuilder;
import org.apache.maven.project.MavenProject;
import org.apache.maven.repository.internal.MavenRepositorySystemUtils;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.codehaus.plexus.util.xml.Xpp3Dom;
import org.eclipse.aether.DefaultRepositorySystemSession;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.repository.LocalRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every harness test class shares. The harness's {@link MavenSession} is a Mockito mock (its
 * {@code getSettings()} is null), so each test stubs it with its own {@link Settings}, system
 * properties (where Maven puts {@code env.*}) and user properties ({@code -D}). Concrete classes
 * carry {@code @MojoTest} (it is not inherited).
 */
abstract class MojoTestBase {

    /** A {@code -Dname=value} for the test method, set before the harness configures the Mojo. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @Repeatable(UserProperties.class)
    @interface UserProperty {
        String name();

        String value();
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface UserProperties {
        UserProperty[] value();
    }

    @Inject
    protected MavenSession session;

    @Inject
    protected MavenProject project;

    @TempDir
    protected Path tmp;

    protected final Settings settings = new Settings();
    protected final Properties systemProperties = new Properties();
    protected final Properties userProperties = new Properties();

    @Inject
    private RepositorySystem repositorySystem;

    /** Where tests write: {@code <tmp>/dps} (not created beforehand). */
    protected Path out;

    @BeforeEach
    void stubSession(TestInfo info) {
        info.getTestMethod().ifPresent(m -> {
            for (UserProperty p : m.getAnnotationsByType(UserProperty.class)) {
                userProperties.setProperty(p.name(), p.value());
            }
        });
        when(session.getSettings()).thenReturn(settings);
        when(session.getSystemProperties()).thenReturn(systemProperties);
        when(session.getUserProperties()).thenReturn(userProperties);

        server(SERVER_P01, P01.uds);
        server(SERVER_P08, P08.uds);
        env(ENV_P08, P08.uds);
        assertNull(System.getenv(ENV_UNSET), ENV_UNSET + " must not be set in the test environment");
        out = tmp.resolve("dps");
    }

    /**
     * A local repository holding release {@code version} of the project io.github.dpsplugin.test:rollout
     * with fw-a's .bin and .map attached as types bin and map, and the session reading it.
     */
    protected void releaseInLocalRepository(String version) throws Exception {
        Path repo = tmp.resolve("repository");
        Path dir = repo.resolve("io/github/dpsplugin/test/rollout/" + version);
        Files.createDirectories(dir);
        Files.copy(Fixtures.VECTORS.resolve("firmware/fw-a.ino.bin"), dir.resolve("rollout-" + version + ".bin"));
        Files.copy(Fixtures.VECTORS.resolve("firmware/fw-a.ino.map"), dir.resolve("rollout-" + version + ".map"));
        DefaultRepositorySystemSession repositorySession = MavenRepositorySystemUtils.newSession();
        repositorySession.setLocalRepositoryManager(repositorySystem.newLocalRepositoryManager(repositorySession,
                new LocalRepository(repo.toFile())));
        when(session.getRepositorySession()).thenReturn(repositorySession);
        // the harness's project is a stub: give it the test POM's coordinates
        project.setGroupId("io.github.dpsplugin.test");
        project.setArtifactId("rollout");
    }

    /** {@code mojo}'s log, captured from now on. */
    protected static Fixtures.CapturingLog captureLog(org.apache.maven.plugin.Mojo mojo) {
        Fixtures.CapturingLog log = new Fixtures.CapturingLog();
        mojo.setLog(log);
        return log;
    }

    protected Server server(String id, String password) {
        Server s = new Server();
        s.setId(id);
        s.setPassword(password);
        settings.addServer(s);
        return s;
    }

    /** An environment variable as Maven exposes it: the session system property {@code env.NAME}. */
    protected void env(String name, String value) {
        systemProperties.setProperty("env." + name, value);
    }

    /** Points the Mojo's output at {@link #out}. */
    protected <T> T set(GenerateMojo mojo, String field, T value) throws IllegalAccessException {
        MojoExtension.setVariableValueToObject(mojo, field, value);
        return value;
    }

    protected GenerateMojo toOut(GenerateMojo mojo) throws IllegalAccessException {
        set(mojo, "outputDirectory", out.toFile());
        return mojo;
    }

    /** The harness's project has no main artifact; attaching needs one. */
    protected void giveProjectAnArtifact() {
        DefaultArtifact a = new DefaultArtifact("io.github.dpsplugin.test", "firmware", "1.0", "compile", "jar", null,
                new DefaultArtifactHandler("jar"));
        project.setArtifact(a);
    }

    /**
     * An execution of {@code goal} as Maven makes it: the plugin's real descriptor (as built into
     * target/classes) and, when given, the execution's configuration. Set into the Mojo.
     */
    protected MojoExecution execution(org.apache.maven.plugin.Mojo mojo, String goal, Xpp3Dom configuration) throws Exception {
        PluginDescriptor plugin;
        try (Reader r = Files.newBufferedReader(Path.of("target/classes/META-INF/maven/plugin.xml"))) {
            plugin = new PluginDescriptorBuilder().build(r);
        }
        MojoExecution execution = new MojoExecution(plugin.getMojo(goal), "default-cli");
        if (configuration != null) {
            execution.setConfiguration(configuration);
        }
        MojoExtension.setVariableValueToObject(mojo, "mojoExecution", execution);
        return execution;
    }

    /** {@code <configuration>} with the given children ({@code name, value, name, value, ...}). */
    protected static Xpp3Dom configuration(String... namesAndValues) {
        Xpp3Dom c = new Xpp3Dom("configuration");
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Xpp3Dom child = new Xpp3Dom(namesAndValues[i]);
            child.setValue(namesAndValues[i + 1]);
            c.addChild(child);
        }
        return c;
    }

    /** Field label as dps-core formats it in messages: {@code "<field>: "}. */
    protected static String field(String name) {
        return name + ": ";
    }

    /**
     * Runs the Mojo over a directory holding a previous run's outputs and checks the refusal: a
     * {@link MojoFailureException} whose message contains every fragment and no UDS, and the
     * directory exactly as it was (no new file, no leftover staging directory, old files untouched).
     */
    protected MojoFailureException assertRefused(GenerateMojo mojo, String... fragments) throws Exception {
        toOut(mojo);
        Fixtures.previousRun(out);
        Map<String, String> before = Fixtures.snapshot(out);
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        String message = e.getMessage();
        for (String f : fragments) {
            assertTrue(message.contains(f), () -> "message lacks '" + f + "': " + message);
        }
        Fixtures.assertNoSecret("the failure message", message);
        Fixtures.assertSnapshot(before, out);
        return e;
    }
}
