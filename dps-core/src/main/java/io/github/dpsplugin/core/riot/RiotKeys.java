package io.github.dpsplugin.core.riot;

import io.github.dpsplugin.core.Hashes;
import io.github.dpsplugin.core.dice.FirmwareMeasurement;
import io.github.dpsplugin.core.dice.Uds;
import java.math.BigInteger;
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
        return derive(uds, firmware, BaseMultiplier.COMB);
    }

    /** As {@link #derive(Uds, FirmwareMeasurement)}, computing the public keys with {@code multiplier}. */
    public static RiotKeys derive(Uds uds, FirmwareMeasurement firmware, BaseMultiplier multiplier) {
        byte[] cdi = firmware.cdi(uds);
        byte[] cDigest = null;
        byte[] aliasSeed = null;
        byte[] fwid = firmware.fwid();
        try {
            // "don't use the CDI directly": every later step uses H(CDI)
            cDigest = Hashes.sha256(cdi);
            BigInteger dId = RiotKdf.deriveScalar(cDigest, RiotKdf.IDENTITY_LABEL);
            aliasSeed = Hashes.sha256(cDigest, fwid);
            BigInteger dAlias = RiotKdf.deriveScalar(aliasSeed, RiotKdf.ALIAS_LABEL);
            EcKeyPair[] pairs = EcKeyPair.fromPrivate(multiplier, dId, dAlias);
            return new RiotKeys(pairs[0], pairs[1], fwid);
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

    /**
     * The keys one UDS gives under two firmwares, for a rollout: {@code [current, previous]}. An OTA
     * update that keeps riot_core (the usual case) keeps the CDI and so the DeviceID pair (spec,
     * steps 2 to 4); it is then derived once and shared, and only the Alias pairs differ (step 5 on).
     */
    public static RiotKeys[] deriveTwo(Uds uds, FirmwareMeasurement current, FirmwareMeasurement previous,
            BaseMultiplier multiplier) {
        if (!Arrays.equals(current.riotCoreDigest(), previous.riotCoreDigest())) {
            return new RiotKeys[] {derive(uds, current, multiplier), derive(uds, previous, multiplier)};
        }
        byte[] cdi = current.cdi(uds);
        byte[] cDigest = null;
        byte[] seedNow = null;
        byte[] seedBefore = null;
        byte[] fwidNow = current.fwid();
        byte[] fwidBefore = previous.fwid();
        try {
            cDigest = Hashes.sha256(cdi);
            BigInteger dId = RiotKdf.deriveScalar(cDigest, RiotKdf.IDENTITY_LABEL);
            seedNow = Hashes.sha256(cDigest, fwidNow);
            seedBefore = Hashes.sha256(cDigest, fwidBefore);
            EcKeyPair[] pairs = EcKeyPair.fromPrivate(multiplier, dId,
                    RiotKdf.deriveScalar(seedNow, RiotKdf.ALIAS_LABEL), RiotKdf.deriveScalar(seedBefore, RiotKdf.ALIAS_LABEL));
            return new RiotKeys[] {new RiotKeys(pairs[0], pairs[1], fwidNow), new RiotKeys(pairs[0], pairs[2], fwidBefore)};
        } finally {
            Arrays.fill(cdi, (byte) 0);
            for (byte[] b : new byte[][] {cDigest, seedNow, seedBefore}) {
                if (b != null) {
                    Arrays.fill(b, (byte) 0);
                }
            }
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
