package io.github.dpsplugin.maven;

import io.github.dpsplugin.core.common.DpsException;
import java.io.File;
import java.nio.file.Path;
import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * What every goal of the plugin shares: {@code skip}, the build it runs in, and one
 * {@link #execute()}: misspelt and overridden {@code dps.*} properties are named, a skipped goal
 * says so in one INFO line, and a core error becomes the Maven exception for it. Each goal does
 * its work in {@link #doExecute()}. Also the one place for where the goal's files are
 * ({@link #buildDirectory()}, {@link #path}) and how the log shows them ({@link #relative}).
 */
abstract class AbstractDpsMojo extends AbstractMojo {

    /** Skips the goal. */
    @Parameter(property = "dps.skip", defaultValue = "false") protected boolean skip;

    @Parameter(defaultValue = "${session}", readonly = true, required = true) protected MavenSession session;

    @Parameter(defaultValue = "${project}", readonly = true) protected MavenProject project;

    /** This goal's execution: its plugin's descriptor (every goal's parameters) and its raw configuration. */
    @Parameter(defaultValue = "${mojoExecution}", readonly = true) protected MojoExecution mojoExecution;

    /** Decrypts settings.xml passwords (UDS and connection strings given as server passwords). */
    @Inject private SettingsDecrypter settingsDecrypter;

    /**
     * Warns about misspelt {@code dps.*} properties (even when skipped: a misspelt {@code dps.skip}
     * is one of them) and about properties the POM overrides; then skips, or runs
     * {@link #doExecute()}. A core error about the user's input is a build failure
     * ({@link MojoFailureException}); an I/O or environment fault is a {@link MojoExecutionException}
     * with its cause attached, and so is anything else escaping the core.
     */
    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        UnknownProperties.warn(session, mojoExecution, getLog());
        if (skip) {
            getLog().info(logPrefix() + ": skipped (dps.skip)");
            return;
        }
        try {
            doExecute();
        } catch (DpsException e) {
            if (e.kind() == DpsException.Kind.ENVIRONMENT) {
                throw new MojoExecutionException(e.getMessage(), e);
            }
            throw new MojoFailureException(e.getMessage());
        } catch (RuntimeException e) {
            throw unexpected(e);
        }
    }

    /** What the goal does. */
    protected abstract void doExecute() throws MojoExecutionException, MojoFailureException;

    /** How the goal's INFO lines start, e.g. {@code DPS verify}. */
    protected abstract String logPrefix();

    /** Where a secret may come from in this build: settings.xml servers and environment variables. */
    protected MavenUdsSources udsSources() {
        return new MavenUdsSources(session == null ? null : session.getSettings(), settingsDecrypter,
                MavenUdsSources.environmentOf(session == null ? null : session.getSystemProperties()),
                MavenUdsSources.settingsFilesOf(session == null ? null : session.getRequest()));
    }

    /** The project's base directory; without a POM, the directory Maven was started in. */
    protected Path baseDirectory() {
        if (project != null && project.getBasedir() != null) {
            return project.getBasedir().toPath().toAbsolutePath();
        }
        if (session != null && session.getExecutionRootDirectory() != null) {
            return Path.of(session.getExecutionRootDirectory()).toAbsolutePath();
        }
        return Path.of("").toAbsolutePath();
    }

    /**
     * {@code ${project.build.directory}}; without a POM Maven's stub project leaves it uninterpolated,
     * so then {@code target} in the base directory.
     */
    protected Path buildDirectory() {
        String dir = project == null || project.getBuild() == null ? null : project.getBuild().getDirectory();
        if (dir != null && !dir.contains("${")) {
            return Path.of(dir);
        }
        return baseDirectory().resolve("target");
    }

    /** {@code p} as the log shows it: relative to the base directory when inside it. */
    protected String relative(Path p) {
        Path base = baseDirectory();
        try {
            return p.isAbsolute() && p.startsWith(base) ? base.relativize(p).toString() : p.toString();
        } catch (IllegalArgumentException e) {
            return p.toString();
        }
    }

    /** A path parameter that must be set; {@code field} is its name, named in the error. */
    protected static Path path(File f, String field) {
        if (f == null) {
            throw new DpsException(field, "is not set; give " + field + " in the plugin configuration or -Ddps."
                    + field);
        }
        int expression = f.getPath().indexOf("${");
        if (expression >= 0) {
            // without a POM Maven leaves ${project.basedir} unresolved in the defaults: a path with it is never meant
            throw new DpsException(field, "is not set, and its default (" + f.getPath().substring(expression)
                    + ") needs a POM; give -Ddps." + field + "=<path>");
        }
        return f.toPath();
    }

    protected static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    protected static String blankToNull(String s) {
        return notBlank(s) ? s.strip() : null;
    }

    private static MojoExecutionException unexpected(RuntimeException e) {
        return new MojoExecutionException("unexpected " + e.getClass().getName()
                + (e.getMessage() != null ? ": " + e.getMessage() : ""), e);
    }
}
