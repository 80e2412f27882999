package io.github.dpsplugin.maven;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.descriptor.MojoDescriptor;
import org.apache.maven.plugin.descriptor.Parameter;
import org.apache.maven.plugin.logging.Log;
import org.codehaus.plexus.configuration.PlexusConfiguration;
import org.codehaus.plexus.util.xml.Xpp3Dom;

/**
 * Warns when a {@code -Ddps.*} property is given but the POM's own configuration of that parameter
 * wins, as Maven decides: {@code -Ddps.firmwareVersion=2.1.0} with {@code <firmwareVersion>2.0.0}
 * in the POM builds 2.0.0's certificates, and nothing else would say so. The parameters and their
 * properties come from the plugin descriptor; the POM's configuration is the execution's. A value
 * that may be a secret is never printed, only the parameter's name.
 */
final class OverriddenProperties {

    /** Names of parameters that hold a secret themselves (none today; a goal may add one). */
    private static final Pattern SECRET_NAME =
            Pattern.compile(".*(password|secret|token|key|credential|connectionstring|sas).*");
    /** A value that looks like key material: 32+ hex digits (a UDS has 64), base64 of 32+ bytes, a DPS key. */
    private static final Pattern SECRET_VALUE =
            Pattern.compile(".*([0-9A-Fa-f]{32}|[A-Za-z0-9+/]{40,}={1,2}).*|.*SharedAccessKey.*", Pattern.DOTALL);

    private OverriddenProperties() {
    }

    /** Logs one warning per {@code dps.*} user property that the POM's configuration of its parameter overrides. */
    static void warn(Properties userProperties, MojoExecution execution, Log log) {
        MojoDescriptor mojo = execution == null ? null : execution.getMojoDescriptor();
        Xpp3Dom configuration = execution == null ? null : execution.getConfiguration();
        if (userProperties == null || mojo == null || mojo.getParameters() == null || configuration == null) {
            return;
        }
        for (Parameter p : mojo.getParameters()) {
            String property = property(p, mojo);
            String given = property == null ? null : userProperties.getProperty(property);
            if (given == null) {
                continue;
            }
            Xpp3Dom pom = configuration.getChild(p.getName());
            if (pom == null && p.getAlias() != null) {
                pom = configuration.getChild(p.getAlias());
            }
            String used = pom == null ? null : value(pom, property);
            if (used == null || same(used, given)) {
                continue; // not configured, configured as ${dps.x}, or to the same value
            }
            String shown = secret(p.getName(), used) ? "a value not shown here (it may be a secret)" : used;
            log.warn("-D" + property + " is ignored: the POM configures " + p.getName() + ", and Maven gives the"
                    + " POM's configuration precedence, so this build uses " + shown + ". To let the property win,"
                    + " write <" + p.getName() + ">${" + property + "}</" + p.getName() + "> in the POM (its"
                    + " <properties> may give ${" + property + "} a default)");
        }
    }

    /** The {@code dps.*} property a parameter reads, from the descriptor: {@code ${dps.x}}, else null. */
    static String property(Parameter p, MojoDescriptor mojo) {
        String expression = p.getExpression();
        if (expression == null && mojo.getMojoConfiguration() != null) {
            PlexusConfiguration c = mojo.getMojoConfiguration().getChild(p.getName(), false);
            expression = c == null ? null : c.getValue(null);
        }
        if (expression != null && expression.startsWith("${dps.") && expression.endsWith("}")
                && expression.indexOf('}') == expression.length() - 1) {
            return expression.substring(2, expression.length() - 1);
        }
        return null;
    }

    /**
     * What the POM's configuration gives the parameter, or {@code null} when it leaves it to the
     * property: no value, or one that still reads {@code ${dps.x}} (Maven replaces it with the
     * property's value when the model is built, so "the same value" is also checked).
     */
    private static String value(Xpp3Dom pom, String property) {
        if (pom.getChildCount() > 0) {
            List<String> items = new ArrayList<>();
            for (Xpp3Dom item : pom.getChildren()) {
                if (item.getValue() != null) {
                    items.add(item.getValue().strip());
                }
            }
            return String.join(",", items);
        }
        String v = pom.getValue();
        if (v == null || v.contains("${" + property + "}")) {
            return null;
        }
        return v.strip();
    }

    private static boolean same(String used, String given) {
        return normalise(used).equals(normalise(given));
    }

    private static String normalise(String s) {
        return String.join(",", s.strip().split("\\s*,\\s*"));
    }

    private static boolean secret(String name, String value) {
        return SECRET_NAME.matcher(name.toLowerCase(Locale.ROOT)).matches() || SECRET_VALUE.matcher(value).matches();
    }
}
