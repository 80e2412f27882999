package io.github.dpsplugin.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.common.DpsException;
import java.util.List;
import java.util.Map;
import org.apache.maven.settings.Settings;
import org.junit.jupiter.api.Test;

/** The one rule for udsServerId and udsEnv, for every goal and every device. */
class UdsReferenceTest {

    @Test
    void bothAreRefusedNamingTheDevice() {
        DpsException e = assertThrows(DpsException.class, () -> UdsReference.of("dps-p01", "UDS", "#2 of <devices>"));
        assertEquals("udsServerId", e.field());
        assertTrue(e.getMessage().contains("#2 of <devices>"), e.getMessage());
        assertTrue(e.getMessage().contains("give either udsServerId or udsEnv, not both"), e.getMessage());
    }

    @Test
    void blankIsNotGiven() {
        UdsReference none = UdsReference.of(" ", "", null);
        assertFalse(none.given());
        assertNull(none.source(new MavenUdsSources(new Settings(), null, name -> null, List.of())));
    }

    @Test
    void theSourceIsNamedNeverRead() {
        Map<String, String> environment = Map.of("UDS_P08", "not read until opened");
        MavenUdsSources sources = new MavenUdsSources(new Settings(), null, environment::get, List.of());
        assertEquals("settings.xml server 'dps-p01'", UdsReference.of(" dps-p01 ", null, null).toString());
        assertEquals("environment variable UDS_P08", UdsReference.of(null, "UDS_P08", null).source(sources).toString());
    }
}
