package io.github.dpsplugin.core.riot;

import io.github.dpsplugin.core.dice.FirmwareMeasurement;
import io.github.dpsplugin.core.dice.Uds;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/** The DeviceID and Alias key pairs RIoT derives at boot (spec, steps 2 to 8). */
public final class RiotKeys {

    private final EcKeyPair deviceId;
    private final EcKeyPair alias;
    private final byte[] fwid;

    private RiotKeys(EcKeyPair deviceId, EcKeyPair alias, byte[] fwid) {
        this.deviceId = deviceId;
        this.alias = alias;
        this.fwid = fwid;
    }

    /** Derives both key pairs for one device; intermediate secrets are cleared before returning. */
    public static RiotKeys derive(Uds uds, FirmwareMeasurement firmware) {
        byte[] cdi = firmware.cdi(uds);
        byte[] cDigest = null;
        byte[] aliasSeed = null;
        byte[] fwid = firmware.fwid();
        try {
            MessageDigest sha256 = sha256();
            // "don't use the CDI directly": every later step uses H(CDI)
            cDigest = sha256.digest(cdi);
            BigInteger dId = RiotKdf.deriveScalar(cDigest, RiotKdf.IDENTITY_LABEL);
            sha256.update(cDigest);
            sha256.update(fwid);
            aliasSeed = sha256.digest();
            BigInteger dAlias = RiotKdf.deriveScalar(aliasSeed, RiotKdf.ALIAS_LABEL);
            return new RiotKeys(new EcKeyPair(dId), new EcKeyPair(dAlias), fwid);
        } finally {
            Arrays.fill(cdi, (byte) 0);
            if (cDigest != null) {
                Arrays.fill(cDigest, (byte) 0);
            }
            if (aliasSeed != null) {
                Arrays.fill(aliasSeed, (byte) 0);
            }
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    public EcKeyPair deviceId() {
        return deviceId;
    }

    public EcKeyPair alias() {
        return alias;
    }

    public byte[] fwid() {
        return fwid.clone();
    }
}
