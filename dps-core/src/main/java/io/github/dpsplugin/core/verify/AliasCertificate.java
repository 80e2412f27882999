package io.github.dpsplugin.core.verify;

import io.github.dpsplugin.core.x509.DiceCertificates;
import java.io.IOException;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.BERTags;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * What {@code verify} reads from a certificate that should be a DevKit alias certificate (spec,
 * "The alias certificate"): subject CN, Alias public key, the RIoT composite device ID (DeviceID
 * public key and FWID), the signature. Parsing is lenient, so that a certificate from another
 * tool still yields what it has; {@link #layoutProblem()} then says where it departs from the
 * DevKit's layout, found by rebuilding the TBS the DevKit would write for the same public values
 * and comparing the bytes.
 */
final class AliasCertificate {

    private static final ASN1ObjectIdentifier ECDSA_WITH_SHA256 = new ASN1ObjectIdentifier("1.2.840.10045.4.3.2");
    private static final ASN1ObjectIdentifier SHA256 = new ASN1ObjectIdentifier("2.16.840.1.101.3.4.2.1");
    private static final String[] TBS_FIELDS = {"version", "serial number", "signature algorithm", "issuer",
        "validity", "subject", "subject public key", "extensions"};

    final byte[] der;
    final byte[] tbsDer;
    final String commonName;
    final byte[] aliasPublicKey;
    final byte[] deviceIdPublicKey;
    final byte[] fwid;
    final BigInteger r;
    final BigInteger s;
    private final String layoutProblem;

    /** The input is not an X.509 certificate at all. */
    static final class Unreadable extends Exception {
        private static final long serialVersionUID = 1L;

        Unreadable(String message) {
            super(message);
        }
    }

    private AliasCertificate(byte[] der, Certificate c) {
        this.der = der;
        this.tbsDer = encode(c.getTBSCertificate());
        this.commonName = commonName(c.getSubject());
        this.aliasPublicKey = bitStringBytes(c.getSubjectPublicKeyInfo());
        byte[][] riot = riotCompositeId(c.getTBSCertificate().getExtensions());
        this.deviceIdPublicKey = riot == null ? null : riot[0];
        this.fwid = riot == null ? null : riot[1];
        BigInteger[] rs = signature(c);
        this.r = rs == null ? null : rs[0];
        this.s = rs == null ? null : rs[1];
        this.layoutProblem = layoutProblem(c);
    }

    static AliasCertificate parse(byte[] der) throws Unreadable {
        ASN1Primitive p;
        try {
            p = ASN1Primitive.fromByteArray(der);
        } catch (IOException | RuntimeException e) {
            throw new Unreadable("not ASN.1 DER (" + e.getMessage() + ")");
        }
        Certificate c;
        try {
            c = Certificate.getInstance(p);
        } catch (RuntimeException e) {
            throw new Unreadable("ASN.1, but not an X.509 certificate (" + e.getMessage() + ")");
        }
        try {
            return new AliasCertificate(der.clone(), c);
        } catch (RuntimeException e) {
            throw new Unreadable("an X.509 certificate that cannot be read (" + e.getMessage() + ")");
        }
    }

    /** Where the certificate departs from the DevKit alias layout, or {@code null} when it has it exactly. */
    String layoutProblem() {
        return layoutProblem;
    }

    private String layoutProblem(Certificate c) {
        if (!Arrays.equals(encode(c), der)) {
            return "it is not encoded in DER as the device encodes it (BER or non-minimal lengths)";
        }
        if (!new DERSequence(ECDSA_WITH_SHA256).equals(c.getSignatureAlgorithm().toASN1Primitive())) {
            return "its signature algorithm is " + c.getSignatureAlgorithm().getAlgorithm()
                    + "; the DevKit signs with ecdsa-with-SHA256 (" + ECDSA_WITH_SHA256 + ", no parameters)";
        }
        if (commonName == null) {
            return "its subject has no single common name (CN); the DevKit writes CN=<registration ID>, C=US,"
                    + " O=DEVKIT_TEST";
        }
        if (aliasPublicKey == null) {
            return "its subject public key is not a BIT STRING of whole bytes";
        }
        if (deviceIdPublicKey == null) {
            return "it has no RIoT composite device ID (subjectAltName otherName " + DiceCertificates.RIOT_COMPOSITE_ID
                    + " with the DeviceID key and a SHA-256 FWID), which every DevKit alias certificate carries";
        }
        byte[] expected = DiceCertificates.aliasTbsDer(commonName, aliasPublicKey, deviceIdPublicKey, fwid);
        if (Arrays.equals(expected, tbsDer)) {
            return null;
        }
        ASN1Sequence mine = ASN1Sequence.getInstance(c.getTBSCertificate().toASN1Primitive());
        ASN1Sequence devkit = ASN1Sequence.getInstance(expected);
        if (mine.size() != devkit.size()) {
            return "its TBS has " + mine.size() + " fields (" + (mine.size() < devkit.size() ? "no" : "with")
                    + " optional ones); the DevKit writes " + devkit.size();
        }
        for (int i = 0; i < devkit.size(); i++) {
            ASN1Encodable a = mine.getObjectAt(i);
            ASN1Encodable b = devkit.getObjectAt(i);
            if (!Arrays.equals(encode(a), encode(b))) {
                return "its " + TBS_FIELDS[i] + " differs from the DevKit's: " + describe(i, a) + " where the DevKit"
                        + " writes " + describe(i, b);
            }
        }
        return "its TBS differs from the DevKit's"; // not reached: some field differs
    }

    private static String describe(int field, ASN1Encodable value) {
        if (field == 1) {
            return "0x" + ASN1Integer.getInstance(value).getValue().toString(16).toUpperCase(java.util.Locale.ROOT);
        }
        if (field == 3 || field == 5) {
            StringBuilder sb = new StringBuilder();
            X500Name name = X500Name.getInstance(value);
            for (RDN rdn : name.getRDNs()) {
                for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                    String type = BCStyle.INSTANCE.oidToDisplayName(atv.getType());
                    sb.append(sb.length() == 0 ? "" : ", ").append(type == null ? atv.getType().getId() : type)
                            .append('=').append(atv.getValue() instanceof ASN1String
                                    ? ((ASN1String) atv.getValue()).getString() : "?")
                            .append(" (").append(stringType(atv.getValue())).append(')');
                }
            }
            return "'" + sb + "'";
        }
        String hex = HexFormat.of().formatHex(encode(value));
        return hex.length() > 96 ? hex.substring(0, 96) + "..." : hex;
    }

    private static String stringType(ASN1Encodable v) {
        String n = v.toASN1Primitive().getClass().getSimpleName();
        return n.startsWith("DER") || n.startsWith("DL") ? n.replaceFirst("^(DER|DL)", "") : n;
    }

    private static String commonName(X500Name subject) {
        RDN[] cns = subject.getRDNs(BCStyle.CN);
        if (cns.length != 1 || cns[0].isMultiValued()) {
            return null;
        }
        ASN1Encodable v = cns[0].getFirst().getValue();
        return v instanceof ASN1String ? ((ASN1String) v).getString() : null;
    }

    private static byte[] bitStringBytes(SubjectPublicKeyInfo spki) {
        try {
            return spki.getPublicKeyData().getOctets();
        } catch (RuntimeException e) {
            return null; // unused bits: not a key the DevKit writes
        }
    }

    /**
     * {DeviceID public key, FWID} from the subjectAltName's RIoT otherName:
     * {@code [0] IMPLICIT { OID 1.3.6.1.4.1.311.89.3.1, SEQUENCE { INTEGER 1, SPKI, SEQUENCE { sha256, OCTET STRING } } }}
     * (spec, "The alias certificate"); {@code null} when absent or shaped otherwise.
     */
    private static byte[][] riotCompositeId(Extensions extensions) {
        if (extensions == null) {
            return null;
        }
        Extension san = extensions.getExtension(Extension.subjectAlternativeName);
        if (san == null) {
            return null;
        }
        try {
            ASN1Sequence names = ASN1Sequence.getInstance(san.getParsedValue());
            for (ASN1Encodable n : names) {
                if (!(n instanceof ASN1TaggedObject)) {
                    continue;
                }
                ASN1TaggedObject t = (ASN1TaggedObject) n;
                if (t.getTagClass() != BERTags.CONTEXT_SPECIFIC || t.getTagNo() != 0) {
                    continue;
                }
                ASN1Sequence other = ASN1Sequence.getInstance(t, false);
                if (other.size() != 2 || !DiceCertificates.RIOT_COMPOSITE_ID.equals(other.getObjectAt(0))) {
                    continue;
                }
                ASN1Sequence composite = ASN1Sequence.getInstance(other.getObjectAt(1));
                SubjectPublicKeyInfo deviceId = SubjectPublicKeyInfo.getInstance(composite.getObjectAt(1));
                ASN1Sequence fwid = ASN1Sequence.getInstance(composite.getObjectAt(2));
                if (!SHA256.equals(fwid.getObjectAt(0))) {
                    return null;
                }
                byte[] key = deviceId.getPublicKeyData().getOctets();
                return new byte[][] {key, ASN1OctetString.getInstance(fwid.getObjectAt(1)).getOctets()};
            }
            return null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** {r, s} from the signature BIT STRING's {@code SEQUENCE { INTEGER r, INTEGER s }}, or {@code null}. */
    private static BigInteger[] signature(Certificate c) {
        try {
            ASN1Sequence rs = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(c.getSignature().getOctets()));
            if (rs.size() != 2) {
                return null;
            }
            return new BigInteger[] {ASN1Integer.getInstance(rs.getObjectAt(0)).getValue(),
                ASN1Integer.getInstance(rs.getObjectAt(1)).getValue()};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static byte[] encode(ASN1Encodable value) {
        try {
            return value.toASN1Primitive().getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
