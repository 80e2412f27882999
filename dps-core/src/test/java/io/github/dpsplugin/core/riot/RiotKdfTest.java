package io.github.dpsplugin.core.riot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.Vectors;
import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.FirmwareMeasurement;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.firmware.FirmwareImage;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

class RiotKdfTest {

    /** 01 00 00 00 "Identity" 00 00 01 00 00, written out byte by byte. */
    private static final byte[] IDENTITY_MESSAGE = {
        0x01, 0x00, 0x00, 0x00, 'I', 'd', 'e', 'n', 't', 'i', 't', 'y', 0x00, 0x00, 0x01, 0x00, 0x00
    };
    /** 01 00 00 00 "Alias" 00 00 01 00 00. */
    private static final byte[] ALIAS_MESSAGE = {
        0x01, 0x00, 0x00, 0x00, 'A', 'l', 'i', 'a', 's', 0x00, 0x00, 0x01, 0x00, 0x00
    };

    /** The P-256 order from the standard (FIPS 186-4 D.1.2.3), not from the code under test. */
    private static final BigInteger N =
            new BigInteger("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551", 16);

    private static byte[] hmac(byte[] key, byte[] msg) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(msg);
    }

    private static BigInteger littleEndian(byte[] b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            r[i] = b[b.length - 1 - i];
        }
        return new BigInteger(1, r);
    }

    private static byte[] toLittleEndian32(BigInteger v) {
        byte[] out = new byte[32];
        for (int i = 0; i < 32; i++) {
            out[i] = v.shiftRight(8 * i).byteValue();
        }
        return out;
    }

    @Test
    void theOrderIsP256s() {
        assertEquals(N, P256.N);
    }

    @Test
    void identityAndAliasMessagesAreTheDevicesLayout() throws Exception {
        Random rnd = new Random(6979);
        for (int i = 0; i < 50; i++) {
            byte[] key = new byte[32];
            rnd.nextBytes(key);
            assertEquals(littleEndian(hmac(key, IDENTITY_MESSAGE)), RiotKdf.deriveScalar(key, RiotKdf.IDENTITY_LABEL));
            assertEquals(littleEndian(hmac(key, ALIAS_MESSAGE)), RiotKdf.deriveScalar(key, RiotKdf.ALIAS_LABEL));
        }
    }

    @Test
    void theScalarIsReadLittleEndianNotBigEndian() throws Exception {
        byte[] key = new byte[32];
        Arrays.fill(key, (byte) 7);
        byte[] out = hmac(key, IDENTITY_MESSAGE);
        BigInteger bigEndian = new BigInteger(1, out);
        assertNotEquals(bigEndian, RiotKdf.deriveScalar(key, RiotKdf.IDENTITY_LABEL));
    }

    @Test
    void deriveDoesNotAlterTheKey() {
        byte[] key = new byte[32];
        new Random(1).nextBytes(key);
        byte[] copy = key.clone();
        RiotKdf.deriveScalar(key, RiotKdf.ALIAS_LABEL);
        assertArrayEquals(copy, key);
    }

    @Test
    void labelsAreCutTo32Bytes() throws Exception {
        String label40 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcd";
        byte[] msg = new byte[4 + 32 + 1 + 4];
        msg[0] = 1;
        System.arraycopy(label40.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, msg, 4, 32);
        msg[4 + 32 + 2] = 1;
        byte[] key = new byte[32];
        new Random(2).nextBytes(key);
        assertEquals(littleEndian(hmac(key, msg)), RiotKdf.deriveScalar(key, label40));
        assertEquals(RiotKdf.deriveScalar(key, label40.substring(0, 32)), RiotKdf.deriveScalar(key, label40));
    }

    private static void assertOutOfRange(byte[] hmacOut) {
        DpsException e = assertTimeoutPreemptively(Duration.ofSeconds(5),
                () -> assertThrows(DpsException.class, () -> RiotKdf.scalarFromHmac(hmacOut.clone(), "Identity")));
        assertEquals("uds", e.field());
        assertTrue(e.getMessage().contains("Identity"), e.getMessage());
        assertTrue(e.getMessage().contains("loop"), e.getMessage());
    }

    @Test
    void zeroIsRefused() {
        assertOutOfRange(new byte[32]);
    }

    @Test
    void allOnesIsRefused() {
        byte[] ff = new byte[32];
        Arrays.fill(ff, (byte) 0xff);
        assertTrue(littleEndian(ff).compareTo(N) >= 0);
        assertOutOfRange(ff);
    }

    @Test
    void theOrderItselfIsRefused() {
        byte[] n = toLittleEndian32(N);
        assertEquals(N, littleEndian(n));
        assertOutOfRange(n);
        assertOutOfRange(toLittleEndian32(N.add(BigInteger.ONE)));
    }

    @Test
    void theLargestAndSmallestValidScalarsAreAccepted() {
        BigInteger nMinus1 = N.subtract(BigInteger.ONE);
        assertEquals(nMinus1, RiotKdf.scalarFromHmac(toLittleEndian32(nMinus1), "Identity"));
        byte[] one = new byte[32];
        one[0] = 1; // little-endian 1
        assertEquals(BigInteger.ONE, RiotKdf.scalarFromHmac(one, "Alias"));
        byte[] high = new byte[32];
        high[31] = 1; // little-endian 2^248
        assertEquals(BigInteger.ONE.shiftLeft(248), RiotKdf.scalarFromHmac(high, "Alias"));
    }

    @Test
    void scalarFromHmacClearsItsInput() {
        byte[] out = toLittleEndian32(BigInteger.valueOf(123456789));
        RiotKdf.scalarFromHmac(out, "Alias");
        assertArrayEquals(new byte[32], out);
    }

    /** Steps 2 to 8 of the spec, recomputed here with the JDK and Bouncy Castle's named curve. */
    @Test
    void riotKeysFollowTheSpecSteps() throws Exception {
        Vectors.Case p01 = Vectors.cases().get(0);
        assertEquals("P01", p01.id());
        FirmwareMeasurement m = FirmwareMeasurement.of(FirmwareImage.read(p01.bin(), p01.map()));
        RiotKeys keys;
        byte[] cdi;
        try (Uds uds = Uds.fromHex(p01.text("uds"))) {
            keys = RiotKeys.derive(uds, m);
            cdi = m.cdi(uds);
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] cDigest = sha.digest(cdi);
        BigInteger dId = littleEndian(hmac(cDigest, IDENTITY_MESSAGE));
        sha.update(cDigest);
        sha.update(m.fwid());
        byte[] aliasSeed = sha.digest();
        BigInteger dAlias = littleEndian(hmac(aliasSeed, ALIAS_MESSAGE));
        assertEquals(dId, keys.deviceId().privateScalar());
        assertEquals(dAlias, keys.alias().privateScalar());
        assertArrayEquals(m.fwid(), keys.fwid());

        X9ECParameters curve = ECNamedCurveTable.getByName("P-256");
        for (EcKeyPair pair : new EcKeyPair[] {keys.deviceId(), keys.alias()}) {
            ECPoint q = curve.getG().multiply(pair.privateScalar()).normalize();
            byte[] expected = new byte[65];
            expected[0] = 4;
            byte[] x = q.getAffineXCoord().getEncoded();
            byte[] y = q.getAffineYCoord().getEncoded();
            System.arraycopy(x, 0, expected, 1, 32);
            System.arraycopy(y, 0, expected, 33, 32);
            assertArrayEquals(expected, pair.publicKeyUncompressed());
            assertTrue(pair.toString().contains(java.util.HexFormat.of().formatHex(expected)));
            assertTrue(!pair.toString().contains(pair.privateScalar().toString(16)));
        }
    }

    @Test
    void fromPrivateRejectsOutOfRangeScalars() {
        assertThrows(IllegalArgumentException.class, () -> EcKeyPair.fromPrivate(BigInteger.ZERO));
        assertThrows(IllegalArgumentException.class, () -> EcKeyPair.fromPrivate(N));
        assertThrows(IllegalArgumentException.class, () -> EcKeyPair.fromPrivate(BigInteger.ONE.negate()));
        assertEquals(BigInteger.ONE, EcKeyPair.fromPrivate(BigInteger.ONE).privateScalar());
    }
}
