package io.github.dpsplugin.core.x509;

import java.util.Arrays;

/**
 * Both certificates as fixed byte layouts (spec, "The alias certificate", "The DeviceID
 * certificate"): every part the same for all devices was encoded once by Bouncy Castle's ASN.1
 * classes in {@link DiceCertificates}; per device only the public keys, the FWID and the common
 * name are copied in, and the few lengths that follow the common name's and the signature's
 * length are written. The layout cannot drift from Bouncy Castle's encoding: tests compare the
 * two for every common-name length and many keys.
 */
final class CertificateTemplates {

    /** Placeholders marking where the variable parts go in the encodings built once. */
    private static final byte[] ALIAS_KEY_MARK = mark((byte) 0xA5, 65);
    private static final byte[] DEVICE_ID_KEY_MARK = mark((byte) 0x5A, 65);
    private static final byte[] FWID_MARK = mark((byte) 0xC3, 32);

    static byte[] aliasKeyMark() {
        return ALIAS_KEY_MARK.clone();
    }

    static byte[] deviceIdKeyMark() {
        return DEVICE_ID_KEY_MARK.clone();
    }

    static byte[] fwidMark() {
        return FWID_MARK.clone();
    }

    /** version, serial, signature algorithm, issuer and validity of the alias certificate. */
    private final byte[] aliasHead;
    /** The alias TBS after its subject: SubjectPublicKeyInfo and extensions. */
    private final byte[] aliasTail;
    private final int aliasKeyAt;
    private final int deviceIdKeyAt;
    private final int fwidAt;
    /** The common name's AttributeTypeAndValue up to its value: {@code 06 03 55 04 03}. */
    private final byte[] cnType;
    /** The subject's country and organisation RDNs. */
    private final byte[] subjectRest;
    /** The whole DeviceID TBS and where its key goes. */
    private final byte[] deviceIdTbs;
    private final int deviceIdTbsKeyAt;
    /** {@code SEQUENCE { ecdsa-with-SHA256 }}. */
    private final byte[] signatureAlgorithm;

    CertificateTemplates(byte[] aliasHead, byte[] aliasTail, byte[] cnType, byte[] subjectRest, byte[] deviceIdTbs,
            byte[] signatureAlgorithm) {
        this.aliasHead = aliasHead;
        this.aliasTail = aliasTail;
        this.cnType = cnType;
        this.subjectRest = subjectRest;
        this.deviceIdTbs = deviceIdTbs;
        this.signatureAlgorithm = signatureAlgorithm;
        this.aliasKeyAt = find(aliasTail, ALIAS_KEY_MARK);
        this.deviceIdKeyAt = find(aliasTail, DEVICE_ID_KEY_MARK);
        this.fwidAt = find(aliasTail, FWID_MARK);
        this.deviceIdTbsKeyAt = find(deviceIdTbs, DEVICE_ID_KEY_MARK);
    }

    /** The alias TBS for a common name (UTF-8, at most 126 bytes), two {@code 04||X||Y} keys and a FWID. */
    byte[] aliasTbs(byte[] commonName, byte[] aliasKey, byte[] deviceIdKey, byte[] fwid) {
        int cn = commonName.length;
        int atv = cnType.length + headerLength(cn) + cn;
        int rdn = headerLength(atv) + atv;
        int name = headerLength(rdn) + rdn + subjectRest.length;
        int content = aliasHead.length + headerLength(name) + name + aliasTail.length;
        byte[] out = new byte[headerLength(content) + content];
        int at = header(out, 0, 0x30, content);
        at = put(out, at, aliasHead);
        at = header(out, at, 0x30, name);
        at = header(out, at, 0x31, rdn);
        at = header(out, at, 0x30, atv);
        at = put(out, at, cnType);
        at = header(out, at, 0x0C, cn); // UTF8String
        at = put(out, at, commonName);
        at = put(out, at, subjectRest);
        int tail = at;
        at = put(out, at, aliasTail);
        System.arraycopy(aliasKey, 0, out, tail + aliasKeyAt, 65);
        System.arraycopy(deviceIdKey, 0, out, tail + deviceIdKeyAt, 65);
        System.arraycopy(fwid, 0, out, tail + fwidAt, 32);
        return out;
    }

    /** The DeviceID TBS for its {@code 04||X||Y} key. */
    byte[] deviceIdTbs(byte[] deviceIdKey) {
        byte[] out = deviceIdTbs.clone();
        System.arraycopy(deviceIdKey, 0, out, deviceIdTbsKeyAt, 65);
        return out;
    }

    /** {@code SEQUENCE { tbs, signatureAlgorithm, BIT STRING (0 unused bits) signature }}. */
    byte[] certificate(byte[] tbs, byte[] signatureDer) {
        int bits = 1 + signatureDer.length;
        int content = tbs.length + signatureAlgorithm.length + headerLength(bits) + bits;
        byte[] out = new byte[headerLength(content) + content];
        int at = header(out, 0, 0x30, content);
        at = put(out, at, tbs);
        at = put(out, at, signatureAlgorithm);
        at = header(out, at, 0x03, bits);
        out[at++] = 0; // unused bits
        put(out, at, signatureDer);
        return out;
    }

    private static int put(byte[] out, int at, byte[] part) {
        System.arraycopy(part, 0, out, at, part.length);
        return at + part.length;
    }

    /** Tag and DER definite length (short form below 128, else 81 or 82): these certificates stay under 64 KB. */
    private static int header(byte[] out, int at, int tag, int length) {
        out[at++] = (byte) tag;
        if (length < 0x80) {
            out[at++] = (byte) length;
        } else if (length < 0x100) {
            out[at++] = (byte) 0x81;
            out[at++] = (byte) length;
        } else if (length < 0x10000) {
            out[at++] = (byte) 0x82;
            out[at++] = (byte) (length >>> 8);
            out[at++] = (byte) length;
        } else {
            throw new IllegalArgumentException("length " + length);
        }
        return at;
    }

    private static int headerLength(int length) {
        return length < 0x80 ? 2 : length < 0x100 ? 3 : 4;
    }

    private static byte[] mark(byte value, int length) {
        byte[] b = new byte[length];
        Arrays.fill(b, value);
        b[0] = 4;
        return b;
    }

    /** The one position of {@code mark} in {@code in}; a layout without exactly one is a bug. */
    private static int find(byte[] in, byte[] mark) {
        int found = -1;
        for (int i = 0; i + mark.length <= in.length; i++) {
            if (Arrays.equals(in, i, i + mark.length, mark, 0, mark.length)) {
                if (found >= 0) {
                    throw new IllegalStateException("placeholder found twice");
                }
                found = i;
            }
        }
        if (found < 0) {
            throw new IllegalStateException("placeholder not found");
        }
        return found;
    }
}
