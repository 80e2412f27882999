package io.github.dpsplugin.core.x509;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.Vectors;
import io.github.dpsplugin.core.dice.FirmwareMeasurement;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.firmware.FirmwareImage;
import io.github.dpsplugin.core.riot.RiotKeys;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.TBSCertificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The certificates' structure, parsed back with Bouncy Castle's ASN.1 classes (spec, certificate sections). */
class DiceCertificatesTest {

    private static final String CN = "2.5.4.3";
    private static final String C = "2.5.4.6";
    private static final String O = "2.5.4.10";
    private static final String REGISTRATION_ID = "devkit-test-01";

    private static RiotKeys keys;
    private static byte[] aliasDer;
    private static byte[] deviceIdDer;

    @BeforeAll
    static void generate() {
        Vectors.Case p01 = Vectors.cases().get(0);
        FirmwareMeasurement m = FirmwareMeasurement.of(FirmwareImage.read(p01.bin(), p01.map()));
        try (Uds uds = Uds.fromHex(p01.text("uds"))) {
            keys = RiotKeys.derive(uds, m);
        }
        aliasDer = DiceCertificates.aliasCertificate(REGISTRATION_ID, keys.alias(), keys.deviceId(), keys.fwid(),
                NoncePolicy.DEVKIT);
        deviceIdDer = DiceCertificates.deviceIdCertificate(keys.deviceId(), NoncePolicy.DEVKIT);
    }

    private static byte[] der(ASN1Encodable e) throws Exception {
        return e.toASN1Primitive().getEncoded(ASN1Encoding.DER);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    private static void assertName(X500Name name, String commonName) throws Exception {
        RDN[] rdns = name.getRDNs();
        assertEquals(3, rdns.length);
        String[] types = {CN, C, O};
        String[] values = {commonName, "US", "DEVKIT_TEST"};
        for (int i = 0; i < 3; i++) {
            assertFalse(rdns[i].isMultiValued());
            AttributeTypeAndValue atv = rdns[i].getFirst();
            assertEquals(types[i], atv.getType().getId(), "attribute " + i);
            assertInstanceOf(ASN1UTF8String.class, atv.getValue().toASN1Primitive(), "UTF8String at " + i);
            assertEquals(values[i], ((ASN1UTF8String) atv.getValue().toASN1Primitive()).getString());
            // tag 0x0C (UTF8String), not 0x13 (PrintableString), on the wire
            assertEquals(0x0C, der(atv.getValue())[0]);
        }
    }

    private static void assertEcdsaWithSha256(AlgorithmIdentifier alg) throws Exception {
        assertEquals("1.2.840.10045.4.3.2", alg.getAlgorithm().getId());
        assertNull(alg.getParameters(), "no parameters");
        assertEquals("300a06082a8648ce3d040302", HexFormat.of().formatHex(der(alg)));
    }

    private static void assertCommonShape(byte[] certDer, BigInteger serial, String subjectCn, byte[] subjectKey)
            throws Exception {
        Certificate cert = Certificate.getInstance(certDer);
        assertArrayEquals(certDer, cert.getEncoded(ASN1Encoding.DER), "DER-canonical (minimal lengths and integers)");
        TBSCertificate tbs = cert.getTBSCertificate();
        ASN1Sequence tbsSeq = ASN1Sequence.getInstance(tbs);
        assertEquals(8, tbsSeq.size(), "version, serial, alg, issuer, validity, subject, key, extensions; nothing else");
        assertEquals("a003020102", HexFormat.of().formatHex(der(tbsSeq.getObjectAt(0))));
        assertEquals(serial, tbs.getSerialNumber().getValue());
        assertEcdsaWithSha256(tbs.getSignature());
        assertEcdsaWithSha256(cert.getSignatureAlgorithm());
        assertName(tbs.getIssuer(), DiceCertificates.DEVICE_ID_CN);
        assertName(tbs.getSubject(), subjectCn);
        assertArrayEquals(concat(new byte[] {0x17, 0x0d}, "170101000000Z".getBytes(StandardCharsets.US_ASCII)),
                der(tbs.getStartDate()));
        assertArrayEquals(concat(new byte[] {0x17, 0x0d}, "370101000000Z".getBytes(StandardCharsets.US_ASCII)),
                der(tbs.getEndDate()));
        AlgorithmIdentifier keyAlg = tbs.getSubjectPublicKeyInfo().getAlgorithm();
        assertEquals("1.2.840.10045.2.1", keyAlg.getAlgorithm().getId());
        assertEquals("1.2.840.10045.3.1.7", ASN1ObjectIdentifier.getInstance(keyAlg.getParameters()).getId());
        assertEquals(0, tbs.getSubjectPublicKeyInfo().getPublicKeyData().getPadBits());
        assertArrayEquals(subjectKey, tbs.getSubjectPublicKeyInfo().getPublicKeyData().getOctets());
        assertEquals(0, cert.getSignature().getPadBits());
        ASN1Sequence rs = ASN1Sequence.getInstance(cert.getSignature().getOctets());
        assertEquals(2, rs.size());
    }

    @Test
    void aliasCertificateShape() throws Exception {
        assertCommonShape(aliasDer, new BigInteger("0A0B0C0D0E", 16), REGISTRATION_ID,
                keys.alias().publicKeyUncompressed());
        assertTrue(HexFormat.of().formatHex(aliasDer).contains("02050a0b0c0d0e"), "serial bytes");
    }

    @Test
    void deviceIdCertificateShape() throws Exception {
        assertCommonShape(deviceIdDer, new BigInteger("0E0D0C0B0A", 16), DiceCertificates.DEVICE_ID_CN,
                keys.deviceId().publicKeyUncompressed());
        assertTrue(HexFormat.of().formatHex(deviceIdDer).contains("02050e0d0c0b0a"), "serial bytes");
    }

    @Test
    void aliasExtensionsAreCriticalEkuThenSan() throws Exception {
        Extensions exts = Certificate.getInstance(aliasDer).getTBSCertificate().getExtensions();
        ASN1ObjectIdentifier[] oids = exts.getExtensionOIDs();
        assertEquals(List.of(Extension.extendedKeyUsage, Extension.subjectAlternativeName), List.of(oids));
        for (ASN1ObjectIdentifier oid : oids) {
            Extension ext = exts.getExtension(oid);
            assertTrue(ext.isCritical(), oid.getId());
            ASN1Sequence raw = ASN1Sequence.getInstance(der(ext));
            assertEquals(3, raw.size());
            assertEquals(ASN1Boolean.TRUE, raw.getObjectAt(1));
        }
        ASN1Sequence eku = ASN1Sequence.getInstance(exts.getExtension(Extension.extendedKeyUsage).getExtnValue()
                .getOctets());
        assertEquals(1, eku.size());
        assertEquals(KeyPurposeId.id_kp_clientAuth.toOID(), eku.getObjectAt(0));
    }

    @Test
    void subjectAltNameIsTheRiotCompositeIdWithoutInnerExplicitTag() throws Exception {
        Extensions exts = Certificate.getInstance(aliasDer).getTBSCertificate().getExtensions();
        ASN1Sequence generalNames = ASN1Sequence.getInstance(
                exts.getExtension(Extension.subjectAlternativeName).getExtnValue().getOctets());
        assertEquals(1, generalNames.size());
        byte[] otherNameDer = der(generalNames.getObjectAt(0));
        assertEquals((byte) 0xA0, otherNameDer[0], "[0] context-specific, constructed");

        ASN1TaggedObject otherName = ASN1TaggedObject.getInstance(generalNames.getObjectAt(0));
        assertEquals(BERTags.CONTEXT_SPECIFIC, otherName.getTagClass());
        assertEquals(0, otherName.getTagNo());
        ASN1Sequence content = (ASN1Sequence) otherName.getBaseUniversal(false, BERTags.SEQUENCE);
        assertEquals(2, content.size());
        assertEquals(new ASN1ObjectIdentifier("1.3.6.1.4.1.311.89.3.1"), content.getObjectAt(0));
        assertInstanceOf(ASN1Sequence.class, content.getObjectAt(1).toASN1Primitive(),
                "the value is a SEQUENCE directly after the OID, not an explicit [0]");

        // on the wire: A0 len, OID 1.3.6.1.4.1.311.89.3.1, then 30 (SEQUENCE) immediately
        byte[] oid = der(new ASN1ObjectIdentifier("1.3.6.1.4.1.311.89.3.1"));
        assertEquals("060a2b0601040182375903" + "01", HexFormat.of().formatHex(oid));
        int headerLength = (otherNameDer[1] & 0x80) == 0 ? 2 : 2 + (otherNameDer[1] & 0x7f);
        assertArrayEquals(oid, Arrays.copyOfRange(otherNameDer, headerLength, headerLength + oid.length));
        assertEquals(0x30, otherNameDer[headerLength + oid.length]);

        ASN1Sequence compositeId = ASN1Sequence.getInstance(content.getObjectAt(1));
        assertEquals(3, compositeId.size());
        assertEquals(BigInteger.ONE, ASN1Integer.getInstance(compositeId.getObjectAt(0)).getValue());
        assertArrayEquals(DiceCertificates.subjectPublicKeyInfoDer(keys.deviceId().publicKeyUncompressed()), der(compositeId.getObjectAt(1)), "DeviceID key");
        ASN1Sequence spki = ASN1Sequence.getInstance(compositeId.getObjectAt(1));
        assertArrayEquals(keys.deviceId().publicKeyUncompressed(),
                DERBitString.getInstance(spki.getObjectAt(1)).getOctets());
        ASN1Sequence fwid = ASN1Sequence.getInstance(compositeId.getObjectAt(2));
        assertEquals(new ASN1ObjectIdentifier("2.16.840.1.101.3.4.2.1"), fwid.getObjectAt(0));
        assertArrayEquals(keys.fwid(), ASN1OctetString.getInstance(fwid.getObjectAt(1)).getOctets());
    }

    @Test
    void deviceIdBasicConstraintsNotCriticalCaPathLen2() throws Exception {
        Extensions exts = Certificate.getInstance(deviceIdDer).getTBSCertificate().getExtensions();
        assertEquals(List.of(Extension.basicConstraints), List.of(exts.getExtensionOIDs()));
        Extension ext = exts.getExtension(Extension.basicConstraints);
        assertFalse(ext.isCritical());
        assertEquals(2, ASN1Sequence.getInstance(der(ext)).size(), "no critical BOOLEAN encoded at all");
        BasicConstraints bc = BasicConstraints.getInstance(ext.getParsedValue());
        assertTrue(bc.isCA());
        assertEquals(BigInteger.TWO, bc.getPathLenConstraint());
        assertEquals("30060101ff020102", HexFormat.of().formatHex(ext.getExtnValue().getOctets()));
    }

    @Test
    void subjectPublicKeyInfoEncoding() throws Exception {
        byte[] spki = der(DiceCertificates.subjectPublicKeyInfo(keys.deviceId()));
        // 30 59 30 13 06 07 <ecPublicKey> 06 08 <prime256v1> 03 42 00 04 ...
        assertEquals("3059301306072a8648ce3d020106082a8648ce3d030107034200",
                HexFormat.of().formatHex(Arrays.copyOf(spki, 26)));
        assertArrayEquals(keys.deviceId().publicKeyUncompressed(), Arrays.copyOfRange(spki, 26, 91));
        assertEquals(91, spki.length);
    }

    private static void assertMinimalInteger(byte[] integerDer) {
        assertEquals(0x02, integerDer[0]);
        int len = integerDer[1];
        assertTrue(len >= 1 && len <= 33, "length " + len);
        assertEquals(len + 2, integerDer.length);
        if (len > 1) {
            boolean redundantZero = integerDer[2] == 0 && (integerDer[3] & 0x80) == 0;
            boolean redundantFf = integerDer[2] == (byte) 0xff && (integerDer[3] & 0x80) != 0;
            assertFalse(redundantZero || redundantFf, HexFormat.of().formatHex(integerDer));
        }
        assertTrue((integerDer[2] & 0x80) == 0, "r and s are positive");
    }

    @Test
    void signatureIntegersAreMinimalForManyCertificates() throws Exception {
        boolean sawPaddedS = false;
        boolean sawUnpaddedS = false;
        for (int i = 0; i < 40; i++) {
            byte[] der = DiceCertificates.aliasCertificate("device-" + i, keys.alias(), keys.deviceId(), keys.fwid(),
                    NoncePolicy.DEVKIT);
            ASN1Sequence rs = ASN1Sequence.getInstance(Certificate.getInstance(der).getSignature().getOctets());
            for (int j = 0; j < 2; j++) {
                assertMinimalInteger(der(rs.getObjectAt(j)));
            }
            byte[] s = der(rs.getObjectAt(1));
            if (s[1] == 33) {
                sawPaddedS = true;
            } else {
                sawUnpaddedS = true;
            }
        }
        assertTrue(sawPaddedS && sawUnpaddedS, "both s encodings were exercised");
    }

    @Test
    void longCommonNameUsesLongFormLengths() throws Exception {
        String id = "a".repeat(126);
        byte[] der = DiceCertificates.aliasCertificate(id, keys.alias(), keys.deviceId(), keys.fwid(), NoncePolicy.DEVKIT);
        Certificate cert = Certificate.getInstance(der);
        assertArrayEquals(der, cert.getEncoded(ASN1Encoding.DER));
        AttributeTypeAndValue cn = cert.getSubject().getRDNs()[0].getFirst();
        byte[] value = der(cn.getValue());
        assertEquals(0x0C, value[0]);
        assertEquals(126, value[1], "126 still fits the short form");
        // the RDN SET around it exceeds 127 bytes: 31 81 xx
        ASN1Set set = ASN1Set.getInstance(der(cert.getSubject().getRDNs()[0]));
        byte[] setDer = der(set);
        assertEquals(0x31, setDer[0]);
        assertEquals((byte) 0x81, setDer[1]);
        assertEquals(id, ((ASN1UTF8String) cn.getValue()).getString());
    }
}
