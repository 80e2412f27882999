package io.github.dpsplugin.maven;

import io.github.dpsplugin.core.common.DpsException;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.descriptor.MojoDescriptor;
import org.apache.maven.plugin.descriptor.Parameter;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugin.logging.Log;
import org.codehaus.plexus.configuration.PlexusConfiguration;

/**
 * Warns about {@code -Ddps.*} properties that no goal of this plugin uses: Maven ignores them, so a
 * misspelt {@code -Ddps.pemlayout=rfc7468} would otherwise change nothing, silently. The known
 * properties are read from the plugin's own descriptor at run time (every goal's parameter
 * expressions), so a new parameter is known without a list to keep. Then warns about known ones
 * that the POM's configuration overrides ({@link OverriddenProperties}).
 */
final class UnknownProperties {

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{(dps\\.[^}]+)}");
    private static final String WARNED_KEY = UnknownProperties.class.getName() + ".warned.";

    private UnknownProperties() {
    }

    /** Logs one warning per unknown {@code dps.*} user property (once per build, also across a reactor's modules). */
    static void warn(MavenSession session, MojoExecution execution, Log log) {
        if (session == null || session.getUserProperties() == null) {
            return;
        }
        Set<String> given = new TreeSet<>();
        for (String name : session.getUserProperties().stringPropertyNames()) {
            if (name.startsWith("dps.")) {
                given.add(name);
            }
        }
        if (given.isEmpty()) {
            return;
        }
        Set<String> known = known(execution);
        if (known.isEmpty()) {
            log.debug("the plugin descriptor is not available: dps.* properties are not checked");
            return;
        }
        for (String name : given) {
            if (!known.contains(name) && firstInThisBuild(session, name)) {
                log.warn("unknown property " + printable(name) + "; did you mean " + closest(name, known) + "?");
            }
        }
        // a known property can be ignored too: when the POM configures its parameter
        OverriddenProperties.warn(session.getUserProperties(), execution, log);
    }

    /** Every {@code dps.*} property a parameter of a goal of this plugin reads, and the refused dps.uds. */
    static Set<String> known(MojoExecution execution) {
        Set<String> known = new TreeSet<>();
        MojoDescriptor mojo = execution == null ? null : execution.getMojoDescriptor();
        PluginDescriptor plugin = mojo == null ? null : mojo.getPluginDescriptor();
        if (plugin == null || plugin.getMojos() == null) {
            return known;
        }
        for (MojoDescriptor m : plugin.getMojos()) {
            if (m.getParameters() != null) {
                for (Parameter p : m.getParameters()) {
                    collect(p.getExpression(), known);
                }
            }
            PlexusConfiguration configuration = m.getMojoConfiguration();
            if (configuration != null) {
                for (PlexusConfiguration c : configuration.getChildren()) {
                    collect(c.getValue(null), known);
                }
            }
        }
        if (!known.isEmpty()) {
            known.add(UdsValues.PROPERTY); // refused with its own message, not unknown
            known.add(EnrollMojo.REFUSED_PROPERTY);
            known.add(EnrollMojo.REFUSED_SHORT_PROPERTY);
        }
        return known;
    }

    private static void collect(String expression, Set<String> into) {
        if (expression == null) {
            return;
        }
        Matcher m = EXPRESSION.matcher(expression);
        while (m.find()) {
            into.add(m.group(1));
        }
    }

    /** The known property nearest to {@code name}: fewest edits ignoring case, then case differences, then name. */
    static String closest(String name, Set<String> known) {
        String best = null;
        long bestScore = Long.MAX_VALUE;
        for (String k : known) {
            long score = 2L * distance(name.toLowerCase(Locale.ROOT), k.toLowerCase(Locale.ROOT)) * 1000
                    + distance(name, k);
            if (score < bestScore) {
                best = k;
                bestScore = score;
            }
        }
        return best;
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length()];
    }

    /** The name as typed, unless it holds characters that could rewrite the log line. */
    private static String printable(String name) {
        String quoted = DpsException.quote(name);
        return quoted.equals("'" + name + "'") ? name : quoted;
    }

    private static boolean firstInThisBuild(MavenSession session, String name) {
        if (session.getRepositorySession() == null) {
            return true;
        }
        return session.getRepositorySession().getData().set(WARNED_KEY + name, null, Boolean.TRUE);
    }
}
