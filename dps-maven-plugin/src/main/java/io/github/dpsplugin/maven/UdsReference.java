package io.github.dpsplugin.maven;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.UdsSource;

/**
 * Where one device's UDS comes from as the parameters name it: a settings.xml server
 * ({@code udsServerId}), an environment variable ({@code udsEnv}), or neither. Names only: the
 * value is read when the source is opened.
 */
record UdsReference(String serverId, String env) {

    /**
     * The rule of every goal: one of {@code udsServerId} and {@code udsEnv}, not both; blank is not
     * given. {@code device} labels the device in the error ({@code null}: no device).
     */
    static UdsReference of(String serverId, String env, String device) {
        boolean hasServer = serverId != null && !serverId.isBlank();
        boolean hasEnv = env != null && !env.isBlank();
        if (hasServer && hasEnv) {
            DpsException e = new DpsException("udsServerId", "give either udsServerId or udsEnv, not both");
            throw device == null ? e : e.forDevice(device);
        }
        return new UdsReference(hasServer ? serverId.strip() : null, hasEnv ? env.strip() : null);
    }

    /** Whether a source is named. */
    boolean given() {
        return serverId != null || env != null;
    }

    /** The named source, or {@code null} when none is named. */
    UdsSource source(MavenUdsSources sources) {
        if (serverId != null) {
            return sources.settingsServer(serverId);
        }
        return env != null ? sources.environmentVariable(env) : null;
    }

    /** How messages name the source, e.g. {@code settings.xml server 'dps-p01'}. */
    @Override
    public String toString() {
        return serverId != null ? "settings.xml server '" + serverId + "'"
                : env != null ? "environment variable " + env : "no UDS source";
    }
}
