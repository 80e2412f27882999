package io.github.dpsplugin.core.pem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.Vectors;
import io.github.dpsplugin.core.riot.EcKeyPair;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.junit.jupiter.api.Test;

class PemTest {

    private static byte[] random(int seed, int length) {
        byte[] b = new byte[length];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Lines of {@code text}, which must end with LF; the terminators are checked and dropped. */
    private static List<String> lines(String text) {
        assertTrue(text.endsWith("\n"), "ends with LF");
        assertTrue(!text.contains("\r"), "no CR");
        return Arrays.asList(text.substring(0, text.length() - 1).split("\n", -1));
    }

    @Test
    void oneLineLayout() {
        for (int len = 1; len <= 300; len++) {
            byte[] der = random(len, len);
            String pem = Pem.encode(Pem.CERTIFICATE, der, PemLayout.ONE_LINE);
            List<String> lines = lines(pem);
            assertEquals(3, lines.size(), pem);
            assertEquals("-----BEGIN CERTIFICATE-----", lines.get(0));
            assertEquals(Base64.getEncoder().encodeToString(der), lines.get(1));
            assertEquals("-----END CERTIFICATE-----", lines.get(2));
        }
    }

    @Test
    void rfc7468LinesAreAtMost64Characters() {
        for (int len = 1; len <= 300; len++) {
            byte[] der = random(1000 + len, len);
            String pem = Pem.encode(Pem.PUBLIC_KEY, der, PemLayout.RFC7468);
            List<String> lines = lines(pem);
            assertEquals("-----BEGIN PUBLIC KEY-----", lines.get(0));
            assertEquals("-----END PUBLIC KEY-----", lines.get(lines.size() - 1));
            List<String> body = lines.subList(1, lines.size() - 1);
            int expectedLines = (Base64.getEncoder().encodeToString(der).length() + 63) / 64;
            assertEquals(expectedLines, body.size(), "length " + len);
            for (int i = 0; i < body.size(); i++) {
                String line = body.get(i);
                assertTrue(line.length() <= 64, line);
                assertTrue(!line.isEmpty(), "no empty line");
                if (i < body.size() - 1) {
                    assertEquals(64, line.length(), "full lines except the last");
                }
            }
            assertEquals(Base64.getEncoder().encodeToString(der), String.join("", body));
        }
    }

    @Test
    void decodeInvertsEncodeForBothLayoutsAndCrlf() {
        for (int len = 1; len <= 300; len++) {
            byte[] der = random(2000 + len, len);
            for (PemLayout layout : PemLayout.values()) {
                String pem = Pem.encode(Pem.CERTIFICATE, der, layout);
                assertArrayEquals(der, Pem.decode(Pem.CERTIFICATE, pem), layout + " " + len);
                assertArrayEquals(der, Pem.decode(Pem.CERTIFICATE, pem.replace("\n", "\r\n")), "CRLF " + layout);
                assertArrayEquals(pem.getBytes(StandardCharsets.US_ASCII), Pem.encode(Pem.CERTIFICATE, der, layout).getBytes(StandardCharsets.US_ASCII));
            }
        }
    }

    @Test
    void decodePicksTheBlockWithTheLabel() {
        byte[] a = random(1, 40);
        byte[] b = random(2, 90);
        String text = "some preamble\n" + Pem.encode(Pem.PUBLIC_KEY, a, PemLayout.RFC7468)
                + Pem.encode(Pem.CERTIFICATE, b, PemLayout.ONE_LINE);
        assertArrayEquals(a, Pem.decode(Pem.PUBLIC_KEY, text));
        assertArrayEquals(b, Pem.decode(Pem.CERTIFICATE, text));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Pem.decode(PemText.EC_PRIVATE_KEY, text));
        assertTrue(e.getMessage().contains(PemText.EC_PRIVATE_KEY), e.getMessage());
    }

    @Test
    void mismatchedFooterIsNotABlock() {
        String text = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END PUBLIC KEY-----\n";
        assertThrows(IllegalArgumentException.class, () -> Pem.decode(Pem.CERTIFICATE, text));
    }

    @Test
    void everyVectorPemIsReproducedByTheOneLineLayout() throws Exception {
        int n = 0;
        try (Stream<Path> files = Files.walk(Vectors.DIR)) {
            for (Path p : (Iterable<Path>) files.filter(f -> f.toString().endsWith(".pem"))::iterator) {
                String text = Files.readString(p, StandardCharsets.US_ASCII);
                String label = text.substring("-----BEGIN ".length(), text.indexOf("-----", 5));
                byte[] der = Pem.decode(label, text);
                assertEquals(text, Pem.encode(label, der, PemLayout.ONE_LINE), p.toString());
                assertArrayEquals(der, Pem.decode(label, Pem.encode(label, der, PemLayout.RFC7468)));
                n++;
            }
        }
        assertTrue(n >= 4 * 19, "pem files: " + n);
    }

    @Test
    void ecPrivateKeyDerIsSec1() throws Exception {
        EcKeyPair key = EcKeyPair.fromPrivate(new BigInteger("0102030405", 16));
        ECPrivateKey parsed = ECPrivateKey.getInstance(PemText.ecPrivateKeyDer(key));
        assertEquals(key.privateScalar(), parsed.getKey());
        assertArrayEquals(key.publicKeyUncompressed(), parsed.getPublicKey().getOctets());
        assertEquals("1.2.840.10045.3.1.7", parsed.getParametersObject().toString());
        // the scalar is a 32-byte OCTET STRING even when small: 30 77 02 01 01 04 20 00 .. 01 02 03 04 05
        byte[] der = PemText.ecPrivateKeyDer(key);
        assertEquals(0x77, der[1]);
        assertEquals(0x20, der[6]);
    }

    @Test
    void theFileBytesAreTheTextsAsciiForEveryLengthAndLayout() {
        for (PemLayout layout : PemLayout.values()) {
            for (String label : new String[] {Pem.CERTIFICATE, Pem.PUBLIC_KEY}) {
                for (int length = 0; length <= 200; length++) {
                    byte[] der = random(length, length);
                    assertArrayEquals(Pem.encode(label, der, layout).getBytes(StandardCharsets.US_ASCII),
                            Pem.encodeAscii(label, der, layout), layout + " " + label + " " + length);
                }
            }
        }
    }
}
