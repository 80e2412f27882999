package io.github.dpsplugin.core.pem;

/** How PEM text is laid out. The DER inside is the same either way. */
public enum PemLayout {

    /**
     * As the reference tool writes it (spec, "PEM as the reference writes it"): the whole base64
     * text on one line. Files are then byte-identical to the old tool's; the default.
     */
    ONE_LINE,

    /** RFC 7468: base64 wrapped at 64 columns, as OpenSSL and most writers produce. */
    RFC7468
}
