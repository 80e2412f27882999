package io.github.dpsplugin.maven;

import io.github.dpsplugin.core.common.DpsException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.model.Plugin;
import org.apache.maven.model.PluginExecution;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.project.MavenProject;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * Finds a UDS given as a value, without a Mojo parameter that would receive it (Maven's -X log
 * prints every parameter's value before a goal can refuse it): the {@code dps.uds} property and
 * {@code <uds>} in the raw plugin configuration. Only presence is tested; the value is not kept.
 */
final class UdsValues {

    static final String PROPERTY = "dps.uds";
    /** What the refusal names, for the property and for a top-level {@code <uds>} alike. */
    static final String WHERE = "the parameter uds / property dps.uds";

    private UdsValues() {
    }

    /** Throws the refusal when a UDS value is given anywhere this build would have taken one from. */
    static void refuse(MavenSession session, MavenProject project, MojoExecution execution) {
        // -Ddps.UDS=… is no parameter either, but it is a UDS on a command line all the same
        String name = propertyGiven(session, project, PROPERTY);
        if (name != null) {
            throw refused(name.equals(PROPERTY) ? WHERE : WHERE + " (as " + name + ")");
        }
        for (Xpp3Dom configuration : configurations(project, execution)) {
            if (given(configuration.getChild("uds"))) {
                throw refused(WHERE);
            }
            Xpp3Dom devices = configuration.getChild("devices");
            if (devices != null) {
                Xpp3Dom[] each = devices.getChildren();
                for (int i = 0; i < each.length; i++) {
                    if (given(each[i].getChild("uds"))) {
                        throw refused("<uds> of device #" + (i + 1) + " of <devices>");
                    }
                }
            }
        }
    }

    /** The refusal of a UDS written as a value; {@code where} names it, e.g. "the property dps.uds". */
    static DpsException refused(String where) {
        return new DpsException("uds", where + " is refused: a UDS written in a POM or on the command line ends up"
                + " in version control, shell history and build logs. Put it in settings.xml as the <password> of a"
                + " <server> (encrypt it with mvn --encrypt-password) and reference it with udsServerId, or export it"
                + " in an environment variable and reference it with udsEnv");
    }

    /**
     * The name of a non-empty property {@code property} (any case) among the session's user and
     * system properties and the project's, or {@code null}; the value is not kept.
     */
    private static String propertyGiven(MavenSession session, MavenProject project, String property) {
        List<Properties> properties = new ArrayList<>();
        if (session != null) {
            properties.add(session.getUserProperties());
            properties.add(session.getSystemProperties());
        }
        if (project != null) {
            properties.add(project.getProperties());
        }
        for (Properties p : properties) {
            if (p == null) {
                continue;
            }
            for (String name : p.stringPropertyNames()) {
                if (name.equalsIgnoreCase(property) && !p.getProperty(name).isEmpty()) {
                    return name;
                }
            }
        }
        return null;
    }

    /**
     * Where a secret is given as a value, or {@code null}: the property {@code property} (any case,
     * non-empty) among the session's and the project's, or element {@code element} in the raw
     * plugin configuration. Only presence is tested; the value is not kept.
     */
    static String valueGiven(MavenSession session, MavenProject project, MojoExecution execution, String property,
            String element) {
        String name = propertyGiven(session, project, property);
        if (name != null) {
            return "the property " + name;
        }
        for (Xpp3Dom configuration : configurations(project, execution)) {
            if (given(configuration.getChild(element))) {
                return "<" + element + "> in the plugin configuration";
            }
        }
        return null;
    }

    /**
     * The configurations that may hold a {@code <uds>}: the execution's (Maven drops elements that
     * are no parameter from it), and the raw ones of the plugin in the POM: plugin-wide, of this
     * execution, and under pluginManagement.
     */
    private static List<Xpp3Dom> configurations(MavenProject project, MojoExecution execution) {
        List<Xpp3Dom> all = new ArrayList<>();
        if (execution == null) {
            return all;
        }
        add(all, execution.getConfiguration());
        String executionId = execution.getExecutionId();
        List<Plugin> plugins = new ArrayList<>();
        if (execution.getPlugin() != null) {
            plugins.add(execution.getPlugin());
        }
        if (project != null && project.getBuild() != null && execution.getGroupId() != null) {
            String key = Plugin.constructKey(execution.getGroupId(), execution.getArtifactId());
            plugins.add(project.getBuild().getPluginsAsMap().get(key));
            if (project.getBuild().getPluginManagement() != null) {
                plugins.add(project.getBuild().getPluginManagement().getPluginsAsMap().get(key));
            }
        }
        for (Plugin plugin : plugins) {
            if (plugin == null) {
                continue;
            }
            add(all, plugin.getConfiguration());
            for (PluginExecution e : plugin.getExecutions()) {
                if (e.getId() != null && e.getId().equals(executionId)) {
                    add(all, e.getConfiguration());
                }
            }
        }
        return all;
    }

    private static void add(List<Xpp3Dom> all, Object configuration) {
        if (configuration instanceof Xpp3Dom) {
            all.add((Xpp3Dom) configuration);
        }
    }

    private static boolean given(Xpp3Dom element) {
        if (element == null) {
            return false;
        }
        String value = element.getValue();
        return value != null && !value.isBlank() || element.getChildCount() > 0;
    }
}
