package io.github.dpsplugin.core.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dpsplugin.core.DeviceCertificateGenerator;
import io.github.dpsplugin.core.DeviceCertificates;
import io.github.dpsplugin.core.TestCertificates;
import io.github.dpsplugin.core.Vectors;
import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.FirmwareMeasurement;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.firmware.FirmwareImage;
import io.github.dpsplugin.core.id.FirmwareVersion;
import io.github.dpsplugin.core.id.MacAddress;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.output.ManifestWriter;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ManifestWriter's output read back by ManifestReader, its layout, and damaged manifests. */
class ManifestReaderTest {

    /** A firmware file name that JSON must escape: quote, backslash, tab, a control character, non-ASCII. */
    static final String ODD_BIN = "fw \"a\"\\b\tc\u0001 \u00e9\u2603\ud83d\ude00.bin";
    static final String ODD_ALIAS = "dev \"1\"\t\u00e9\ud83d\ude00.pem";

    static FirmwareMeasurement measurement;
    static DeviceCertificates template;

    @TempDir
    Path tmp;

    @BeforeAll
    static void firmware() {
        Path bin = Vectors.file("firmware/fw-a.ino.bin");
        Path map = Vectors.file("firmware/fw-a.ino.map");
        measurement = FirmwareMeasurement.of(FirmwareImage.read(bin, map));
        template = DeviceCertificateGenerator.forMeasurement(measurement, NoncePolicy.DEVKIT)
                .generate(RegistrationId.of("template"), Uds.fromHex("00".repeat(32)));
    }

    static Map<String, String> files(String bin, String map) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("bin", bin);
        f.put("map", map);
        return f;
    }

    private static final RegistrationId DERIVED = RegistrationId.derive(MacAddress.parse("a0:b1:c2:d3:e4:f5"),
            FirmwareVersion.parse("1.3.7"));

    private static byte[] manifest(String shard, String... aliasFiles) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ManifestWriter w = new ManifestWriter(bytes, files(ODD_BIN, "fw-a.ino.map"), measurement, "devkit",
                shard)) {
            for (int i = 0; i < aliasFiles.length; i++) {
                RegistrationId id = i == 1 ? DERIVED : RegistrationId.of("dev-" + i);
                w.device(TestCertificates.relabel(template, id), aliasFiles[i], id.value() + "-deviceid.pem");
            }
        }
        return bytes.toByteArray();
    }

    private List<ManifestReader.Entry> read(byte[] manifest) throws Exception {
        Path file = Files.write(tmp.resolve("dps-manifest.json"), manifest);
        List<ManifestReader.Entry> entries = new ArrayList<>();
        assertEquals(ManifestReader.read(file, entries::add), entries.size());
        return entries;
    }

    @Test
    void roundTrip() throws Exception {
        String[] aliases = {ODD_ALIAS, DERIVED.value() + ".pem", "dev-2.pem"};
        byte[] bytes = manifest("2/3", aliases);
        List<ManifestReader.Entry> entries = read(bytes);
        assertEquals(List.of(aliases), entries.stream().map(e -> e.file).toList());
        assertEquals(List.of("dev-0", DERIVED.value(), "dev-2"),
                entries.stream().map(e -> e.registrationId.value()).toList());

        // every field, as any JSON reader sees it
        JsonNode root = new ObjectMapper().readTree(bytes);
        assertEquals(List.of("format", "noncePolicy", "shard", "firmware", "devices"), names(root));
        assertEquals(1, root.get("format").intValue());
        assertEquals("2/3", root.get("shard").textValue());
        JsonNode fw = root.get("firmware");
        assertEquals(List.of("bin", "map", "riotCoreDigest", "fwid"), names(fw));
        assertEquals(ODD_BIN, fw.get("bin").textValue());
        assertEquals(HexFormat.of().formatHex(measurement.riotCoreDigest()), fw.get("riotCoreDigest").textValue());
        assertEquals(measurement.fwidHex(), fw.get("fwid").textValue());
        JsonNode plain = root.get("devices").get(0);
        assertEquals(List.of("registrationId", "aliasCertificate", "deviceIdCertificate", "aliasThumbprintSha1",
                "aliasThumbprintSha256", "deviceIdThumbprintSha1", "deviceIdThumbprintSha256", "deviceIdPublicKey",
                "aliasPublicKey", "fwid", "notBefore", "notAfter", "noncePolicy"), names(plain));
        assertEquals(ODD_ALIAS, plain.get("aliasCertificate").textValue());
        assertEquals(template.aliasSha256Thumbprint(), plain.get("aliasThumbprintSha256").textValue());
        assertEquals("2037-01-01T00:00:00Z", plain.get("notAfter").textValue());
        assertEquals("devkit", plain.get("noncePolicy").textValue());
        JsonNode derived = root.get("devices").get(1);
        assertEquals("a0:b1:c2:d3:e4:f5", derived.get("macAddress").textValue());
        assertEquals("1.3.7", derived.get("firmwareVersion").textValue());
        assertEquals(List.of("registrationId", "macAddress", "firmwareVersion", "aliasCertificate"),
                names(derived).subList(0, 4));
    }

    private static List<String> names(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void layoutIsFixedUtf8WithLfAndAFinalNewline() throws Exception {
        byte[] bytes = manifest(null, ODD_ALIAS, "b.pem");
        assertArrayEquals(bytes, manifest(null, ODD_ALIAS, "b.pem"), "deterministic");
        String text = new String(bytes, StandardCharsets.UTF_8);
        assertFalse(text.contains("\r"), "LF only, whatever the OS");
        assertTrue(text.endsWith("\n  ]\n}\n"), text);
        assertTrue(text.contains("\"bin\": \"fw \\\"a\\\"\\\\b\\tc\\u0001 \u00e9\u2603\ud83d\ude00.bin\""),
                "escaped as JSON needs, the rest as UTF-8: " + text);
        assertTrue(text.contains("  \"devices\": [\n    {\n      \"registrationId\": \"dev-0\",\n"
                + "      \"aliasCertificate\": \"dev \\\"1\\\"\\t\u00e9\ud83d\ude00.pem\",\n"), text);
        assertTrue(text.contains("\n      \"noncePolicy\": \"devkit\"\n    },\n    {\n      \"registrationId\": \""
                + DERIVED.value() + "\",\n"), text);

        ByteArrayOutputStream empty = new ByteArrayOutputStream();
        new ManifestWriter(empty, "a.bin", "a.map", measurement, "rfc6979", null).close();
        assertEquals("{\n"
                + "  \"format\": 1,\n"
                + "  \"noncePolicy\": \"rfc6979\",\n"
                + "  \"firmware\": {\n"
                + "    \"bin\": \"a.bin\",\n"
                + "    \"map\": \"a.map\",\n"
                + "    \"riotCoreDigest\": \"" + HexFormat.of().formatHex(measurement.riotCoreDigest()) + "\",\n"
                + "    \"fwid\": \"" + measurement.fwidHex() + "\"\n"
                + "  },\n"
                + "  \"devices\": []\n"
                + "}\n", empty.toString(StandardCharsets.UTF_8));
    }

    @Test
    void closingClosesTheStream() {
        boolean[] closed = {false};
        OutputStream stream = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        new ManifestWriter(stream, "a.bin", "a.map", measurement, "devkit", null).close();
        assertTrue(closed[0]);
    }

    @Test
    void everyTruncationIsAnErrorNamingTheFileAndPlace() throws Exception {
        byte[] whole = manifest(null, "a.pem", "b.pem", "c.pem");
        Path file = tmp.resolve("dps-manifest.json");
        for (int n = 0; n < whole.length - 1; n += 7) {
            Files.write(file, Arrays.copyOf(whole, n));
            DpsException e = assertThrows(DpsException.class, () -> ManifestReader.read(file, x -> { }),
                    "cut at " + n);
            assertEquals("manifest", e.field());
            assertTrue(e.getMessage().contains(file + " is not valid JSON (line "), e.getMessage());
        }
    }

    @Test
    void editedManifestsAreReadOrRefusedWithDpsExceptionOnly() throws Exception {
        byte[] whole = manifest(null, "a.pem", "b.pem", "c.pem");
        Path file = tmp.resolve("dps-manifest.json");
        byte[] specials = "{}[]\",:\\ 0-e.tnu\u00e9\uffff".getBytes(StandardCharsets.UTF_8);
        SplittableRandom random = new SplittableRandom(6979);
        int refused = 0;
        for (int n = 0; n < 2000; n++) {
            byte[] edited = whole.clone();
            for (int k = 1 + random.nextInt(3); k > 0; k--) {
                edited[random.nextInt(edited.length)] = random.nextBoolean() ? (byte) random.nextInt(256)
                        : specials[random.nextInt(specials.length)];
            }
            Files.write(file, edited);
            try {
                ManifestReader.read(file, x -> { });
            } catch (DpsException e) {
                assertEquals("manifest", e.field());
                assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
                refused++;
            }
        }
        assertTrue(refused > 0);
    }

    @Test
    void notJson() throws Exception {
        Path pem = Vectors.file("P01/devkit-test-01.pem");
        DpsException e = assertThrows(DpsException.class, () -> ManifestReader.read(pem, x -> { }));
        assertEquals("manifest", e.field());
        assertTrue(e.getMessage().contains(pem + " is not valid JSON (line 1, column "),
                e.getMessage());

        Path bin = Vectors.file("firmware/fw-a.ino.bin");
        e = assertThrows(DpsException.class, () -> ManifestReader.read(bin, x -> { }));
        assertEquals("manifest", e.field());
        assertTrue(e.getMessage().contains(bin + " is not "), e.getMessage());

        Path utf16 = Files.write(tmp.resolve("utf16.json"), "{\"devices\": []}".getBytes(StandardCharsets.UTF_16));
        e = assertThrows(DpsException.class, () -> ManifestReader.read(utf16, x -> { }));
        assertTrue(e.getMessage().contains(utf16 + " is not "), e.getMessage());

        assertTrue(assertThrows(DpsException.class, () -> ManifestReader.read(tmp, x -> { })).getMessage()
                .contains("is a directory"));
        assertTrue(assertThrows(DpsException.class, () -> ManifestReader.read(tmp.resolve("none.json"), x -> { }))
                .getMessage().contains("does not exist"));
    }

    @Test
    void unknownMembersAreSkippedAndAnErrorStopsTheStream() throws Exception {
        String text = "{\"comment\": {\"a\": [1, {\"b\": null}]}, \"format\": 1.0, \"devices\": ["
                + "{\"extra\": [[]], \"registrationId\": \"a\", \"aliasCertificate\": \"a.pem\"},"
                + "{\"registrationId\": \"b\", \"aliasCertificate\": \"b.pem\", \"registrationId\": \"c\"}]}";
        Path file = Files.writeString(tmp.resolve("dps-manifest.json"), text);
        List<String> seen = new ArrayList<>();
        DpsException e = assertThrows(DpsException.class, () -> ManifestReader.read(file, x -> seen.add(x.file)));
        assertEquals(List.of("a.pem"), seen, "devices are handed over as they are read");
        assertTrue(e.getMessage().contains("Duplicate field 'registrationId'"), e.getMessage());
    }
}
