package io.github.dpsplugin.core.verify;

import io.github.dpsplugin.core.DeviceCertificateGenerator;
import io.github.dpsplugin.core.DeviceCertificates;
import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.common.Hashes;
import io.github.dpsplugin.core.dice.FirmwareMeasurement;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.riot.P256;
import io.github.dpsplugin.core.x509.EcdsaSigner;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;

/**
 * Answers "will this device authenticate with this certificate, and if not, why?" for one
 * firmware: checks a certificate against what a DevKit running that firmware computes, and names
 * the cause of any difference (spec: the device presents the certificate it computes itself, and
 * DPS accepts it only if it is the very same certificate).
 *
 * <p>Without the UDS it checks what public facts allow: the DevKit alias layout, a valid
 * registration ID, the FWID against the firmware's riot_fw, the signature under the DeviceID key
 * the certificate carries, and the nonce policy (a DevKit signature has the fixed {@code r} of
 * the DevKit's nonce). With the UDS it also recomputes the certificate and compares the bytes;
 * only then is a changed riot_core (or a wrong UDS) visible, as a different DeviceID key.
 * Immutable and thread-safe.
 */
public final class CertificateVerifier {

    /** Check names, in report order. */
    public static final String CERTIFICATE = "certificate";
    public static final String LAYOUT = "layout";
    public static final String REGISTRATION_ID = "registrationId";
    public static final String FWID = "fwid";
    public static final String SIGNATURE = "signature";
    public static final String NONCE = "nonce";
    public static final String DEVICE_ID_KEY = "deviceIdKey";
    public static final String RECOMPUTE = "recompute";

    /**
     * {@code r} of every signature made with the DevKit's nonce: {@code r = x(k·G) mod n} depends on
     * {@code k} only (spec, "The signature: a fixed nonce").
     */
    static final BigInteger DEVKIT_R =
            P256.multiplyG(EcdsaSigner.DEVKIT_NONCE).getAffineXCoord().toBigInteger().mod(P256.N);

    private final FirmwareMeasurement firmware;
    private final NoncePolicy expectedNonce;

    private CertificateVerifier(FirmwareMeasurement firmware, NoncePolicy expectedNonce) {
        this.firmware = Objects.requireNonNull(firmware, "firmware");
        this.expectedNonce = expectedNonce;
    }

    /**
     * @param expectedNonce the nonce policy of the device's RIoT signer ({@link NoncePolicy#DEVKIT} for
     *     stock DevKit firmware), or {@code null} to accept either
     */
    public static CertificateVerifier of(FirmwareMeasurement firmware, NoncePolicy expectedNonce) {
        return new CertificateVerifier(firmware, expectedNonce);
    }

    public FirmwareMeasurement firmware() {
        return firmware;
    }

    /** The expected nonce policy, or {@code null} for either. */
    public NoncePolicy expectedNonce() {
        return expectedNonce;
    }

    /**
     * Checks one certificate.
     *
     * @param label how the user knows the certificate (e.g. its file name), for the report
     * @param der the certificate's DER
     * @param expectedId the registration ID it must carry, or {@code null}
     * @param uds the device's UDS to recompute the certificate with, or {@code null}; not closed
     */
    public CertificateReport verify(String label, byte[] der, RegistrationId expectedId, Uds uds) {
        return verify(label, der, expectedId, uds, null);
    }

    /** As {@link #verify(String, byte[], RegistrationId, Uds)}; {@code withoutUds}, when set, says why no UDS is given. */
    CertificateReport verify(String label, byte[] der, RegistrationId expectedId, Uds uds, String withoutUds) {
        Objects.requireNonNull(der, "der");
        String expected = expectedId == null ? null : expectedId.value();
        String sha1 = Hashes.upperHex(Hashes.sha1(der));
        AliasCertificate cert;
        try {
            cert = AliasCertificate.parse(der);
        } catch (AliasCertificate.Unreadable e) {
            return new CertificateReport(label, null, expected, sha1, unreadableChecks(e.getMessage()));
        }
        List<Check> checks = new ArrayList<>();
        checks.add(Check.pass(CERTIFICATE, "an X.509 certificate of " + der.length + " bytes"));
        String layout = cert.layoutProblem();
        checks.add(layout == null
                ? Check.pass(LAYOUT, "the DevKit alias certificate layout (issuer CN=devkitdice, C=US, O=DEVKIT_TEST;"
                        + " RIoT composite device ID in the subjectAltName), byte for byte")
                : Check.fail(LAYOUT, Cause.OTHER_TOOL_OR_PROFILE, "not the DevKit alias certificate layout: " + layout));
        RegistrationId id = registrationId(cert, expectedId, checks);
        checks.add(fwid(cert));
        Check signature = signature(cert);
        checks.add(signature);
        nonce(cert, signature.outcome() == Check.Outcome.PASS, checks);
        checks.add(recompute(cert, id, uds, signature.outcome() == Check.Outcome.PASS, withoutUds));
        return new CertificateReport(label, cert.commonName, expected, sha1, checks);
    }

    /** The report of a certificate that could not be read at all (e.g. a file without a certificate). */
    public static CertificateReport unreadable(String label, String why, RegistrationId expectedId) {
        return new CertificateReport(label, null, expectedId == null ? null : expectedId.value(), null,
                unreadableChecks(why));
    }

    private static List<Check> unreadableChecks(String why) {
        List<Check> checks = new ArrayList<>();
        checks.add(Check.fail(CERTIFICATE, Cause.NOT_A_CERTIFICATE, why));
        for (String name : new String[] {LAYOUT, REGISTRATION_ID, FWID, SIGNATURE, NONCE, RECOMPUTE}) {
            checks.add(Check.skip(name, "the certificate could not be read"));
        }
        return checks;
    }

    /** Adds the registrationId check; returns the certificate's ID when it is a valid one. */
    private static RegistrationId registrationId(AliasCertificate cert, RegistrationId expected, List<Check> checks) {
        if (cert.commonName == null) {
            checks.add(Check.skip(REGISTRATION_ID, "the certificate has no single subject CN"));
            return null;
        }
        RegistrationId id;
        try {
            id = RegistrationId.of(cert.commonName);
        } catch (DpsException e) {
            checks.add(Check.fail(REGISTRATION_ID, Cause.INVALID_REGISTRATION_ID, e.getMessage()));
            return null;
        }
        if (expected != null && !expected.equals(id)) {
            checks.add(Check.fail(REGISTRATION_ID, Cause.REGISTRATION_ID_DIFFERS, "the certificate is for '" + id
                    + "', but '" + expected + "' is expected"));
        } else if (id.exceedsDocumentedLimit()) {
            checks.add(Check.pass(REGISTRATION_ID, "'" + id + "'" + (expected != null ? ", as expected" : "")
                    + "; note: " + id.value().length() + " characters, more than the " + RegistrationId.DPS_DOCUMENTED_MAX
                    + " DPS documents for X.509 registration IDs"));
        } else {
            checks.add(Check.pass(REGISTRATION_ID, "'" + id + "'" + (expected != null ? ", as expected"
                    : ", a valid registration ID")));
        }
        return id;
    }

    private Check fwid(AliasCertificate cert) {
        if (cert.fwid == null) {
            return Check.skip(FWID, "the certificate carries no RIoT FWID");
        }
        String mine = hex(cert.fwid);
        if (Arrays.equals(cert.fwid, firmware.fwid())) {
            return Check.pass(FWID, mine + ", the SHA-256 of the firmware's riot_fw");
        }
        return Check.fail(FWID, Cause.RIOT_FW_CHANGED, "the certificate's FWID is " + mine + "; the firmware's riot_fw"
                + " gives " + firmware.fwidHex());
    }

    /** ECDSA P-256/SHA-256 over the TBS under the DeviceID key from the subjectAltName. */
    private static Check signature(AliasCertificate cert) {
        if (cert.deviceIdPublicKey == null) {
            return Check.skip(SIGNATURE, "the certificate carries no RIoT DeviceID key to verify the signature with");
        }
        if (cert.r == null) {
            return Check.fail(SIGNATURE, Cause.SIGNATURE_INVALID, "the signature value is not a DER ECDSA"
                    + " SEQUENCE { r, s }");
        }
        ECPoint q;
        try {
            q = P256.DOMAIN.getCurve().decodePoint(cert.deviceIdPublicKey);
            ECDSASigner verifier = new ECDSASigner();
            verifier.init(false, new ECPublicKeyParameters(q, P256.DOMAIN));
            if (verifier.verifySignature(Hashes.sha256(cert.tbsDer), cert.r, cert.s)) {
                return Check.pass(SIGNATURE, "verifies under the DeviceID key in the subjectAltName (ECDSA P-256,"
                        + " SHA-256)");
            }
        } catch (RuntimeException e) {
            return Check.fail(SIGNATURE, Cause.SIGNATURE_INVALID, "the DeviceID key in the subjectAltName is not a"
                    + " P-256 point (" + e.getMessage() + ")");
        }
        return Check.fail(SIGNATURE, Cause.SIGNATURE_INVALID, "does not verify under the DeviceID key in the"
                + " subjectAltName");
    }

    /** The nonce policy, seen from {@code r}; and the warning that goes with the DevKit's nonce. */
    private void nonce(AliasCertificate cert, boolean signatureValid, List<Check> checks) {
        if (!signatureValid) {
            checks.add(Check.skip(NONCE, "the signature does not verify, so its nonce says nothing"));
            return;
        }
        boolean devkit = DEVKIT_R.equals(cert.r);
        String seen = devkit ? "signed with the DevKit's fixed nonce (r = x(k*G) mod n for k = 0x0102...1f20)"
                : "signed with a nonce other than the DevKit's fixed one";
        if (expectedNonce == NoncePolicy.DEVKIT && !devkit) {
            checks.add(Check.fail(NONCE, Cause.NONCE_POLICY_DIFFERS, seen + ", but DevKit firmware signs with the"
                    + " fixed nonce (expected nonce policy devkit)"));
        } else if (expectedNonce == NoncePolicy.RFC6979 && devkit) {
            checks.add(Check.fail(NONCE, Cause.NONCE_POLICY_DIFFERS, seen + ", but the firmware is expected to sign"
                    + " with RFC 6979 (expected nonce policy rfc6979)"));
        } else {
            checks.add(Check.pass(NONCE, seen + (expectedNonce == null ? "" : ", as expected ("
                    + policyName(expectedNonce) + ")")));
        }
        if (devkit) {
            checks.add(Check.warn(DEVICE_ID_KEY, Cause.DEVICE_ID_KEY_RECOVERABLE, "d = (s*k - e)/r mod n with the"
                    + " public k"));
        }
    }

    /** With the UDS: recompute and compare byte for byte; on a difference, find which input differs. */
    private Check recompute(AliasCertificate cert, RegistrationId id, Uds uds, boolean signatureValid,
            String withoutUds) {
        if (uds == null) {
            return Check.skip(RECOMPUTE, (withoutUds != null ? withoutUds : "no UDS given") + ": a changed riot_core"
                    + " or UDS (a different DeviceID key) cannot be detected without it");
        }
        if (id == null) {
            return Check.skip(RECOMPUTE, "the certificate has no valid registration ID to recompute it for");
        }
        NoncePolicy first = expectedNonce != null ? expectedNonce : NoncePolicy.DEVKIT;
        NoncePolicy other = first == NoncePolicy.DEVKIT ? NoncePolicy.RFC6979 : NoncePolicy.DEVKIT;
        DeviceCertificates mine = DeviceCertificateGenerator.forMeasurement(firmware, first).generate(id, uds);
        if (Arrays.equals(mine.aliasCertificateDer(), cert.der)) {
            return Check.pass(RECOMPUTE, "identical, byte for byte, to the certificate this UDS and firmware give"
                    + " (nonce " + policyName(first) + ")");
        }
        byte[] deviceId = publicKeyBits(mine.deviceIdPublicKeyDer());
        if (cert.deviceIdPublicKey == null) {
            return Check.fail(RECOMPUTE, Cause.OTHER_TOOL_OR_PROFILE, "differs from the certificate this UDS and firmware"
                    + " give, and carries no RIoT DeviceID key to compare");
        }
        if (!Arrays.equals(deviceId, cert.deviceIdPublicKey)) {
            return Check.fail(RECOMPUTE, Cause.RIOT_CORE_OR_UDS_CHANGED, "the certificate's DeviceID key is "
                    + abbreviate(cert.deviceIdPublicKey) + ", but this UDS and the firmware's riot_core give "
                    + abbreviate(deviceId));
        }
        if (!Arrays.equals(mine.fwid(), cert.fwid)) {
            return Check.fail(RECOMPUTE, Cause.RIOT_FW_CHANGED, "same DeviceID key (riot_core and UDS unchanged), but"
                    + " the FWID differs");
        }
        if (!Arrays.equals(mine.aliasPublicKey(), cert.aliasPublicKey)) {
            return Check.fail(RECOMPUTE, Cause.OTHER_TOOL_OR_PROFILE, "same DeviceID key and FWID, but the Alias key"
                    + " is not the one RIoT derives from them");
        }
        if (cert.layoutProblem() != null) {
            return Check.fail(RECOMPUTE, Cause.OTHER_TOOL_OR_PROFILE, "same keys and FWID, but " + cert.layoutProblem());
        }
        // same TBS: only the signature differs
        if (!signatureValid) {
            return Check.fail(RECOMPUTE, Cause.SIGNATURE_INVALID, "same content as the certificate this UDS and"
                    + " firmware give, but the signature is not valid");
        }
        DeviceCertificates otherPolicy = DeviceCertificateGenerator.forMeasurement(firmware, other).generate(id, uds);
        if (Arrays.equals(otherPolicy.aliasCertificateDer(), cert.der)) {
            if (expectedNonce == null) {
                return Check.pass(RECOMPUTE, "identical, byte for byte, to the certificate this UDS and firmware give"
                        + " (nonce " + policyName(other) + ")");
            }
            return Check.fail(RECOMPUTE, Cause.NONCE_POLICY_DIFFERS, "identical to the certificate signed with the "
                    + policyName(other) + " nonce, but the device signs with the " + policyName(expectedNonce)
                    + " nonce");
        }
        return Check.fail(RECOMPUTE, Cause.OTHER_TOOL_OR_PROFILE, "same content and a valid signature, but signed with"
                + " a nonce that neither the DevKit nor RFC 6979 gives");
    }

    static String policyName(NoncePolicy p) {
        return p == null ? "any" : p.name().toLowerCase(Locale.ROOT);
    }

    private static byte[] publicKeyBits(byte[] subjectPublicKeyInfo) {
        return SubjectPublicKeyInfo.getInstance(subjectPublicKeyInfo).getPublicKeyData().getOctets();
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** A public key's first and last bytes, enough to tell two apart in a message. */
    private static String abbreviate(byte[] key) {
        String h = hex(key);
        return h.length() <= 24 ? h : h.substring(0, 12) + "..." + h.substring(h.length() - 8);
    }
}
