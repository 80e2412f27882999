package io.github.dpsplugin.core.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dpsplugin.core.Vectors;
import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.id.RegistrationId;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A batch run reading the firmware from its ELF: the vectors' certificates, and the manifest names the ELF. */
class BatchElfTest {

    @TempDir
    Path tmp;

    private static DeviceSpec device(String caseId) {
        Vectors.Case c = Vectors.cases().stream().filter(x -> x.id().equals(caseId)).findFirst().orElseThrow();
        String uds = c.text("uds");
        return DeviceSpec.of(RegistrationId.of(c.text("registrationId")), () -> Uds.fromHex(uds));
    }

    @Test
    void elfRunWritesTheVectorCertificatesAndNamesTheElf() throws Exception {
        Path out = tmp.resolve("dps");
        BatchRequest request = BatchRequest.builder()
                // the .bin and .map are not read: the ELF wins
                .firmware(FirmwareFiles.of(tmp.resolve("ignored.bin"), tmp.resolve("ignored.map"),
                        Vectors.file("firmware/fw-b.ino.elf")))
                .device(device("P06"))
                .outputDirectory(out)
                .build();
        BatchGenerator.run(request, BatchListener.NONE);
        assertArrayEquals(Files.readAllBytes(Vectors.file("P06/devkit-test-01.pem")),
                Files.readAllBytes(out.resolve("devkit-test-01.pem")));
        JsonNode manifest = new ObjectMapper().readTree(out.resolve("dps-manifest.json").toFile());
        JsonNode fw = manifest.get("firmware");
        assertEquals("fw-b.ino.elf", fw.get("elf").asText());
        assertFalse(fw.has("bin") || fw.has("map"), fw.toString());
        assertEquals(Vectors.cases().get(5).text("fwid"), fw.get("fwid").asText());
        assertEquals("elf", fw.fieldNames().next());
    }

    @Test
    void binAndMapRunStillNamesBinAndMap() throws Exception {
        Path out = tmp.resolve("dps");
        BatchGenerator.run(BatchRequest.builder()
                .firmware(FirmwareFiles.of(Vectors.file("firmware/fw-a.ino.bin"), Vectors.file("firmware/fw-a.ino.map"), null))
                .device(device("P01")).outputDirectory(out).build(), BatchListener.NONE);
        JsonNode fw = new ObjectMapper().readTree(out.resolve("dps-manifest.json").toFile()).get("firmware");
        assertEquals("fw-a.ino.bin", fw.get("bin").asText());
        assertEquals("fw-a.ino.map", fw.get("map").asText());
        assertFalse(fw.has("elf"));
    }

    @Test
    void badElfWritesNothing() throws Exception {
        Path out = tmp.resolve("dps");
        Path notElf = Files.writeString(tmp.resolve("app.elf"), "not an elf");
        DpsException e = assertThrows(DpsException.class, () -> BatchGenerator.run(BatchRequest.builder()
                .firmware(FirmwareFiles.of(null, null, notElf)).device(device("P01")).outputDirectory(out).build(), BatchListener.NONE));
        assertEquals("firmwareElf", e.field());
        assertTrue(!Files.exists(out) || Files.list(out).findAny().isEmpty());
    }
}
