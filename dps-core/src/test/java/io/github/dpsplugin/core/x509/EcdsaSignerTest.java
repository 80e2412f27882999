package io.github.dpsplugin.core.x509;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.DeviceCertificateGenerator;
import io.github.dpsplugin.core.DeviceCertificates;
import io.github.dpsplugin.core.Vectors;
import io.github.dpsplugin.core.dice.FirmwareMeasurement;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.firmware.FirmwareImage;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.pem.Pem;
import io.github.dpsplugin.core.riot.EcKeyPair;
import io.github.dpsplugin.core.riot.RiotKeys;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.Locale;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EcdsaSignerTest {

    /** P-256 from Bouncy Castle's named-curve table, independent of the code's P256 class. */
    private static final X9ECParameters CURVE = ECNamedCurveTable.getByName("P-256");
    private static final BigInteger N = CURVE.getN();
    private static final ECDomainParameters DOMAIN =
            new ECDomainParameters(CURVE.getCurve(), CURVE.getG(), CURVE.getN(), CURVE.getH());

    private static Vectors.Case p01;
    private static RiotKeys p01Keys;
    private static DeviceCertificates p01Devkit;
    private static DeviceCertificates p01Rfc6979;

    @BeforeAll
    static void p01() {
        p01 = Vectors.cases().get(0);
        assertEquals("P01", p01.id());
        FirmwareImage image = FirmwareImage.read(p01.bin(), p01.map());
        try (Uds uds = Uds.fromHex(p01.text("uds"))) {
            RegistrationId id = RegistrationId.of(p01.text("registrationId"));
            p01Devkit = DeviceCertificateGenerator.forFirmware(image, NoncePolicy.DEVKIT).generate(id, uds);
            p01Rfc6979 = DeviceCertificateGenerator.forFirmware(image, NoncePolicy.RFC6979).generate(id, uds);
            p01Keys = RiotKeys.derive(uds, FirmwareMeasurement.of(image));
        }
    }

    private static byte[] sha256(byte[] data) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(data);
    }

    private static BigInteger xOfKG(BigInteger k) {
        return CURVE.getG().multiply(k).normalize().getAffineXCoord().toBigInteger().mod(N);
    }

    private static boolean bcVerifies(byte[] hash, BigInteger r, BigInteger s, ECPoint q) {
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(CURVE.getCurve().decodePoint(q.getEncoded(false)), DOMAIN));
        return verifier.verifySignature(hash, r, s);
    }

    private static PublicKey jdkKey(EcKeyPair key) throws Exception {
        return KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(
                DiceCertificates.subjectPublicKeyInfoDer(key.publicKeyUncompressed())));
    }

    private static X509Certificate jdkCert(byte[] der) throws Exception {
        return io.github.dpsplugin.core.X509Parsing.parse(der);
    }

    // ---- (a) RFC 6979, appendix A.2.5: P-256, SHA-256 ----

    private static final BigInteger RFC_X =
            new BigInteger("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721", 16);

    @Test
    void rfc6979KeyPair() {
        EcKeyPair key = EcKeyPair.fromPrivate(RFC_X);
        assertEquals(new BigInteger("60FED4BA255A9D31C961EB74C6356D68C049B8923B61FA6CE669622E60F29FB6", 16),
                key.publicPoint().getAffineXCoord().toBigInteger());
        assertEquals(new BigInteger("7903FE1008B8BC99A41AE9E95628BC64F2F1B20C2D7E9F5177A3C294D4462299", 16),
                key.publicPoint().getAffineYCoord().toBigInteger());
    }

    @Test
    void rfc6979Sample() throws Exception {
        EcKeyPair key = EcKeyPair.fromPrivate(RFC_X);
        BigInteger[] rs = EcdsaSigner.signRaw(sha256("sample".getBytes(StandardCharsets.US_ASCII)), key,
                NoncePolicy.RFC6979);
        BigInteger k = new BigInteger("A6E3C57DD01ABE90086538398355DD4C3B17AA873382B0F24D6129493D8AAD60", 16);
        assertEquals(new BigInteger("EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716", 16), rs[0]);
        assertEquals(new BigInteger("F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8", 16), rs[1]);
        assertEquals(xOfKG(k), rs[0], "r = (k·G).x for the RFC's k");
    }

    @Test
    void rfc6979Test() throws Exception {
        EcKeyPair key = EcKeyPair.fromPrivate(RFC_X);
        BigInteger[] rs = EcdsaSigner.signRaw(sha256("test".getBytes(StandardCharsets.US_ASCII)), key,
                NoncePolicy.RFC6979);
        assertEquals(new BigInteger("F1ABB023518351CD71D881567B1EA663ED3EFCF6C5132B354F28D3B0B7D38367", 16), rs[0]);
        assertEquals(new BigInteger("019F4113742A2B14BD25926B49C649155F267E60D3814B4C0CC84250E46F0083", 16), rs[1]);
    }

    // ---- (b) the DevKit's fixed nonce ----

    @Test
    void devkitNonceIsTheSpecsConstant() {
        StringBuilder hex = new StringBuilder();
        for (int i = 1; i <= 32; i++) {
            hex.append(String.format(Locale.ROOT, "%02x", i));
        }
        assertEquals(new BigInteger(hex.toString(), 16), EcdsaSigner.DEVKIT_NONCE);
    }

    @Test
    void devkitSignaturesShareROfTheFixedNonce() throws Exception {
        BigInteger expectedR = xOfKG(EcdsaSigner.DEVKIT_NONCE);
        EcKeyPair key1 = EcKeyPair.fromPrivate(RFC_X);
        EcKeyPair key2 = p01Keys.deviceId();
        byte[] h1 = sha256("first message".getBytes(StandardCharsets.US_ASCII));
        byte[] h2 = sha256("a completely different message".getBytes(StandardCharsets.US_ASCII));
        BigInteger[] a = EcdsaSigner.signRaw(h1, key1, NoncePolicy.DEVKIT);
        BigInteger[] b = EcdsaSigner.signRaw(h2, key2, NoncePolicy.DEVKIT);
        assertEquals(expectedR, a[0]);
        assertEquals(expectedR, b[0]);
        assertNotEquals(a[1], b[1]);
        // s = k^-1 (e + d·r) mod n, no low-s normalisation
        BigInteger kInv = EcdsaSigner.DEVKIT_NONCE.modInverse(N);
        assertEquals(kInv.multiply(new BigInteger(1, h1).add(RFC_X.multiply(expectedR))).mod(N), a[1]);
        assertTrue(bcVerifies(h1, a[0], a[1], key1.publicPoint()));
        assertTrue(bcVerifies(h2, b[0], b[1], key2.publicPoint()));
        assertFalse(bcVerifies(h2, a[0], a[1], key1.publicPoint()), "wrong message");
        assertFalse(bcVerifies(h1, a[0], a[1], key2.publicPoint()), "wrong key");
        // deterministic
        assertArrayEquals(a, EcdsaSigner.signRaw(h1, key1, NoncePolicy.DEVKIT));
    }

    @Test
    void rfc6979SignaturesDoNotShareR() throws Exception {
        EcKeyPair key = p01Keys.deviceId();
        byte[] h1 = sha256("first message".getBytes(StandardCharsets.US_ASCII));
        byte[] h2 = sha256("second message".getBytes(StandardCharsets.US_ASCII));
        BigInteger[] a = EcdsaSigner.signRaw(h1, key, NoncePolicy.RFC6979);
        BigInteger[] b = EcdsaSigner.signRaw(h2, key, NoncePolicy.RFC6979);
        assertNotEquals(a[0], b[0]);
        assertNotEquals(xOfKG(EcdsaSigner.DEVKIT_NONCE), a[0]);
        assertTrue(bcVerifies(h1, a[0], a[1], key.publicPoint()));
        assertArrayEquals(a, EcdsaSigner.signRaw(h1, key, NoncePolicy.RFC6979), "deterministic");
    }

    @Test
    void derSignatureVerifiesWithTheJdk() throws Exception {
        EcKeyPair key = p01Keys.deviceId();
        byte[] data = "data to sign".getBytes(StandardCharsets.US_ASCII);
        for (NoncePolicy policy : NoncePolicy.values()) {
            byte[] der = EcdsaSigner.sign(data, key, policy);
            Signature jdk = Signature.getInstance("SHA256withECDSA");
            jdk.initVerify(jdkKey(key));
            jdk.update(data);
            assertTrue(jdk.verify(der), policy.name());
            ASN1Sequence seq = ASN1Sequence.getInstance(der);
            assertEquals(2, seq.size());
            BigInteger[] raw = EcdsaSigner.signRaw(sha256(data), key, policy);
            assertEquals(raw[0], ASN1Integer.getInstance(seq.getObjectAt(0)).getValue());
            assertEquals(raw[1], ASN1Integer.getInstance(seq.getObjectAt(1)).getValue());
        }
    }

    @Test
    void wholeCertificatesVerifyWithTheJdk() throws Exception {
        for (DeviceCertificates certs : new DeviceCertificates[] {p01Devkit, p01Rfc6979}) {
            X509Certificate alias = jdkCert(certs.aliasCertificateDer());
            X509Certificate deviceId = jdkCert(certs.deviceIdCertificateDer());
            alias.verify(deviceId.getPublicKey());
            deviceId.verify(deviceId.getPublicKey());
            alias.verify(jdkKey(p01Keys.deviceId()));
            Signature jdk = Signature.getInstance("SHA256withECDSA");
            jdk.initVerify(jdkKey(p01Keys.deviceId()));
            jdk.update(alias.getTBSCertificate());
            assertTrue(jdk.verify(alias.getSignature()), certs.noncePolicy().name());
            // not under the alias key
            assertThrows(SignatureException.class, () -> alias.verify(jdkKey(p01Keys.alias())));
        }
    }

    // ---- (c) the weakness: the fixed nonce gives away the DeviceID private key ----

    private static BigInteger[] signatureOf(Certificate cert) {
        ASN1Sequence rs = ASN1Sequence.getInstance(cert.getSignature().getOctets());
        return new BigInteger[] {
            ASN1Integer.getInstance(rs.getObjectAt(0)).getValue(),
            ASN1Integer.getInstance(rs.getObjectAt(1)).getValue()
        };
    }

    /** dId = r^-1 (s·k − e) mod n, from nothing but the public certificate and the public nonce. */
    private static BigInteger recoverSigningKey(byte[] certDer, BigInteger k) throws Exception {
        Certificate cert = Certificate.getInstance(certDer);
        BigInteger[] rs = signatureOf(cert);
        BigInteger e = new BigInteger(1, sha256(cert.getTBSCertificate().getEncoded(ASN1Encoding.DER)));
        return rs[0].modInverse(N).multiply(rs[1].multiply(k).subtract(e)).mod(N);
    }

    /** The DeviceID public key {@code 04||X||Y} from the alias certificate's RIoT subjectAltName. */
    private static byte[] deviceIdKeyFromSubjectAltName(byte[] aliasDer) {
        Certificate cert = Certificate.getInstance(aliasDer);
        Extension san = cert.getTBSCertificate().getExtensions().getExtension(Extension.subjectAlternativeName);
        ASN1Sequence names = ASN1Sequence.getInstance(san.getExtnValue().getOctets());
        ASN1TaggedObject otherName = ASN1TaggedObject.getInstance(names.getObjectAt(0));
        ASN1Sequence content = (ASN1Sequence) otherName.getBaseUniversal(false, BERTags.SEQUENCE);
        ASN1Sequence compositeId = ASN1Sequence.getInstance(content.getObjectAt(1));
        ASN1Sequence spki = ASN1Sequence.getInstance(compositeId.getObjectAt(1));
        return DERBitString.getInstance(spki.getObjectAt(1)).getOctets();
    }

    private static byte[] encode(ECPoint p) {
        return p.normalize().getEncoded(false);
    }

    @Test
    void anyoneCanRecoverTheDeviceIdKeyFromADevkitCertificate() throws Exception {
        byte[] generated = p01Devkit.aliasCertificateDer();
        byte[] reference = Pem.decode(Pem.CERTIFICATE,
                Files.readString(p01.path("aliasCertFile"), StandardCharsets.US_ASCII));
        assertArrayEquals(reference, generated, "the generator reproduces the vector");

        byte[] deviceIdKeyInSan = deviceIdKeyFromSubjectAltName(generated);
        Certificate deviceIdCert = Certificate.getInstance(p01Devkit.deviceIdCertificateDer());
        byte[] deviceIdKeyInCert = deviceIdCert.getSubjectPublicKeyInfo().getPublicKeyData().getOctets();
        assertArrayEquals(deviceIdKeyInCert, deviceIdKeyInSan);

        BigInteger recovered = recoverSigningKey(generated, EcdsaSigner.DEVKIT_NONCE);
        assertArrayEquals(deviceIdKeyInSan, encode(CURVE.getG().multiply(recovered)),
                "dId·G is the DeviceID public key");
        assertEquals(p01Keys.deviceId().privateScalar(), recovered, "the recovered scalar is the DeviceID key");
        // the DeviceID certificate itself gives the key away too
        assertEquals(recovered, recoverSigningKey(p01Devkit.deviceIdCertificateDer(), EcdsaSigner.DEVKIT_NONCE));

        // the consequence: a forged alias certificate for another ID that chains to the real DeviceID
        byte[] forged = DiceCertificates.aliasCertificate("attacker-device", EcKeyPair.fromPrivate(BigInteger.TEN),
                EcKeyPair.fromPrivate(recovered), p01Keys.fwid(), NoncePolicy.RFC6979);
        jdkCert(forged).verify(jdkCert(p01Devkit.deviceIdCertificateDer()).getPublicKey());
    }

    @Test
    void rfc6979CertificateDoesNotGiveTheKeyAway() throws Exception {
        byte[] rfc = p01Rfc6979.aliasCertificateDer();
        assertFalse(java.util.Arrays.equals(rfc, p01Devkit.aliasCertificateDer()));
        assertArrayEquals(p01Devkit.deviceIdPublicKeyDer(), p01Rfc6979.deviceIdPublicKeyDer(),
                "the nonce does not change the DeviceID key");
        BigInteger attempt = recoverSigningKey(rfc, EcdsaSigner.DEVKIT_NONCE);
        assertNotEquals(p01Keys.deviceId().privateScalar(), attempt);
        assertFalse(java.util.Arrays.equals(deviceIdKeyFromSubjectAltName(rfc),
                encode(CURVE.getG().multiply(attempt))), "the recovered point does not match");
        // the RFC 6979 certificate is still a valid certificate of the same DeviceID
        X509Certificate deviceId = jdkCert(p01Devkit.deviceIdCertificateDer());
        jdkCert(rfc).verify(deviceId.getPublicKey());
        jdkCert(p01Rfc6979.deviceIdCertificateDer()).verify(deviceId.getPublicKey());
    }
}
