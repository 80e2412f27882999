package io.github.dpsplugin.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.x509.NoncePolicy;
import io.github.dpsplugin.maven.Fixtures.CapturingLog;
import java.io.File;
import java.util.List;
import java.util.Map;
import org.apache.maven.model.Build;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.Test;

/** The firmware rules generate and verify share: the ELF wins (with one warning form for both firmwares), the nonce. */
class FirmwareParametersTest {

    private final CapturingLog log = new CapturingLog();

    private static MavenProject project(File buildDirectory) {
        MavenProject project = new MavenProject();
        Build build = new Build();
        build.setDirectory(buildDirectory.getPath());
        build.setFinalName("app");
        project.setBuild(build);
        return project;
    }

    @Test
    void theElfWinsOverABinAndMapSetByHandNamingThem() {
        File target = new File("/work/target");
        Map<String, String> names = FirmwareParameters.current(new File("/fw/app.bin"), new File("/fw/app.map"),
                new File("/fw/app.elf"), project(target), log).names();
        assertEquals(Map.of("elf", "app.elf"), names);
        assertEquals(List.of("firmwareElf is given, so firmwareBin (/fw/app.bin) and firmwareMap (/fw/app.map) are not"
                + " used: the measured bytes come from /fw/app.elf"), log.at("WARN"));
    }

    @Test
    void theElfIsQuietAboutTheBinAndMapDefaults() {
        File target = new File("/work/target");
        FirmwareParameters.current(new File(target, "app.bin"), new File(target, "app.map"), new File("/fw/app.elf"),
                project(target), log);
        assertEquals(List.of(), log.at("WARN"));
    }

    @Test
    void thePreviousFirmwaresElfWinsUnderTheSameRule() {
        Map<String, String> names = FirmwareParameters.previous(new File("/old/app.bin"), null,
                new File("/old/app.elf"), null, log).names();
        assertEquals(Map.of("elf", "app.elf"), names);
        assertEquals(List.of("previousFirmwareElf is given, so previousFirmwareBin (/old/app.bin) is not used: the"
                + " previous firmware's measured bytes come from /old/app.elf"), log.at("WARN"));
    }

    @Test
    void noPreviousFirmwareWithoutItsFiles() {
        assertNull(FirmwareParameters.previous(null, null, null, "1.2.3", log));
    }

    @Test
    void aBinWithoutPomDefaultsIsNamed() {
        DpsException e = assertThrows(DpsException.class, () -> FirmwareParameters.current(
                new File("${project.basedir}/target/app.bin"), new File("/fw/app.map"), null, null, log));
        assertEquals("firmwareBin", e.field());
    }

    @Test
    void anyIsANoncePolicyOnlyWhereAllowed() {
        assertEquals(NoncePolicy.RFC6979, FirmwareParameters.noncePolicy(" RFC6979 ", false));
        assertNull(FirmwareParameters.noncePolicy("any", true));
        DpsException e = assertThrows(DpsException.class, () -> FirmwareParameters.noncePolicy("any", false));
        assertEquals("nonce: 'any' is not a nonce policy; expected devkit (what DevKit firmware computes) or rfc6979",
                e.getMessage());
    }
}
