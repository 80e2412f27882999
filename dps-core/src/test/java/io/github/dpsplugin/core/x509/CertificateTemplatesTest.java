package io.github.dpsplugin.core.x509;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.dpsplugin.core.riot.EcKeyPair;
import io.github.dpsplugin.core.riot.P256;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.bouncycastle.asn1.ASN1Encoding;
import org.junit.jupiter.api.Test;

/**
 * The byte templates give exactly the certificates Bouncy Castle's ASN.1 builders encode, for
 * every common-name length the device accepts (1 to 126: short and long DER length forms), for
 * many keys and FWIDs (signatures of 70 to 72 bytes), with both nonce policies.
 */
class CertificateTemplatesTest {

    private static final String ID_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789-._:";

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    private static EcKeyPair randomKey(SplittableRandom random) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return EcKeyPair.fromPrivate(new BigInteger(1, b).mod(P256.N.subtract(BigInteger.ONE)).add(BigInteger.ONE));
    }

    @Test
    void aliasCertificatesAreTheAsn1BuildersBytes() {
        SplittableRandom random = new SplittableRandom(2026);
        for (int length = 1; length <= 126; length++) {
            for (int rep = 0; rep < 4; rep++) {
                StringBuilder id = new StringBuilder();
                for (int i = 0; i < length; i++) {
                    id.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
                }
                EcKeyPair alias = randomKey(random);
                EcKeyPair deviceId = randomKey(random);
                byte[] fwid = new byte[32];
                random.nextBytes(fwid);
                NoncePolicy nonce = rep == 3 ? NoncePolicy.RFC6979 : NoncePolicy.DEVKIT;
                String cn = id.toString();
                assertEquals(hex(DiceCertificates.aliasCertificateByAsn1(cn, alias, deviceId, fwid, nonce)),
                        hex(DiceCertificates.aliasCertificate(cn, alias, deviceId, fwid, nonce)), "CN " + cn);
                assertEquals(hex(DiceCertificates.aliasTbsDer(cn, alias.publicKeyUncompressed(),
                        deviceId.publicKeyUncompressed(), fwid)), hex(certificateTbs(
                                DiceCertificates.aliasCertificate(cn, alias, deviceId, fwid, nonce))));
            }
        }
    }

    @Test
    void deviceIdCertificatesAndPublicKeysAreTheAsn1BuildersBytes() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 300; i++) {
            EcKeyPair key = randomKey(random);
            NoncePolicy nonce = i % 5 == 0 ? NoncePolicy.RFC6979 : NoncePolicy.DEVKIT;
            assertEquals(hex(DiceCertificates.deviceIdCertificateByAsn1(key, nonce)),
                    hex(DiceCertificates.deviceIdCertificate(key, nonce)));
            assertEquals(hex(DiceCertificates.subjectPublicKeyInfo(key).getEncoded(ASN1Encoding.DER)),
                    hex(DiceCertificates.subjectPublicKeyInfoDer(key.publicKeyUncompressed())));
        }
    }

    private static byte[] certificateTbs(byte[] certificate) {
        try {
            return org.bouncycastle.asn1.x509.Certificate.getInstance(certificate).getTBSCertificate()
                    .getEncoded(ASN1Encoding.DER);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
