package io.github.dpsplugin.core.x509;

import io.github.dpsplugin.core.riot.EcKeyPair;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Boolean;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.DERUTCTime;
import org.bouncycastle.asn1.DERUTF8String;

/**
 * The two certificates RIoT builds at boot, in exactly the device's layout (spec, sections "The
 * alias certificate" and "The DeviceID certificate").
 *
 * <p>Built from Bouncy Castle's ASN.1 types. Where the device departs from the usual X.509
 * helpers it is written out here: names in CN, C, O order with every value a UTF8String (the
 * country too), and the RIoT composite-ID otherName without RFC 5280's inner explicit tag.
 */
public final class DiceCertificates {

    static final ASN1ObjectIdentifier ECDSA_WITH_SHA256 = new ASN1ObjectIdentifier("1.2.840.10045.4.3.2");
    static final ASN1ObjectIdentifier EC_PUBLIC_KEY = new ASN1ObjectIdentifier("1.2.840.10045.2.1");
    public static final ASN1ObjectIdentifier PRIME256V1 = new ASN1ObjectIdentifier("1.2.840.10045.3.1.7");
    static final ASN1ObjectIdentifier CN = new ASN1ObjectIdentifier("2.5.4.3");
    static final ASN1ObjectIdentifier C = new ASN1ObjectIdentifier("2.5.4.6");
    static final ASN1ObjectIdentifier O = new ASN1ObjectIdentifier("2.5.4.10");
    static final ASN1ObjectIdentifier EXT_KEY_USAGE = new ASN1ObjectIdentifier("2.5.29.37");
    static final ASN1ObjectIdentifier CLIENT_AUTH = new ASN1ObjectIdentifier("1.3.6.1.5.5.7.3.2");
    static final ASN1ObjectIdentifier SUBJECT_ALT_NAME = new ASN1ObjectIdentifier("2.5.29.17");
    static final ASN1ObjectIdentifier BASIC_CONSTRAINTS = new ASN1ObjectIdentifier("2.5.29.19");
    /** Microsoft's RIoT composite device ID. */
    public static final ASN1ObjectIdentifier RIOT_COMPOSITE_ID = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.89.3.1");
    static final ASN1ObjectIdentifier SHA256 = new ASN1ObjectIdentifier("2.16.840.1.101.3.4.2.1");

    /** Issuer CN of both certificates and subject CN of the DeviceID certificate. */
    public static final String DEVICE_ID_CN = "devkitdice";
    public static final String COUNTRY = "US";
    public static final String ORGANIZATION = "DEVKIT_TEST";
    public static final BigInteger ALIAS_SERIAL = new BigInteger("0A0B0C0D0E", 16);
    public static final BigInteger DEVICE_ID_SERIAL = new BigInteger("0E0D0C0B0A", 16);
    public static final String NOT_BEFORE = "170101000000Z";
    public static final String NOT_AFTER = "370101000000Z";

    // Parts that are the same in every certificate, built once (BC validates UTCTime strings by
    // parsing them, which costs more than the rest of a certificate).
    /** {@code SEQUENCE { OID }}: ecdsa-with-SHA256 takes no parameters. */
    private static final DERSequence SIGNATURE_ALGORITHM = new DERSequence(ECDSA_WITH_SHA256);
    private static final DERSequence DEVICE_ID_NAME = name(DEVICE_ID_CN);
    private static final DERSequence VALIDITY =
            new DERSequence(new ASN1Encodable[] {new DERUTCTime(NOT_BEFORE), new DERUTCTime(NOT_AFTER)});
    private static final DERSequence EC_P256_ALGORITHM = new DERSequence(new ASN1Encodable[] {EC_PUBLIC_KEY, PRIME256V1});
    private static final ASN1Encodable EKU_CLIENT_AUTH = extension(EXT_KEY_USAGE, true, new DERSequence(CLIENT_AUTH));
    /** The DER of a P-256 SubjectPublicKeyInfo up to the key's bytes (its length is fixed: 65). */
    private static final byte[] SPKI_PREFIX = Arrays.copyOf(der(subjectPublicKeyInfo(new byte[65])), 26);
    private static final ASN1Encodable BASIC_CONSTRAINTS_CA_2 = extension(BASIC_CONSTRAINTS, false,
            new DERSequence(new ASN1Encodable[] {ASN1Boolean.TRUE, new ASN1Integer(2)}));

    /** The constant parts of both certificates, encoded once by the builders below. */
    private static final CertificateTemplates TEMPLATES = templates();

    private DiceCertificates() {
    }

    private static CertificateTemplates templates() {
        DERSequence aliasTbs = aliasTbs("x", CertificateTemplates.aliasKeyMark(),
                CertificateTemplates.deviceIdKeyMark(), CertificateTemplates.fwidMark());
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        for (int i = 0; i < 5; i++) { // version, serial, signature, issuer, validity
            head.writeBytes(der(aliasTbs.getObjectAt(i)));
        }
        ByteArrayOutputStream tail = new ByteArrayOutputStream();
        for (int i = 6; i < aliasTbs.size(); i++) { // after the subject
            tail.writeBytes(der(aliasTbs.getObjectAt(i)));
        }
        ByteArrayOutputStream rest = new ByteArrayOutputStream();
        DERSequence subject = (DERSequence) aliasTbs.getObjectAt(5);
        for (int i = 1; i < subject.size(); i++) {
            rest.writeBytes(der(subject.getObjectAt(i)));
        }
        return new CertificateTemplates(head.toByteArray(), tail.toByteArray(), der(CN), rest.toByteArray(),
                der(deviceIdTbs(CertificateTemplates.deviceIdKeyMark())), der(SIGNATURE_ALGORITHM));
    }

    /**
     * The alias certificate: subject CN = registration ID, the Alias public key, the RIoT
     * subjectAltName carrying the DeviceID public key and FWID; signed by the DeviceID key.
     */
    public static byte[] aliasCertificate(String registrationId, EcKeyPair alias, EcKeyPair deviceId,
            byte[] fwid, NoncePolicy nonce) {
        byte[] tbs = TEMPLATES.aliasTbs(registrationId.getBytes(StandardCharsets.UTF_8),
                alias.publicKeyUncompressed(), deviceId.publicKeyUncompressed(), fwid);
        return TEMPLATES.certificate(tbs, EcdsaSigner.sign(tbs, deviceId, nonce));
    }

    /** The DER certificate from its ASN.1 builders (the reference for the templates: tests only). */
    static byte[] aliasCertificateByAsn1(String registrationId, EcKeyPair alias, EcKeyPair deviceId,
            byte[] fwid, NoncePolicy nonce) {
        return sign(aliasTbs(registrationId, alias.publicKeyUncompressed(), deviceId.publicKeyUncompressed(), fwid),
                deviceId, nonce);
    }

    /** The DeviceID certificate from its ASN.1 builders (tests only). */
    static byte[] deviceIdCertificateByAsn1(EcKeyPair deviceId, NoncePolicy nonce) {
        return sign(deviceIdTbs(deviceId.publicKeyUncompressed()), deviceId, nonce);
    }

    /**
     * The DER of the alias certificate's to-be-signed part for these public values: what a device
     * with these keys writes, so a certificate's TBS can be compared with it byte for byte.
     *
     * @param aliasPublicKey the Alias public key, {@code 04 || X || Y}
     * @param deviceIdPublicKey the DeviceID public key, {@code 04 || X || Y}
     */
    public static byte[] aliasTbsDer(String registrationId, byte[] aliasPublicKey, byte[] deviceIdPublicKey,
            byte[] fwid) {
        return der(aliasTbs(registrationId, aliasPublicKey, deviceIdPublicKey, fwid));
    }

    private static DERSequence aliasTbs(String registrationId, byte[] aliasPublicKey, byte[] deviceIdPublicKey,
            byte[] fwid) {
        ASN1Encodable compositeId = new DERSequence(new ASN1Encodable[] {
            new ASN1Integer(1),
            subjectPublicKeyInfo(deviceIdPublicKey),
            new DERSequence(new ASN1Encodable[] {SHA256, new DEROctetString(fwid)})
        });
        // The device writes the otherName as [0] IMPLICIT SEQUENCE { OID, value }: the value follows
        // the OID directly, without RFC 5280's [0] EXPLICIT wrapper (spec, alias certificate notes).
        ASN1Encodable otherName = new DERTaggedObject(false, 0,
                new DERSequence(new ASN1Encodable[] {RIOT_COMPOSITE_ID, compositeId}));
        ASN1Encodable san = extension(SUBJECT_ALT_NAME, true, new DERSequence(otherName));
        return tbs(ALIAS_SERIAL, name(registrationId), subjectPublicKeyInfo(aliasPublicKey),
                new DERSequence(new ASN1Encodable[] {EKU_CLIENT_AUTH, san}));
    }

    /** The self-signed DeviceID certificate (basicConstraints cA=TRUE, pathLen=2, not critical). */
    public static byte[] deviceIdCertificate(EcKeyPair deviceId, NoncePolicy nonce) {
        byte[] tbs = TEMPLATES.deviceIdTbs(deviceId.publicKeyUncompressed());
        return TEMPLATES.certificate(tbs, EcdsaSigner.sign(tbs, deviceId, nonce));
    }

    private static DERSequence deviceIdTbs(byte[] deviceIdPublicKey) {
        return tbs(DEVICE_ID_SERIAL, DEVICE_ID_NAME, subjectPublicKeyInfo(deviceIdPublicKey),
                new DERSequence(BASIC_CONSTRAINTS_CA_2));
    }

    /** DER {@code SubjectPublicKeyInfo} of a P-256 key {@code 04||X||Y}: a constant prefix and the key. */
    public static byte[] subjectPublicKeyInfoDer(byte[] uncompressed) {
        byte[] out = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + uncompressed.length);
        System.arraycopy(uncompressed, 0, out, SPKI_PREFIX.length, uncompressed.length);
        return out;
    }

    /** {@code SEQUENCE { SEQUENCE { ecPublicKey, prime256v1 }, BIT STRING 04||X||Y }}. */
    public static DERSequence subjectPublicKeyInfo(EcKeyPair key) {
        return subjectPublicKeyInfo(key.publicKeyUncompressed());
    }

    private static DERSequence subjectPublicKeyInfo(byte[] uncompressed) {
        return new DERSequence(new ASN1Encodable[] {
            EC_P256_ALGORITHM,
            new DERBitString(uncompressed)
        });
    }

    private static DERSequence tbs(BigInteger serial, DERSequence subject, DERSequence subjectKey, DERSequence extensions) {
        return new DERSequence(new ASN1Encodable[] {
            new DERTaggedObject(true, 0, new ASN1Integer(2)),
            new ASN1Integer(serial),
            SIGNATURE_ALGORITHM,
            DEVICE_ID_NAME,
            VALIDITY,
            subject,
            subjectKey,
            new DERTaggedObject(true, 3, extensions)
        });
    }

    private static byte[] sign(DERSequence tbs, EcKeyPair signer, NoncePolicy nonce) {
        byte[] tbsDer = der(tbs);
        byte[] signature = EcdsaSigner.sign(tbsDer, signer, nonce);
        return der(new DERSequence(new ASN1Encodable[] {tbs, SIGNATURE_ALGORITHM, new DERBitString(signature)}));
    }

    /** CN, C, O, in that order, each a single-attribute SET with a UTF8String value. */
    private static DERSequence name(String commonName) {
        return new DERSequence(new ASN1Encodable[] {
            attribute(CN, commonName), attribute(C, COUNTRY), attribute(O, ORGANIZATION)
        });
    }

    private static DERSet attribute(ASN1ObjectIdentifier type, String value) {
        return new DERSet(new DERSequence(new ASN1Encodable[] {type, new DERUTF8String(value)}));
    }

    private static DERSequence extension(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
        DEROctetString octets = new DEROctetString(der(value));
        return critical
                ? new DERSequence(new ASN1Encodable[] {oid, ASN1Boolean.TRUE, octets})
                : new DERSequence(new ASN1Encodable[] {oid, octets});
    }

    static byte[] der(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
