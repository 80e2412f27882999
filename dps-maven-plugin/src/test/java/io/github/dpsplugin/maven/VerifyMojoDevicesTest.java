package io.github.dpsplugin.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.fleet.BatchGenerator;
import io.github.dpsplugin.core.fleet.BatchListener;
import io.github.dpsplugin.core.fleet.BatchRequest;
import io.github.dpsplugin.core.fleet.DeviceSpec;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.maven.Fixtures.CapturingLog;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.maven.api.plugin.testing.InjectMojo;
import org.apache.maven.api.plugin.testing.MojoExtension;
import org.apache.maven.api.plugin.testing.MojoTest;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

/**
 * verify given the devices as generate is given them ({@code devicesFile}, {@code shard},
 * {@code registrationId}): a listed device without a certificate fails the build, named with where
 * it was listed; a certificate of a device not listed is counted, not failed.
 */
@MojoTest
class VerifyMojoDevicesTest extends MojoTestBase {

    private static final String FW_A_ELF = "../dps-core/src/test/resources/vectors/firmware/fw-a.ino.elf";

    /** generate's output for devices c0 (P01's UDS), c1, c2. */
    private File manifest() {
        Path dir = tmp.resolve("fleet");
        BatchRequest.Builder b = BatchRequest.builder()
                .firmware(FirmwareFiles.of(Fixtures.FW_A_BIN, Fixtures.FW_A_MAP, null)).threads(1).outputDirectory(dir);
        for (int i = 0; i < 3; i++) {
            String uds = i == 0 ? Fixtures.P01.uds : String.format("%064x", i + 1);
            b.device(DeviceSpec.of(RegistrationId.of("c" + i), () -> Uds.fromHex(uds)));
        }
        BatchGenerator.run(b.build(), BatchListener.NONE);
        return dir.resolve("dps-manifest.json").toFile();
    }

    private VerifyMojo configure(VerifyMojo mojo, String... devices) throws Exception {
        MojoExtension.setVariableValueToObject(mojo, "manifest", manifest());
        MojoExtension.setVariableValueToObject(mojo, "reportDirectory", tmp.resolve("report").toFile());
        if (devices.length > 0) {
            Path file = Files.writeString(tmp.resolve("devices.csv"), "registrationId\n" + String.join("\n", devices)
                    + "\n");
            MojoExtension.setVariableValueToObject(mojo, "devicesFile", file.toFile());
        }
        return mojo;
    }

    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.firmwareElf", value = FW_A_ELF)
    @UserProperty(name = "dps.acknowledgeDevkitNonce", value = "true")
    void aDeviceOfTheDevicesFileWithoutACertificateFailsTheBuild(VerifyMojo mojo) throws Exception {
        CapturingLog log = captureLog(mojo);
        configure(mojo, "c0", "c1", "c2", "c3");
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("1 listed device: missing (no certificate among those verified carries"
                + " its registration ID):\n  devices.csv:5 (c3)\nReport: "), e.getMessage());
        assertTrue(log.at("INFO").contains("devices.csv:5 (c3): missing [NO_CERTIFICATE]"), log.all());
        assertTrue(log.all().contains("DPS verify: 3 certificates: 3 consistent; 1 listed device missing;"), log.all());
        String json = Files.readString(tmp.resolve("report").resolve("dps-verify.json"));
        assertTrue(json.contains("\"listed\": \"devices.csv:5\"") && json.contains("\"missing\": 1"), json);
    }

    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.firmwareElf", value = FW_A_ELF)
    @UserProperty(name = "dps.acknowledgeDevkitNonce", value = "true")
    @UserProperty(name = "dps.shard", value = "1/2")
    void aShardIsCoveredAndTheOtherShardsCertificatesAreCounted(VerifyMojo mojo) throws Exception {
        CapturingLog log = captureLog(mojo);
        configure(mojo, "c0", "c1", "c2", "c3").execute();
        // shard 1/2 of c0..c3 is c0 and c2: both have a certificate; c1's is of the other shard
        assertTrue(log.all().contains("; 1 of 3 certificates is of a device not listed (not a failure); report: "),
                log.all());
        assertTrue(log.at("INFO").contains("c1.pem (c1): consistent; not checked: recompute (no UDS given: a changed"
                + " riot_core or UDS (a different DeviceID key) cannot be detected without it)"), log.all());
        assertTrue(Files.readString(tmp.resolve("report").resolve("dps-verify.txt"))
                .contains("\ndevices: devices.csv, shard 1/2 (each must have a certificate)\n"));
    }

    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.firmwareElf", value = FW_A_ELF)
    @UserProperty(name = "dps.acknowledgeDevkitNonce", value = "true")
    @UserProperty(name = "dps.registrationId", value = "c9")
    void aSingleDeviceMustBeInTheManifest(VerifyMojo mojo) throws Exception {
        configure(mojo);
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("\n  given by dps.registrationId/dps.macAddress (c9)"), e.getMessage());
    }

    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.firmwareElf", value = FW_A_ELF)
    @UserProperty(name = "dps.shard", value = "1/2")
    void aShardWithoutDevicesIsRefused(VerifyMojo mojo) throws Exception {
        configure(mojo);
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("shard: is given without devices; it takes a part of the listed devices: give devices or"
                + " devicesFile", e.getMessage());
        assertFalse(Files.exists(tmp.resolve("report")), "nothing verified, no report");
    }

    /** A POM device's own udsServerId is its UDS for verify as for generate: its certificate is recomputed. */
    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.firmwareElf", value = FW_A_ELF)
    @UserProperty(name = "dps.acknowledgeDevkitNonce", value = "true")
    void aPomDevicesOwnUdsRecomputesItsCertificate(VerifyMojo mojo) throws Exception {
        CapturingLog log = captureLog(mojo);
        Device c0 = new Device();
        c0.setRegistrationId("c0");
        c0.setUdsServerId(Fixtures.SERVER_P01);
        Device c1 = new Device();
        c1.setRegistrationId("c1");
        MojoExtension.setVariableValueToObject(mojo, "devices", java.util.List.of(c0, c1));
        configure(mojo).execute();
        assertTrue(log.at("INFO").contains("c0.pem (c0): recomputed"), log.all());
        assertTrue(log.at("INFO").contains("c1.pem (c1): consistent; not checked: recompute (no UDS for 'c1' in"
                + " 1 listed device's own udsServerId/udsEnv: a changed riot_core or UDS (a different DeviceID key) cannot be detected without it)"),
                log.all());
        assertTrue(Files.readString(tmp.resolve("report").resolve("dps-verify.txt"))
                .contains("\nUDS: from 1 listed device's own udsServerId/udsEnv\n"));
        Fixtures.assertNoSecret("the log", log.all());
    }

    @Test
    @InjectMojo(goal = "verify")
    @UserProperty(name = "dps.firmwareElf", value = FW_A_ELF)
    @UserProperty(name = "dps.firmwareVersion", value = "2.0.0")
    void aBadDeviceIsNamedAsGenerateNamesIt(VerifyMojo mojo) throws Exception {
        configure(mojo);
        Path file = Files.writeString(tmp.resolve("devices.csv"), "macAddress\nc8:93:46:4a:1b\n");
        MojoExtension.setVariableValueToObject(mojo, "devicesFile", file.toFile());
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().contains("devices.csv:2") && e.getMessage().contains("macAddress"), e.getMessage());
        assertFalse(Files.exists(tmp.resolve("report")), "nothing verified, no report");
    }
}
