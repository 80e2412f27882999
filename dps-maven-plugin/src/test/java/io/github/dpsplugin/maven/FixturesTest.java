package io.github.dpsplugin.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** The test data is what the tests assume. */
class FixturesTest {

    @Test
    void vectorCasesAreReadFromCasesJson() {
        assertEquals(Fixtures.P01_UDS_CONSTANT, Fixtures.P01.uds);
        assertEquals("devkit-test-01", Fixtures.P01.registrationId);
        assertEquals("fw-a", Fixtures.P01.firmware);
        assertEquals("fw-a", Fixtures.P08.firmware);
        assertEquals("fw-a", Fixtures.P11.firmware);
        assertEquals(Fixtures.P08.uds, Fixtures.P11.uds);
        assertEquals("a0b1c2d3e4f5", Fixtures.P08.mac);
        assertEquals("1.3.7", Fixtures.P08.firmwareVersion);
        assertEquals("10.0.12", Fixtures.P11.firmwareVersion);
        assertTrue(Files.isRegularFile(Fixtures.FW_A_BIN));
        assertTrue(Files.isRegularFile(Fixtures.FW_A_MAP));
        assertTrue(Files.isRegularFile(Fixtures.P01.aliasCertFile));
    }

    @Test
    void theRefusedInlineUdsIsThePublicP01TestValue() throws Exception {
        String pom = new String(FixturesTest.class.getResourceAsStream("/unit/refuse-inline-uds/pom.xml")
                .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(pom.contains("<uds>" + Fixtures.P01.uds + "</uds>"));
    }
}
