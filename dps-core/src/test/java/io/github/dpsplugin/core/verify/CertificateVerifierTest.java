package io.github.dpsplugin.core.verify;

import static io.github.dpsplugin.core.verify.Check.Outcome.FAIL;
import static io.github.dpsplugin.core.verify.Check.Outcome.PASS;
import static io.github.dpsplugin.core.verify.Check.Outcome.SKIP;
import static io.github.dpsplugin.core.verify.Check.Outcome.WARN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.DeviceCertificateGenerator;
import io.github.dpsplugin.core.Vectors;
import io.github.dpsplugin.core.dice.FirmwareMeasurement;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.firmware.FirmwareImage;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.pem.Pem;
import io.github.dpsplugin.core.riot.EcKeyPair;
import io.github.dpsplugin.core.riot.RiotKeys;
import io.github.dpsplugin.core.x509.DiceCertificates;
import io.github.dpsplugin.core.x509.EcdsaSigner;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.math.BigInteger;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x509.Certificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Verification cases on the reference vectors: P01's certificate (fw-a, UDS 0123…ef,
 * devkit-test-01) checked against fw-a, fw-b (only riot_fw differs) and fw-c (only riot_core
 * differs), with and without the UDS; a renamed ID; the other nonce policy; tampering; foreign
 * layouts.
 */
class CertificateVerifierTest {

    private static final String P01_UDS = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    private static final RegistrationId P01_ID = RegistrationId.of("devkit-test-01");

    private static FirmwareMeasurement fwA;
    private static FirmwareMeasurement fwB;
    private static FirmwareMeasurement fwC;
    private static byte[] p01;

    @BeforeAll
    static void load() throws Exception {
        fwA = measure("fw-a");
        fwB = measure("fw-b");
        fwC = measure("fw-c");
        p01 = Pem.decode(Pem.CERTIFICATE, Files.readString(Vectors.file("P01/devkit-test-01.pem")));
    }

    private static FirmwareMeasurement measure(String fw) {
        return FirmwareMeasurement.of(FirmwareImage.read(Vectors.file("firmware/" + fw + ".ino.bin"),
                Vectors.file("firmware/" + fw + ".ino.map")));
    }

    private static CertificateReport verify(byte[] der, FirmwareMeasurement fw, NoncePolicy nonce, RegistrationId expected,
            boolean withUds) {
        CertificateVerifier v = CertificateVerifier.of(fw, nonce);
        if (!withUds) {
            return v.verify("cert.pem", der, expected, null);
        }
        try (Uds uds = Uds.fromHex(P01_UDS)) {
            return v.verify("cert.pem", der, expected, uds);
        }
    }

    private static void outcome(CertificateReport r, String check, Check.Outcome outcome, Cause cause) {
        Check c = r.check(check);
        assertEquals(outcome, c.outcome(), c.toString());
        assertEquals(cause, c.cause(), c.toString());
    }

    private static byte[] p01Rfc6979() {
        try (Uds uds = Uds.fromHex(P01_UDS)) {
            return DeviceCertificateGenerator.forMeasurement(fwA, NoncePolicy.RFC6979).generate(P01_ID, uds)
                    .aliasCertificateDer();
        }
    }

    // ---- P01 against its own firmware ----

    @Test
    void p01AgainstFwAWithoutUds() {
        CertificateReport r = verify(p01, fwA, NoncePolicy.DEVKIT, null, false);
        assertTrue(r.ok(), r.checks().toString());
        assertEquals("devkit-test-01", r.registrationId());
        for (String name : List.of("certificate", "layout", "registrationId", "fwid", "signature", "nonce")) {
            outcome(r, name, PASS, null);
        }
        assertTrue(r.check("fwid").detail().startsWith(Vectors.cases().get(0).text("fwid")), r.check("fwid").detail());
        outcome(r, "deviceIdKey", WARN, Cause.DEVICE_ID_KEY_RECOVERABLE);
        outcome(r, "recompute", SKIP, null);
        assertTrue(r.check("recompute").detail().contains("no UDS given"));
        assertEquals(Set.of(Cause.DEVICE_ID_KEY_RECOVERABLE), r.warnings());
        assertEquals(List.of("certificate", "layout", "registrationId", "fwid", "signature", "nonce", "deviceIdKey",
                "recompute"), r.checks().stream().map(Check::name).toList());
    }

    @Test
    void p01AgainstFwAWithUdsIsIdenticalByteForByte() {
        CertificateReport r = verify(p01, fwA, NoncePolicy.DEVKIT, P01_ID, true);
        assertTrue(r.ok(), r.checks().toString());
        outcome(r, "recompute", PASS, null);
        assertTrue(r.check("recompute").detail().contains("identical, byte for byte"));
        assertTrue(r.check("registrationId").detail().contains("as expected"));
    }

    @Test
    void everyVectorMatchesItsFirmware() throws Exception {
        for (Vectors.Case c : Vectors.cases()) {
            byte[] der = Pem.decode(Pem.CERTIFICATE, Files.readString(c.path("aliasCertFile")));
            FirmwareMeasurement fw = FirmwareMeasurement.of(FirmwareImage.read(c.bin(), c.map()));
            try (Uds uds = Uds.fromHex(c.text("uds"))) {
                CertificateReport r = CertificateVerifier.of(fw, NoncePolicy.DEVKIT)
                        .verify(c.id(), der, RegistrationId.of(c.text("registrationId")), uds);
                assertTrue(r.ok(), c + ": " + r.checks());
                outcome(r, "recompute", PASS, null);
            }
        }
    }

    // ---- what changed ----

    @Test
    void p01AgainstFwBIsRiotFwChanged() {
        for (boolean withUds : new boolean[] {false, true}) {
            CertificateReport r = verify(p01, fwB, NoncePolicy.DEVKIT, null, withUds);
            assertEquals(Set.of(Cause.RIOT_FW_CHANGED), r.causes(), "UDS " + withUds + ": " + r.checks());
            outcome(r, "fwid", FAIL, Cause.RIOT_FW_CHANGED);
            assertTrue(r.check("fwid").detail().contains(fwB.fwidHex()));
            outcome(r, "signature", PASS, null);
            if (withUds) {
                // fw-b has fw-a's riot_core: same DeviceID key, so the FWID is the only difference
                outcome(r, "recompute", FAIL, Cause.RIOT_FW_CHANGED);
                assertTrue(r.check("recompute").detail().contains("same DeviceID key"));
            }
        }
        assertEquals("riot_fw changed: a firmware rebuild or OTA changed the measured code; the enrollment must be"
                + " updated", Cause.RIOT_FW_CHANGED.explanation());
    }

    @Test
    void p01AgainstFwCIsRiotCoreOrUdsChanged() {
        CertificateReport r = verify(p01, fwC, NoncePolicy.DEVKIT, null, true);
        assertEquals(Set.of(Cause.RIOT_CORE_OR_UDS_CHANGED), r.causes(), r.checks().toString());
        outcome(r, "fwid", PASS, null); // fw-c has fw-a's riot_fw
        outcome(r, "recompute", FAIL, Cause.RIOT_CORE_OR_UDS_CHANGED);
        assertTrue(r.check("recompute").detail().contains("DeviceID key"));
    }

    @Test
    void p01AgainstFwCWithoutUdsCannotTell() {
        // the DeviceID key depends on riot_core and the UDS: without the UDS nothing shows the change
        CertificateReport r = verify(p01, fwC, NoncePolicy.DEVKIT, null, false);
        assertTrue(r.ok());
        outcome(r, "recompute", SKIP, null);
        assertTrue(r.check("recompute").detail().contains("riot_core"));
    }

    @Test
    void anotherDevicesUdsIsRiotCoreOrUdsChanged() {
        try (Uds other = Uds.fromHex("00".repeat(32))) {
            CertificateReport r = CertificateVerifier.of(fwA, NoncePolicy.DEVKIT).verify("p01", p01, null, other);
            assertEquals(Set.of(Cause.RIOT_CORE_OR_UDS_CHANGED), r.causes());
        }
    }

    @Test
    void renamedRegistrationId() {
        RegistrationId expected = RegistrationId.of("devkit-test-02");
        for (boolean withUds : new boolean[] {false, true}) {
            CertificateReport r = verify(p01, fwA, NoncePolicy.DEVKIT, expected, withUds);
            assertEquals(Set.of(Cause.REGISTRATION_ID_DIFFERS), r.causes(), r.checks().toString());
            assertTrue(r.check("registrationId").detail().contains("'devkit-test-01'")
                    && r.check("registrationId").detail().contains("'devkit-test-02'"));
            assertEquals("devkit-test-02", r.expectedRegistrationId());
            if (withUds) {
                // recomputed for the certificate's own CN: nothing else differs
                outcome(r, "recompute", PASS, null);
            }
        }
    }

    @Test
    void rfc6979CertificateUnderDevkitPolicy() {
        byte[] der = p01Rfc6979();
        CertificateReport without = verify(der, fwA, NoncePolicy.DEVKIT, null, false);
        assertEquals(Set.of(Cause.NONCE_POLICY_DIFFERS), without.causes(), without.checks().toString());
        outcome(without, "nonce", FAIL, Cause.NONCE_POLICY_DIFFERS);
        assertNull(without.check("deviceIdKey"));

        CertificateReport with = verify(der, fwA, NoncePolicy.DEVKIT, null, true);
        assertEquals(Set.of(Cause.NONCE_POLICY_DIFFERS), with.causes(), with.checks().toString());
        // confirmed by regenerating with the other policy
        outcome(with, "recompute", FAIL, Cause.NONCE_POLICY_DIFFERS);
        assertTrue(with.check("recompute").detail().contains("signed with the rfc6979 nonce"));
    }

    @Test
    void rfc6979CertificateUnderRfc6979PolicyOrEither() {
        byte[] der = p01Rfc6979();
        CertificateReport r = verify(der, fwA, NoncePolicy.RFC6979, null, true);
        assertTrue(r.ok(), r.checks().toString());
        assertTrue(r.warnings().isEmpty());
        CertificateReport any = verify(der, fwA, null, null, true);
        assertTrue(any.ok(), any.checks().toString());
        outcome(any, "recompute", PASS, null);
        assertTrue(any.check("recompute").detail().contains("rfc6979"));
    }

    @Test
    void devkitCertificateUnderRfc6979Policy() {
        CertificateReport r = verify(p01, fwA, NoncePolicy.RFC6979, null, true);
        assertEquals(Set.of(Cause.NONCE_POLICY_DIFFERS), r.causes(), r.checks().toString());
        outcome(r, "recompute", FAIL, Cause.NONCE_POLICY_DIFFERS);
        assertEquals(Set.of(Cause.DEVICE_ID_KEY_RECOVERABLE), r.warnings());
    }

    @Test
    void devkitNonceIsSeenInR() throws Exception {
        // r of every DEVKIT signature is x(k*G) mod n; the vectors' certificates carry it
        for (Vectors.Case c : Vectors.cases()) {
            Certificate cert = Certificate.getInstance(Pem.decode(Pem.CERTIFICATE,
                    Files.readString(c.path("aliasCertFile"))));
            BigInteger r = ASN1Integer.getInstance(ASN1Sequence.getInstance(cert.getSignature().getOctets())
                    .getObjectAt(0)).getValue();
            assertEquals(CertificateVerifier.DEVKIT_R, r, c.id());
        }
        assertFalse(CertificateVerifier.DEVKIT_R.equals(ASN1Integer.getInstance(ASN1Sequence.getInstance(
                Certificate.getInstance(p01Rfc6979()).getSignature().getOctets()).getObjectAt(0)).getValue()));
    }

    // ---- damaged and foreign certificates ----

    @Test
    void tamperedSignature() {
        byte[] der = p01.clone();
        der[der.length - 1] ^= 0x01; // last byte of s
        for (boolean withUds : new boolean[] {false, true}) {
            CertificateReport r = verify(der, fwA, NoncePolicy.DEVKIT, null, withUds);
            assertEquals(Set.of(Cause.SIGNATURE_INVALID), r.causes(), r.checks().toString());
            outcome(r, "signature", FAIL, Cause.SIGNATURE_INVALID);
            outcome(r, "nonce", SKIP, null);
            outcome(r, "layout", PASS, null);
            if (withUds) {
                outcome(r, "recompute", FAIL, Cause.SIGNATURE_INVALID);
            }
        }
    }

    @Test
    void tamperedR() {
        byte[] der = p01.clone();
        int rAt = indexOf(der, CertificateVerifier.DEVKIT_R.toByteArray());
        der[rAt + 10] ^= 0x40;
        CertificateReport r = verify(der, fwA, NoncePolicy.DEVKIT, null, false);
        // not a nonce problem: the signature is simply broken
        assertEquals(Set.of(Cause.SIGNATURE_INVALID), r.causes(), r.checks().toString());
    }

    @Test
    void tamperedBody() {
        byte[] der = p01.clone();
        int cn = indexOf(der, "devkit-test-01".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        der[cn + 13] = '2'; // devkit-test-02
        CertificateReport r = verify(der, fwA, NoncePolicy.DEVKIT, P01_ID, false);
        assertTrue(r.causes().contains(Cause.SIGNATURE_INVALID), r.checks().toString());
        assertTrue(r.causes().contains(Cause.REGISTRATION_ID_DIFFERS));
    }

    @Test
    void notACertificate() {
        Random random = new Random(1);
        for (int i = 0; i < 200; i++) {
            byte[] junk = new byte[random.nextInt(700)];
            random.nextBytes(junk);
            if (i % 2 == 0 && junk.length > 2) {
                junk[0] = 0x30; // a SEQUENCE, to get past the first byte
            }
            CertificateReport r = CertificateVerifier.of(fwA, NoncePolicy.DEVKIT).verify("junk", junk, null, null);
            assertEquals(Set.of(Cause.NOT_A_CERTIFICATE), r.causes(), "junk " + i);
            outcome(r, "layout", SKIP, null);
        }
        // every truncation of the real certificate
        for (int n = 0; n < p01.length; n++) {
            CertificateReport r = verify(Arrays.copyOf(p01, n), fwA, NoncePolicy.DEVKIT, null, false);
            assertFalse(r.ok(), "cut at " + n);
        }
    }

    @Test
    void deviceIdCertificateIsNotAnAliasCertificate() throws Exception {
        byte[] der = Pem.decode(Pem.CERTIFICATE, Files.readString(Vectors.file("P01/deviceid-cert.pem")));
        CertificateReport r = verify(der, fwA, NoncePolicy.DEVKIT, null, false);
        assertEquals(Set.of(Cause.OTHER_TOOL_OR_PROFILE), r.causes(), r.checks().toString());
        assertTrue(r.check("layout").detail().contains("no RIoT composite device ID"), r.check("layout").detail());
        outcome(r, "signature", SKIP, null);
    }

    @Test
    void invalidRegistrationIdInTheCertificate() {
        byte[] der = certificateWithCn("Devkit-Test-01");
        CertificateReport r = verify(der, fwA, NoncePolicy.DEVKIT, null, true);
        assertEquals(Set.of(Cause.INVALID_REGISTRATION_ID), r.causes(), r.checks().toString());
        assertTrue(r.check("registrationId").detail().contains("upper-case"));
        outcome(r, "layout", PASS, null);
        outcome(r, "recompute", SKIP, null);
    }

    private static byte[] certificateWithCn(String cn) {
        try (Uds uds = Uds.fromHex(P01_UDS)) {
            RiotKeys keys = RiotKeys.derive(uds, fwA);
            return DiceCertificates.aliasCertificate(cn, keys.alias(), keys.deviceId(), keys.fwid(), NoncePolicy.DEVKIT);
        }
    }

    @Test
    void validlySignedCertificateOfAnotherLayout() throws Exception {
        // the same keys and FWID, but the usual X.509 habit of a PrintableString country: another tool
        RiotKeys keys;
        try (Uds uds = Uds.fromHex(P01_UDS)) {
            keys = RiotKeys.derive(uds, fwA);
        }
        ASN1Sequence tbs = ASN1Sequence.getInstance(Certificate.getInstance(p01).getTBSCertificate().toASN1Primitive());
        ASN1Encodable[] fields = tbs.toArray();
        fields[5] = new DERSequence(new ASN1Encodable[] {
            rdn("2.5.4.3", new DERUTF8String("devkit-test-01")),
            rdn("2.5.4.6", new DERPrintableString("US")),
            rdn("2.5.4.10", new DERUTF8String("DEVKIT_TEST"))});
        byte[] der = signed(new DERSequence(fields), keys.deviceId());
        for (boolean withUds : new boolean[] {false, true}) {
            CertificateReport r = verify(der, fwA, NoncePolicy.DEVKIT, null, withUds);
            assertEquals(Set.of(Cause.OTHER_TOOL_OR_PROFILE), r.causes(), r.checks().toString());
            String layout = r.check("layout").detail();
            assertTrue(layout.contains("subject differs") && layout.contains("PrintableString")
                    && layout.contains("UTF8String"), layout);
            outcome(r, "signature", PASS, null);
            if (withUds) {
                outcome(r, "recompute", FAIL, Cause.OTHER_TOOL_OR_PROFILE);
            }
        }
    }

    @Test
    void validlySignedCertificateWithAnotherNonce() throws Exception {
        // DevKit layout and keys, valid signature, but k is neither the DevKit's nor RFC 6979's
        RiotKeys keys;
        try (Uds uds = Uds.fromHex(P01_UDS)) {
            keys = RiotKeys.derive(uds, fwA);
        }
        ASN1Sequence tbs = ASN1Sequence.getInstance(Certificate.getInstance(p01).getTBSCertificate().toASN1Primitive());
        org.bouncycastle.crypto.signers.ECDSASigner signer = new org.bouncycastle.crypto.signers.ECDSASigner();
        signer.init(true, new org.bouncycastle.crypto.params.ParametersWithRandom(
                new org.bouncycastle.crypto.params.ECPrivateKeyParameters(keys.deviceId().privateScalar(),
                        io.github.dpsplugin.core.riot.P256.DOMAIN), new java.security.SecureRandom()));
        BigInteger[] rs = signer.generateSignature(java.security.MessageDigest.getInstance("SHA-256")
                .digest(tbs.getEncoded(ASN1Encoding.DER)));
        byte[] der = certificate(tbs, new DERSequence(new ASN1Integer[] {new ASN1Integer(rs[0]), new ASN1Integer(rs[1])})
                .getEncoded(ASN1Encoding.DER));
        CertificateReport r = verify(der, fwA, null, null, true);
        assertEquals(Set.of(Cause.OTHER_TOOL_OR_PROFILE), r.causes(), r.checks().toString());
        assertTrue(r.check("recompute").detail().contains("neither the DevKit nor RFC 6979"));
    }

    private static DERSet rdn(String oid, ASN1Encodable value) {
        return new DERSet(new DERSequence(new ASN1Encodable[] {new ASN1ObjectIdentifier(oid), value}));
    }

    private static byte[] signed(DERSequence tbs, EcKeyPair key) throws Exception {
        return certificate(tbs, EcdsaSigner.sign(tbs.getEncoded(ASN1Encoding.DER), key, NoncePolicy.DEVKIT));
    }

    private static byte[] certificate(ASN1Sequence tbs, byte[] signature) throws Exception {
        return new DERSequence(new ASN1Encodable[] {tbs,
            new DERSequence(new ASN1ObjectIdentifier("1.2.840.10045.4.3.2")), new DERBitString(signature)})
                .getEncoded(ASN1Encoding.DER);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int k = 0; k < needle.length; k++) {
                if (hay[i + k] != needle[k]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
