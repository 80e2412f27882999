package io.github.dpsplugin.core;

import io.github.dpsplugin.core.common.Hashes;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.pem.Pem;
import io.github.dpsplugin.core.pem.PemLayout;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Everything public that one device presents: its alias certificate (the one to enroll in DPS),
 * its self-signed DeviceID certificate, both public keys, the FWID and the thumbprints DPS and
 * the Azure portal show. Holds no secret. Immutable and thread-safe.
 */
public final class DeviceCertificates {

    /** Validity of both certificates, fixed by the device. */
    public static final Instant NOT_BEFORE = Instant.parse("2017-01-01T00:00:00Z");
    public static final Instant NOT_AFTER = Instant.parse("2037-01-01T00:00:00Z");

    private final RegistrationId registrationId;
    private final byte[] aliasCertificate;
    private final byte[] deviceIdCertificate;
    private final byte[] deviceIdPublicKeyInfo;
    private final byte[] aliasPublicKey;
    private final byte[] fwid;
    private final NoncePolicy noncePolicy;
    private final String aliasSha1;
    private final String aliasSha256;
    private final String deviceIdSha1;
    private final String deviceIdSha256;

    DeviceCertificates(RegistrationId registrationId, byte[] aliasCertificate, byte[] deviceIdCertificate,
            byte[] deviceIdPublicKeyInfo, byte[] aliasPublicKey, byte[] fwid, NoncePolicy noncePolicy) {
        this.registrationId = registrationId;
        this.aliasCertificate = aliasCertificate;
        this.deviceIdCertificate = deviceIdCertificate;
        this.deviceIdPublicKeyInfo = deviceIdPublicKeyInfo;
        this.aliasPublicKey = aliasPublicKey;
        this.fwid = fwid;
        this.noncePolicy = noncePolicy;
        // in a loop: each hash and hex call inlined once, not twice, into this constructor's compiled code
        String[] thumbprints = new String[4];
        for (int i = 0; i < 4; i++) {
            byte[] certificate = i < 2 ? aliasCertificate : deviceIdCertificate;
            thumbprints[i] = Hashes.upperHex(i % 2 == 0 ? Hashes.sha1(certificate) : Hashes.sha256(certificate));
        }
        this.aliasSha1 = thumbprints[0];
        this.aliasSha256 = thumbprints[1];
        this.deviceIdSha1 = thumbprints[2];
        this.deviceIdSha256 = thumbprints[3];
    }

    public RegistrationId registrationId() {
        return registrationId;
    }

    /** The alias certificate, DER: the certificate to upload for DPS individual enrollment. */
    public byte[] aliasCertificateDer() {
        return aliasCertificate.clone();
    }

    public String aliasCertificatePem(PemLayout layout) {
        return Pem.encode(Pem.CERTIFICATE, aliasCertificate, layout);
    }

    /** {@link #aliasCertificatePem} as the bytes of its file (US-ASCII). */
    public byte[] aliasCertificatePemBytes(PemLayout layout) {
        return Pem.encodeAscii(Pem.CERTIFICATE, aliasCertificate, layout);
    }

    /** The self-signed DeviceID certificate, DER (for group enrollment and chain checks). */
    public byte[] deviceIdCertificateDer() {
        return deviceIdCertificate.clone();
    }

    public String deviceIdCertificatePem(PemLayout layout) {
        return Pem.encode(Pem.CERTIFICATE, deviceIdCertificate, layout);
    }

    /** {@link #deviceIdCertificatePem} as the bytes of its file (US-ASCII). */
    public byte[] deviceIdCertificatePemBytes(PemLayout layout) {
        return Pem.encodeAscii(Pem.CERTIFICATE, deviceIdCertificate, layout);
    }

    /** The DeviceID public key as DER {@code SubjectPublicKeyInfo}. */
    public byte[] deviceIdPublicKeyDer() {
        return deviceIdPublicKeyInfo.clone();
    }

    public String deviceIdPublicKeyPem(PemLayout layout) {
        return Pem.encode(Pem.PUBLIC_KEY, deviceIdPublicKeyInfo, layout);
    }

    /** The Alias public key, {@code 04 || X || Y}. */
    public byte[] aliasPublicKey() {
        return aliasPublicKey.clone();
    }

    /** SHA-256 of the riot_fw range, as carried in the alias certificate. */
    public byte[] fwid() {
        return fwid.clone();
    }

    public String fwidHex() {
        return HexFormat.of().formatHex(fwid);
    }

    public NoncePolicy noncePolicy() {
        return noncePolicy;
    }

    /** SHA-1 of the alias certificate DER, upper-case hex, as the Azure portal shows thumbprints. */
    public String aliasSha1Thumbprint() {
        return aliasSha1;
    }

    /** SHA-256 of the alias certificate DER, upper-case hex. */
    public String aliasSha256Thumbprint() {
        return aliasSha256;
    }

    public String deviceIdSha1Thumbprint() {
        return deviceIdSha1;
    }

    public String deviceIdSha256Thumbprint() {
        return deviceIdSha256;
    }

    public Instant notBefore() {
        return NOT_BEFORE;
    }

    public Instant notAfter() {
        return NOT_AFTER;
    }

    @Override
    public String toString() {
        return "DeviceCertificates[" + registrationId + ", alias SHA-1 " + aliasSha1Thumbprint() + "]";
    }
}
