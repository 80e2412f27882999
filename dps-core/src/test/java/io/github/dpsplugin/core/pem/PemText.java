package io.github.dpsplugin.core.pem;

import io.github.dpsplugin.core.riot.EcKeyPair;
import io.github.dpsplugin.core.x509.DiceCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.sec.ECPrivateKey;

/**
 * What the tests need beside {@link Pem} and production never does: the SEC 1 private key
 * encoding of the vectors' {@code alias-key.pem} (the plugin writes no private key).
 */
public final class PemText {

    public static final String EC_PRIVATE_KEY = "EC PRIVATE KEY";

    private PemText() {
    }

    /** The SEC 1 {@code ECPrivateKey} DER of a key pair: version 1, the 32-byte scalar, the curve OID, the public key. */
    public static byte[] ecPrivateKeyDer(EcKeyPair key) {
        try {
            return new ECPrivateKey(256, key.privateScalar(), new DERBitString(key.publicKeyUncompressed()),
                    DiceCertificates.PRIME256V1).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
