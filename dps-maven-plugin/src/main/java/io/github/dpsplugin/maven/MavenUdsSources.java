package io.github.dpsplugin.maven;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.dice.UdsSource;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.maven.execution.MavenExecutionRequest;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.building.SettingsProblem;
import org.apache.maven.settings.crypto.DefaultSettingsDecryptionRequest;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.apache.maven.settings.crypto.SettingsDecryptionResult;

/**
 * The two places a UDS may come from in a Maven build: a settings.xml server's password (plain or
 * encrypted with {@code mvn --encrypt-password}) or an environment variable. Descriptions name the
 * server or variable, never the value.
 */
final class MavenUdsSources {

    private static final Pattern UNRESOLVED = Pattern.compile("\\$\\{([^}]*)}");

    private final Settings settings;
    private final SettingsDecrypter decrypter;
    private final Function<String, String> environment;
    private final List<File> settingsFiles;

    /**
     * @param environment looks up an environment variable by name (Maven exposes them as
     *     {@code env.NAME} session properties)
     */
    MavenUdsSources(Settings settings, SettingsDecrypter decrypter, Function<String, String> environment) {
        this(settings, decrypter, environment, List.of());
    }

    /** @param settingsFiles the settings.xml files the build read (user, global), named when a server is missing */
    MavenUdsSources(Settings settings, SettingsDecrypter decrypter, Function<String, String> environment,
            List<File> settingsFiles) {
        this.settings = settings;
        this.decrypter = decrypter;
        this.environment = environment;
        this.settingsFiles = settingsFiles;
    }

    /** The user and global settings.xml of the build that exist (those Maven read). */
    static List<File> settingsFilesOf(MavenExecutionRequest request) {
        List<File> files = new ArrayList<>();
        if (request != null) {
            for (File f : new File[] {request.getUserSettingsFile(), request.getGlobalSettingsFile()}) {
                if (f != null && f.isFile()) {
                    files.add(f);
                }
            }
        }
        return files;
    }

    static Function<String, String> environmentOf(Properties sessionSystemProperties) {
        return name -> {
            String v = sessionSystemProperties == null ? null : sessionSystemProperties.getProperty("env." + name);
            return v != null ? v : System.getenv(name);
        };
    }

    /**
     * The UDS in a settings.xml server's password. The password is decrypted here, on the calling
     * thread: {@link UdsSource#open()} runs on worker threads, and SettingsDecrypter promises no
     * thread safety. An error is kept and raised by {@code open()}, where it is attributed to the device.
     */
    UdsSource settingsServer(String serverId) {
        String decrypted;
        DpsException failure;
        try {
            decrypted = serverPassword(serverId);
            failure = null;
        } catch (DpsException e) {
            decrypted = null;
            failure = e;
        }
        String password = decrypted;
        DpsException error = failure;
        return new UdsSource() {
            @Override
            public Uds open() {
                if (error != null) {
                    throw new DpsException(error.field(), detail(error), error.getCause());
                }
                try {
                    return Uds.fromHex(password);
                } catch (DpsException e) {
                    if (!"uds".equals(e.field())) {
                        throw e;
                    }
                    throw new DpsException("uds", "the password of settings.xml server '" + serverId
                            + "' is not a valid UDS: " + detail(e));
                }
            }

            @Override
            public String toString() {
                return "settings.xml server '" + serverId + "'";
            }
        };
    }

    UdsSource environmentVariable(String name) {
        return new UdsSource() {
            @Override
            public Uds open() {
                String value = environmentValue(name, "udsEnv");
                try {
                    return Uds.fromHex(value);
                } catch (DpsException e) {
                    throw new DpsException("uds", "environment variable " + name + " does not hold a valid UDS: "
                            + detail(e));
                }
            }

            @Override
            public String toString() {
                return "environment variable " + name;
            }
        };
    }

    /** The value of environment variable {@code name}; {@code field} is named when it is unset or empty. */
    String environmentValue(String name, String field) {
        String value = environment.apply(name);
        if (value == null) {
            throw new DpsException(field, "environment variable " + name + " is not set");
        }
        if (value.isEmpty()) {
            throw new DpsException(field, "environment variable " + name + " is empty");
        }
        return value;
    }

    private String serverPassword(String serverId) {
        return serverPassword(serverId, "udsServerId");
    }

    /** The (decrypted) password of a settings.xml server; errors name {@code field}. */
    String serverPassword(String serverId, String field) {
        Server server = settings == null ? null : settings.getServer(serverId);
        if (server == null) {
            throw new DpsException(field, "settings.xml has no <server> with id '" + serverId + "'; add one"
                    + " whose <password> is " + secretOf(field) + " (see the plugin's README); " + settingsRead());
        }
        String raw = server.getPassword();
        if (raw == null || raw.isEmpty()) {
            throw new DpsException(field, "settings.xml server '" + serverId + "' has no <password>;"
                    + " its password must be " + (field.equals("dpsServerId") ? secretOf(field)
                            : "the device's UDS (64 hex characters, plain or encrypted)"));
        }
        Matcher unresolved = UNRESOLVED.matcher(raw);
        if (unresolved.find()) {
            String expr = unresolved.group(1);
            String hint = expr.startsWith("env.") ? "; is the environment variable " + expr.substring(4) + " set?" : "";
            throw new DpsException(field, "the <password> of settings.xml server '" + serverId
                    + "' refers to ${" + expr + "}, which is not set" + hint);
        }
        return decrypted(server, raw, serverId, field);
    }

    /**
     * The password in clear. Only a password in Maven's encrypted form ({@code {…}}) goes through the
     * SettingsDecrypter: Maven 3 hands it over as written in settings.xml; Maven 4 has already
     * decrypted it while reading settings.xml (warning itself about legacy {@code {…}} passwords,
     * which {@code mvnenc} re-encrypts) and deprecates the decrypter, so there a plain value is
     * used as it is. A UDS (hex) never contains braces.
     */
    private String decrypted(Server server, String raw, String serverId, String field) {
        int open = raw.indexOf('{');
        if (open < 0 || raw.indexOf('}', open) < 0) {
            return raw;
        }
        SettingsDecryptionResult result = decrypter.decrypt(new DefaultSettingsDecryptionRequest(server));
        for (SettingsProblem problem : result.getProblems()) {
            if (problem.getSeverity() == SettingsProblem.Severity.ERROR
                    || problem.getSeverity() == SettingsProblem.Severity.FATAL) {
                // the problem text comes from the decrypter; keep it only if it cannot carry the secret
                String why = problem.getMessage() == null || problem.getMessage().contains(raw)
                        ? "decryption failed" : problem.getMessage();
                throw new DpsException(field, "cannot decrypt the <password> of settings.xml server '"
                        + serverId + "' (" + why + "); check settings-security.xml and its master password");
            }
        }
        Server decrypted = result.getServer();
        String password = decrypted == null ? null : decrypted.getPassword();
        if (password == null || password.isEmpty()) {
            throw new DpsException(field, "settings.xml server '" + serverId + "' has an empty password");
        }
        if (password.equals(raw) && raw.startsWith("{") && raw.endsWith("}")) {
            throw new DpsException(field, "the <password> of settings.xml server '" + serverId
                    + "' looks encrypted but was not decrypted; check settings-security.xml");
        }
        return password;
    }

    /** What the server's password holds, by the parameter that names the server. */
    private static String secretOf(String field) {
        return field.equals("dpsServerId") ? "the DPS service connection string" : "the device's UDS";
    }

    /** Which settings.xml files the build read, for a missing server. */
    private String settingsRead() {
        if (settingsFiles.isEmpty()) {
            return "no settings.xml file was read (neither ~/.m2/settings.xml nor the global one exists, and -s was not"
                    + " given)";
        }
        StringBuilder sb = new StringBuilder("settings read: ");
        for (int i = 0; i < settingsFiles.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(settingsFiles.get(i));
        }
        return sb.toString();
    }

    static String detail(DpsException e) {
        String m = e.getMessage();
        String prefix = e.field() + ": ";
        return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
    }
}
