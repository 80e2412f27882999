package io.github.dpsplugin.core;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The JDK's X.509 parser as the tests' independent reader of our certificates. The DevKit's
 * subjectAltName otherName has no inner {@code [0] EXPLICIT} around its value (spec: the alias
 * certificate's layout), which JDK 17 reads and JDK 25 refuses ("value is not EXPLICTly tagged
 * [0]"); only for exactly that refusal, Bouncy Castle's parser (as an instance, no global provider)
 * reads the certificate instead.
 */
public final class X509Parsing {

    private X509Parsing() {
    }

    /** Whether {@code e} is the JDK refusing the DevKit's otherName encoding. */
    public static boolean isOtherNameRefusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            if (m.contains("EXPLICTly tagged [0]") || m.contains("EXPLICITly tagged [0]")) {
                return true;
            }
        }
        return false;
    }

    public static X509Certificate parse(byte[] der) throws CertificateException {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateParsingException e) {
            if (!isOtherNameRefusal(e)) {
                throw e;
            }
            return (X509Certificate) CertificateFactory.getInstance("X.509", new BouncyCastleProvider())
                    .generateCertificate(new ByteArrayInputStream(der));
        }
    }
}
