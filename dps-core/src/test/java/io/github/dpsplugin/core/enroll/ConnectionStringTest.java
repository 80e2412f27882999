package io.github.dpsplugin.core.enroll;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.common.DpsException;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class ConnectionStringTest {

    private static final String KEY = Base64.getEncoder().encodeToString("a-very-secret-dps-key-123456".getBytes());

    @Test
    void parsesHostWithPortAndPolicy() {
        ConnectionString c = ConnectionString.parse("HostName=localhost:8443;SharedAccessKeyName=provisioningserviceowner;"
                + "SharedAccessKey=" + KEY, "environment variable DPS", "dpsConnectionStringEnv");
        assertEquals("localhost:8443", c.hostName());
        assertEquals("provisioningserviceowner", c.keyName());
        assertEquals("dpsConnectionStringEnv", c.field());
    }

    @Test
    void toStringNeverShowsTheKey() {
        ConnectionString c = ConnectionString.parse("HostName=x.azure-devices-provisioning.net;SharedAccessKeyName=p;"
                + "SharedAccessKey=" + KEY, "environment variable DPS", "dpsConnectionStringEnv");
        assertFalse(c.toString().contains(KEY), c.toString());
        assertTrue(c.toString().contains("<redacted>"));
        assertTrue(c.toString().contains("environment variable DPS"));
    }

    @Test
    void errorsNameTheSourceNeverTheValue() {
        String[] bad = {"", "HostName=h;SharedAccessKeyName=p", "SharedAccessKeyName=p;SharedAccessKey=" + KEY,
            "HostName=h;SharedAccessKeyName=p;SharedAccessKey=" + KEY + "!!", "HostName=h/x;SharedAccessKeyName=p;"
                    + "SharedAccessKey=" + KEY, "garbage-" + KEY};
        for (String text : bad) {
            DpsException e = assertThrows(DpsException.class,
                    () -> ConnectionString.parse(text, "settings.xml server 'dps'", "dpsServerId"), text);
            assertTrue(e.getMessage().contains("settings.xml server 'dps'"), e.getMessage());
            assertFalse(e.getMessage().contains(KEY), e.getMessage());
            assertEquals("dpsServerId", e.field());
        }
    }

    @Test
    void clearOverwritesTheKey() {
        ConnectionString c = ConnectionString.parse("HostName=h;SharedAccessKeyName=p;SharedAccessKey=" + KEY, "s", "f");
        String before = c.sasToken(2_000_000_000L);
        c.clear();
        assertFalse(before.equals(c.sasToken(2_000_000_000L)));
    }
}
