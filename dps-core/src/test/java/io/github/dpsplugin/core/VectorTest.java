package io.github.dpsplugin.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.dpsplugin.core.dice.FirmwareMeasurement;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.firmware.FirmwareImage;
import io.github.dpsplugin.core.id.FirmwareVersion;
import io.github.dpsplugin.core.id.MacAddress;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.pem.Pem;
import io.github.dpsplugin.core.pem.PemText;
import io.github.dpsplugin.core.pem.PemLayout;
import io.github.dpsplugin.core.riot.RiotKeys;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every public vector, byte for byte: the whole computation against the reference implementation. */
class VectorTest {

    static Stream<Vectors.Case> cases() {
        return Vectors.cases().stream();
    }

    private static RegistrationId registrationId(Vectors.Case c) {
        if ("auto".equals(c.text("registrationIdSource"))) {
            RegistrationId derived = RegistrationId.derive(MacAddress.parse(c.text("mac")),
                    FirmwareVersion.parse(c.text("firmwareVersion")));
            assertEquals(c.text("registrationId"), derived.value(), "derived registration ID");
            return derived;
        }
        return RegistrationId.of(c.text("registrationId"));
    }

    private static String read(Path p) throws Exception {
        return Files.readString(p, StandardCharsets.US_ASCII);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void intermediateValues(Vectors.Case c) {
        FirmwareImage image = FirmwareImage.read(c.bin(), c.map());
        assertEquals(c.firmware.get("riotCoreSize").asInt(), image.riotCoreSize());
        assertEquals(c.firmware.get("riotFwSize").asInt(), image.riotFwSize());
        FirmwareMeasurement m = FirmwareMeasurement.of(image);
        assertEquals(c.text("riotCoreDigest"), HexFormat.of().formatHex(m.riotCoreDigest()), "riotCoreDigest");
        assertEquals(c.text("fwid"), m.fwidHex(), "fwid");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aliasCertificateIsByteIdentical(Vectors.Case c) throws Exception {
        DeviceCertificateGenerator generator = DeviceCertificateGenerator.forFirmware(c.bin(), c.map(), NoncePolicy.DEVKIT);
        DeviceCertificates certs;
        try (Uds uds = Uds.fromHex(c.text("uds"))) {
            certs = generator.generate(registrationId(c), uds);
        }
        Path expectedFile = c.path("aliasCertFile");
        String expectedPem = read(expectedFile);
        assertEquals(c.text("registrationId") + ".pem", expectedFile.getFileName().toString());
        assertArrayEquals(Pem.decode(Pem.CERTIFICATE, expectedPem), certs.aliasCertificateDer(), "alias DER");
        // the reference's one-line layout, byte for byte, and the file's recorded hash
        assertEquals(expectedPem, certs.aliasCertificatePem(PemLayout.ONE_LINE));
        assertEquals(c.text("aliasCertSha256"), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(certs.aliasCertificatePem(PemLayout.ONE_LINE).getBytes(StandardCharsets.US_ASCII))));
        // the RFC 7468 layout carries the same DER
        assertArrayEquals(certs.aliasCertificateDer(),
                Pem.decode(Pem.CERTIFICATE, certs.aliasCertificatePem(PemLayout.RFC7468)));
        assertEquals(c.text("fwid"), certs.fwidHex());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void deviceIdOutputsAreByteIdentical(Vectors.Case c) throws Exception {
        DeviceCertificateGenerator generator = DeviceCertificateGenerator.forFirmware(c.bin(), c.map(), NoncePolicy.DEVKIT);
        DeviceCertificates certs;
        try (Uds uds = Uds.fromHex(c.text("uds"))) {
            certs = generator.generate(registrationId(c), uds);
        }
        String certPem = read(c.path("deviceIdCertFile"));
        assertArrayEquals(Pem.decode(Pem.CERTIFICATE, certPem), certs.deviceIdCertificateDer(), "DeviceID cert DER");
        assertEquals(certPem, certs.deviceIdCertificatePem(PemLayout.ONE_LINE));
        String keyPem = read(c.path("deviceIdPublicKeyFile"));
        assertArrayEquals(Pem.decode(Pem.PUBLIC_KEY, keyPem), certs.deviceIdPublicKeyDer(), "DeviceID key DER");
        assertEquals(keyPem, certs.deviceIdPublicKeyPem(PemLayout.ONE_LINE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aliasKeyIsByteIdentical(Vectors.Case c) throws Exception {
        FirmwareMeasurement m = FirmwareMeasurement.of(FirmwareImage.read(c.bin(), c.map()));
        RiotKeys keys;
        try (Uds uds = Uds.fromHex(c.text("uds"))) {
            keys = RiotKeys.derive(uds, m);
        }
        String keyPem = read(c.path("aliasKeyFile"));
        assertArrayEquals(Pem.decode(PemText.EC_PRIVATE_KEY, keyPem), PemText.ecPrivateKeyDer(keys.alias()), "alias key DER");
        assertEquals(keyPem, Pem.encode(PemText.EC_PRIVATE_KEY, PemText.ecPrivateKeyDer(keys.alias()), PemLayout.ONE_LINE));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void jdkParsesAndVerifiesTheChain(Vectors.Case c) throws Exception {
        DeviceCertificateGenerator generator = DeviceCertificateGenerator.forFirmware(c.bin(), c.map(), NoncePolicy.DEVKIT);
        DeviceCertificates certs;
        try (Uds uds = Uds.fromHex(c.text("uds"))) {
            certs = generator.generate(registrationId(c), uds);
        }
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        X509Certificate alias = (X509Certificate) cf.generateCertificate(
                new ByteArrayInputStream(certs.aliasCertificateDer()));
        X509Certificate deviceId = (X509Certificate) cf.generateCertificate(
                new ByteArrayInputStream(certs.deviceIdCertificateDer()));
        alias.verify(deviceId.getPublicKey());
        deviceId.verify(deviceId.getPublicKey());
        assertArrayEquals(certs.deviceIdPublicKeyDer(), deviceId.getPublicKey().getEncoded());
        assertEquals(2, deviceId.getBasicConstraints());
        // RFC 2253 prints RDNs last first: the DER order is CN, C, O
        assertEquals("O=DEVKIT_TEST,C=US,CN=" + c.text("registrationId"),
                alias.getSubjectX500Principal().getName());
    }
}
