package io.github.dpsplugin.core.x509;

/** How the ECDSA nonce {@code k} of a certificate signature is chosen (spec, "The signature: a fixed nonce"). */
public enum NoncePolicy {

    /**
     * The DevKit's constant nonce {@code k = 0x0102…1f20}: what DevKit firmware computes, so
     * required for certificates that must match the device. With {@code k} public, anyone holding
     * one signed certificate can compute the DeviceID private key.
     */
    DEVKIT,

    /**
     * A deterministic, secret nonce (RFC 6979, HMAC-SHA256), for firmware whose RIoT signer has
     * fixed the constant-nonce flaw. Not what stock DevKit firmware computes.
     */
    RFC6979
}
