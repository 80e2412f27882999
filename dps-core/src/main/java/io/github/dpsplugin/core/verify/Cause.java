package io.github.dpsplugin.core.verify;

/**
 * Why a certificate would not authenticate (or, for {@link #DEVICE_ID_KEY_RECOVERABLE}, what the
 * user should know although it would). Each names the cause in words a user can act on; the names
 * are stable and appear in the JSON report.
 */
public enum Cause {

    /** The file holds no DER X.509 certificate. */
    NOT_A_CERTIFICATE("not a certificate: the file holds no DER X.509 certificate (PEM CERTIFICATE block or raw"
            + " DER)"),

    /**
     * The certificate is not laid out as the DevKit's RIoT code writes alias certificates (issuer,
     * names, extensions, encoding), or it is but no DevKit key derivation or nonce gives it.
     */
    OTHER_TOOL_OR_PROFILE("certificate produced by another tool or profile: it is not what the DevKit's RIoT code"
            + " computes, so no DevKit presents it"),

    /** The subject CN is not a registration ID that DPS accepts and the device can encode. */
    INVALID_REGISTRATION_ID("invalid registration ID: the subject CN is not an ID DPS accepts and the device can"
            + " encode"),

    /** The CN is not the registration ID expected (the device would enroll under another ID). */
    REGISTRATION_ID_DIFFERS("registration ID differs: the certificate's CN is not the expected registration ID;"
            + " DPS matches the enrollment by it"),

    /** FWID differs from the firmware's: riot_fw was rebuilt or updated. */
    RIOT_FW_CHANGED("riot_fw changed: a firmware rebuild or OTA changed the measured code; the enrollment must be"
            + " updated"),

    /** The DeviceID key differs: riot_core or the UDS is not what the certificate was computed from. */
    RIOT_CORE_OR_UDS_CHANGED("riot_core or UDS changed: the DeviceID key differs, so the measured RIoT core code"
            + " or the device secret is not the one the certificate was computed from (or the UDS is another"
            + " device's); the enrollment must be updated"),

    /** The signature does not verify under the DeviceID key the certificate carries. */
    SIGNATURE_INVALID("signature invalid: it does not verify under the DeviceID key in the certificate; the"
            + " certificate was altered or damaged"),

    /** Signed with another ECDSA nonce policy than the device's, so the device presents other bytes. */
    NONCE_POLICY_DIFFERS("nonce policy differs: the certificate is signed with another ECDSA nonce policy than the"
            + " device uses, so the device presents different bytes"),

    /**
     * The certificate is the one the device computes from the previous firmware given to verify:
     * a device not yet updated presents it; after the update it presents the new one.
     */
    PREVIOUS_FIRMWARE("certificate of the previous firmware: it is what the device computes from the previous"
            + " firmware, not from this one; the device presents it until it runs this firmware (a rollout keeps it"
            + " as the secondary certificate until finish)"),

    /** Given a previous firmware too, the certificate matches neither firmware. */
    NEITHER_FIRMWARE("matches neither firmware: the certificate is not what the device computes from this firmware"
            + " nor from the previous one"),

    /** A listed device has no certificate among those verified: the release leaves it out. */
    NO_CERTIFICATE("no certificate: the device is listed, but none of the certificates verified carries its"
            + " registration ID, so the release leaves it out"),

    /** A warning: the certificate's device is not among the listed devices (e.g. another shard's). */
    NOT_LISTED("not listed: the certificate's device is not among the listed devices (another shard's, or one no"
            + " longer listed); not a failure"),

    /** A warning: the DevKit's fixed nonce makes the DeviceID private key computable from the certificate. */
    DEVICE_ID_KEY_RECOVERABLE("DeviceID private key recoverable: signed with the DevKit's fixed ECDSA nonce, so"
            + " anyone holding this certificate can compute the device's DeviceID private key; DevKit firmware signs"
            + " this way, so treat the certificate as sensitive");

    private final String explanation;

    Cause(String explanation) {
        this.explanation = explanation;
    }

    /** What this cause means and what to do, in one sentence. */
    public String explanation() {
        return explanation;
    }
}
