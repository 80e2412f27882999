package io.github.dpsplugin.maven;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.enroll.ConnectionString;
import io.github.dpsplugin.core.enroll.EnrollListener;
import io.github.dpsplugin.core.enroll.EnrollRequest;
import io.github.dpsplugin.core.enroll.EnrollResult;
import io.github.dpsplugin.core.enroll.Enroller;
import io.github.dpsplugin.core.enroll.RolloutStep;
import java.io.File;
import java.util.List;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Makes the DPS instance's individual enrollments match the output of {@code generate}: each
 * device enrolled with its alias certificate (created, or its client certificates updated with
 * every other setting kept), enrollments not in the output never touched; with {@code rolloutStep}
 * the start or finish of a rollout from a previous firmware. The connection string comes from an
 * environment variable ({@code dpsConnectionStringEnv}) or a settings.xml server's password
 * ({@code dpsServerId}), never from a parameter. No default phase; works without a POM:
 * {@code mvn io.github.dpsplugin:dps-maven-plugin:enroll -Ddps.dpsConnectionStringEnv=DPS_CONNECTION_STRING}.
 */
@Mojo(name = "enroll", threadSafe = true, requiresProject = false)
public class EnrollMojo extends AbstractDpsMojo {

    /** Properties (and their elements) that would carry a connection string as a value: refused. */
    static final String REFUSED_PROPERTY = "dps.dpsConnectionString";
    static final String REFUSED_SHORT_PROPERTY = "dps.connectionString";

    /** The output of {@code generate} to enroll: its {@code dps-manifest.json} and certificates (files or archive). */
    @Parameter(property = "dps.outputDirectory", defaultValue = "${project.build.directory}/dps")
    private File outputDirectory;

    /**
     * Name of the environment variable holding the DPS service connection string
     * ({@code HostName=…;SharedAccessKeyName=…;SharedAccessKey=…}).
     */
    @Parameter(property = "dps.dpsConnectionStringEnv") private String dpsConnectionStringEnv;

    /** Id of the settings.xml {@code <server>} whose password (plain or Maven-encrypted) is the DPS connection string. */
    @Parameter(property = "dps.dpsServerId") private String dpsServerId;

    /**
     * For an output generated with a previous firmware: {@code start} (primary the new certificate,
     * secondary the previous one; a changed ID is enrolled with its old enrollment's settings) or
     * {@code finish} (secondary removed; old IDs deleted when they still hold the previous certificate).
     */
    @Parameter(property = "dps.rolloutStep") private String rolloutStep;

    /** Reads DPS and prints the plan (per device with -X); writes nothing. */
    @Parameter(property = "dps.dryRun", defaultValue = "false") private boolean dryRun;

    @Override
    protected void doExecute() {
        ConnectionString connection = null;
        try {
            refuseConnectionStringValues();
            connection = connectionString();
            EnrollRequest request = EnrollRequest.builder().outputDirectory(path(outputDirectory, "outputDirectory").toAbsolutePath())
                    .connection(connection).step(RolloutStep.parse(rolloutStep)).dryRun(dryRun).build();
            EnrollResult result = Enroller.run(request, listener(getLog()));
            if (result.dryRun()) {
                getLog().info("DPS enroll: dry run; nothing was written to DPS");
            }
        } finally {
            if (connection != null) {
                connection.clear();
            }
        }
    }

    /** A connection string written in a POM or on a command line leaks into logs and history: refused. */
    private void refuseConnectionStringValues() {
        for (String property : List.of(REFUSED_PROPERTY, REFUSED_SHORT_PROPERTY)) {
            String where = UdsValues.valueGiven(session, project, mojoExecution, property,
                    property.substring("dps.".length()));
            if (where != null) {
                throw new DpsException("dpsConnectionString", where + " is refused: a connection string written in a"
                        + " POM or on the command line ends up in version control, shell history and build logs."
                        + " Export it in an environment variable and name that with dpsConnectionStringEnv, or put it"
                        + " in settings.xml as the <password> of a <server> and name that with dpsServerId");
            }
        }
    }

    private ConnectionString connectionString() {
        boolean env = dpsConnectionStringEnv != null && !dpsConnectionStringEnv.isBlank();
        boolean server = dpsServerId != null && !dpsServerId.isBlank();
        if (env == server) {
            throw new DpsException("dpsConnectionStringEnv", (env ? "give either" : "no DPS connection string; give")
                    + " dpsConnectionStringEnv (an environment variable holding the DPS service connection string) or"
                    + " dpsServerId (a settings.xml server whose password is the connection string)"
                    + (env ? ", not both" : ""));
        }
        MavenUdsSources sources = udsSources();
        if (env) {
            String name = dpsConnectionStringEnv.strip();
            return ConnectionString.parse(sources.environmentValue(name, "dpsConnectionStringEnv"),
                    "environment variable " + name, "dpsConnectionStringEnv");
        }
        String id = dpsServerId.strip();
        return ConnectionString.parse(sources.serverPassword(id, "dpsServerId"), "settings.xml server '" + id + "'",
                "dpsServerId");
    }

    private static EnrollListener listener(Log log) {
        return new EnrollListener() {
            @Override
            public void info(String message) {
                log.info("DPS enroll: " + message);
            }

            @Override
            public void debug(String message) {
                if (log.isDebugEnabled()) {
                    log.debug("DPS enroll: " + message);
                }
            }

            @Override
            public void warn(String message) {
                log.warn("DPS enroll: " + message);
            }
        };
    }

    @Override
    protected String logPrefix() {
        return "DPS enroll";
    }
}
