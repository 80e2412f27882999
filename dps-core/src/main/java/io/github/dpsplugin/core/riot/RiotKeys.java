package io.github.dpsplugin.core.riot;

import io.github.dpsplugin.core.common.Hashes;
import io.github.dpsplugin.core.dice.FirmwareMeasurement;
import io.github.dpsplugin.core.dice.Uds;
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
        return derive(uds, firmware, BaseMultiplier.TABLE);
    }

    /** As {@link #derive(Uds, FirmwareMeasurement)}, computing the public keys with {@code multiplier}. */
    public static RiotKeys derive(Uds uds, FirmwareMeasurement firmware, BaseMultiplier multiplier) {
        return deriveAll(new Uds[] {uds}, firmware, multiplier)[0];
    }

    /**
     * The keys of many devices under one firmware, {@code [i]} for {@code uds[i]}, with one field
     * inversion for all their public points (Montgomery's trick in the multiplier) instead of one
     * per device. Intermediate secrets are cleared before returning.
     */
    public static RiotKeys[] deriveAll(Uds[] uds, FirmwareMeasurement firmware, BaseMultiplier multiplier) {
        byte[] fwid = firmware.fwid();
        int[][] scalars = new int[2 * uds.length][];
        try {
            for (int i = 0; i < uds.length; i++) {
                byte[] cdi = firmware.cdi(uds[i]);
                byte[] cDigest = null;
                byte[] aliasSeed = null;
                try {
                    // "don't use the CDI directly": every later step uses H(CDI)
                    cDigest = Hashes.sha256(cdi);
                    scalars[2 * i] = RiotKdf.deriveScalarWords(cDigest, RiotKdf.IDENTITY_LABEL);
                    aliasSeed = Hashes.sha256(cDigest, fwid);
                    scalars[2 * i + 1] = RiotKdf.deriveScalarWords(aliasSeed, RiotKdf.ALIAS_LABEL);
                } finally {
                    Arrays.fill(cdi, (byte) 0);
                    for (byte[] b : new byte[][] {cDigest, aliasSeed}) {
                        if (b != null) {
                            Arrays.fill(b, (byte) 0);
                        }
                    }
                }
            }
            EcKeyPair[] pairs = EcKeyPair.fromPrivate(multiplier, scalars);
            RiotKeys[] keys = new RiotKeys[uds.length];
            for (int i = 0; i < uds.length; i++) {
                keys[i] = new RiotKeys(pairs[2 * i], pairs[2 * i + 1], fwid);
            }
            return keys;
        } finally {
            for (int[] d : scalars) {
                if (d != null) {
                    Arrays.fill(d, 0);
                }
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
        int[][] scalars = new int[3][];
        try {
            cDigest = Hashes.sha256(cdi);
            scalars[0] = RiotKdf.deriveScalarWords(cDigest, RiotKdf.IDENTITY_LABEL);
            seedNow = Hashes.sha256(cDigest, fwidNow);
            seedBefore = Hashes.sha256(cDigest, fwidBefore);
            scalars[1] = RiotKdf.deriveScalarWords(seedNow, RiotKdf.ALIAS_LABEL);
            scalars[2] = RiotKdf.deriveScalarWords(seedBefore, RiotKdf.ALIAS_LABEL);
            EcKeyPair[] pairs = EcKeyPair.fromPrivate(multiplier, scalars[0], scalars[1], scalars[2]);
            return new RiotKeys[] {new RiotKeys(pairs[0], pairs[1], fwidNow), new RiotKeys(pairs[0], pairs[2], fwidBefore)};
        } finally {
            Arrays.fill(cdi, (byte) 0);
            for (byte[] b : new byte[][] {cDigest, seedNow, seedBefore}) {
                if (b != null) {
                    Arrays.fill(b, (byte) 0);
                }
            }
            for (int[] d : scalars) {
                if (d != null) {
                    Arrays.fill(d, 0);
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
