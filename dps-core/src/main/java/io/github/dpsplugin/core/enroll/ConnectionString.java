package io.github.dpsplugin.core.enroll;

import io.github.dpsplugin.core.common.DpsException;
import java.util.Arrays;
import java.util.Base64;

/**
 * A DPS service connection string ({@code HostName=…;SharedAccessKeyName=…;SharedAccessKey=…}).
 * The key is held decoded and never printed: {@link #toString()} and every error name the
 * connection string's {@link #source() source} (an environment variable or a settings.xml server),
 * never its value.
 */
public final class ConnectionString {

    private final String hostName;
    private final String keyName;
    private final byte[] key;
    private final String source;
    private final String field;

    private ConnectionString(String hostName, String keyName, byte[] key, String source, String field) {
        this.hostName = hostName;
        this.keyName = keyName;
        this.key = key;
        this.source = source;
        this.field = field;
    }

    /**
     * Parses {@code text}; {@code source} says where it came from (e.g. {@code environment variable
     * DPS_CONNECTION}) and {@code field} which parameter named it, both for errors.
     */
    public static ConnectionString parse(String text, String source, String field) {
        if (text == null || text.isBlank()) {
            throw new DpsException(field, source + " is empty; it must hold the DPS service connection string"
                    + " (HostName=...;SharedAccessKeyName=...;SharedAccessKey=...)");
        }
        String host = null;
        String name = null;
        String key = null;
        for (String part : text.trim().split(";")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new DpsException(field, source + " is not a DPS service connection string: a part has no"
                        + " name=value (expected HostName=...;SharedAccessKeyName=...;SharedAccessKey=...)");
            }
            String k = part.substring(0, eq).trim();
            String v = part.substring(eq + 1).trim();
            if (k.equalsIgnoreCase("HostName")) {
                host = v;
            } else if (k.equalsIgnoreCase("SharedAccessKeyName")) {
                name = v;
            } else if (k.equalsIgnoreCase("SharedAccessKey")) {
                key = v;
            }
            // other parts (e.g. a DeviceId) are not a service's; the value is not echoed either way
        }
        String missing = host == null || host.isEmpty() ? "HostName"
                : name == null || name.isEmpty() ? "SharedAccessKeyName"
                : key == null || key.isEmpty() ? "SharedAccessKey" : null;
        if (missing != null) {
            throw new DpsException(field, source + " has no " + missing + "; a DPS service connection string is"
                    + " HostName=...;SharedAccessKeyName=...;SharedAccessKey=... (Azure portal: the DPS's"
                    + " Shared access policies)");
        }
        if (!host.matches("[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
            throw new DpsException(field, source + ": HostName " + DpsException.quote(host)
                    + " is not a host name (with an optional :port)");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(key);
        } catch (IllegalArgumentException e) {
            throw new DpsException(field, source + ": SharedAccessKey is not base64 (the key is not shown)");
        }
        if (decoded.length == 0) {
            throw new DpsException(field, source + ": SharedAccessKey is empty");
        }
        return new ConnectionString(host, name, decoded, source, field);
    }

    /** The service's host name as given, with its port if one is given ({@code localhost:8443}). */
    public String hostName() {
        return hostName;
    }

    /** The shared access policy's name (not secret). */
    public String keyName() {
        return keyName;
    }

    /** Where the connection string came from, safe to print. */
    public String source() {
        return source;
    }

    /** The parameter that named the source, for errors ({@code dpsConnectionStringEnv}, {@code dpsServerId}). */
    public String field() {
        return field;
    }

    /** An {@code Authorization} header value valid until {@code expiryEpochSeconds}. */
    String sasToken(long expiryEpochSeconds) {
        return SasToken.create(hostName, keyName, key, expiryEpochSeconds);
    }

    /** Overwrites the key; the connection string cannot sign after this. */
    public void clear() {
        Arrays.fill(key, (byte) 0);
    }

    @Override
    public String toString() {
        return "ConnectionString[HostName=" + hostName + ";SharedAccessKeyName=" + keyName
                + ";SharedAccessKey=<redacted>] from " + source;
    }
}
