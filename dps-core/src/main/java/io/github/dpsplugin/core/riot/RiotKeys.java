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
        RiotKeys[][] keys = derive(uds, new FirmwareMeasurement[] {firmware}, multiplier);
        RiotKeys[] each = new RiotKeys[uds.length];
        for (int i = 0; i < uds.length; i++) {
            each[i] = keys[i][0];
        }
        return each;
    }

    /**
     * The keys one UDS gives under two firmwares, for a rollout: {@code [current, previous]}
     * ({@link #deriveAllTwo} for one device).
     */
    public static RiotKeys[] deriveTwo(Uds uds, FirmwareMeasurement current, FirmwareMeasurement previous,
            BaseMultiplier multiplier) {
        return deriveAllTwo(new Uds[] {uds}, current, previous, multiplier)[0];
    }

    /**
     * The keys of many devices under two firmwares, for a rollout: {@code [i] = [current, previous]}
     * for {@code uds[i]}, all public points of the batch computed together. An OTA update that
     * keeps riot_core (the usual case) keeps the CDI and so the DeviceID pair (spec, steps 2 to 4);
     * it is then derived once per device and shared, and only the Alias pairs differ (step 5 on).
     */
    public static RiotKeys[][] deriveAllTwo(Uds[] uds, FirmwareMeasurement current, FirmwareMeasurement previous,
            BaseMultiplier multiplier) {
        if (Arrays.equals(current.riotCoreDigest(), previous.riotCoreDigest())) {
            return derive(uds, new FirmwareMeasurement[] {current, previous}, multiplier);
        }
        RiotKeys[] now = deriveAll(uds, current, multiplier);
        RiotKeys[] before = deriveAll(uds, previous, multiplier);
        RiotKeys[][] both = new RiotKeys[uds.length][];
        for (int i = 0; i < uds.length; i++) {
            both[i] = new RiotKeys[] {now[i], before[i]};
        }
        return both;
    }

    /**
     * The one derivation: for each UDS, the DeviceID pair and one Alias pair per firmware,
     * {@code [i][f]} for {@code uds[i]} under {@code firmwares[f]}. The firmwares share riot_core
     * (the CDI depends on it alone), so each device has one DeviceID pair. The private scalars of
     * all devices go to the multiplier together; they are cleared before returning.
     */
    private static RiotKeys[][] derive(Uds[] uds, FirmwareMeasurement[] firmwares, BaseMultiplier multiplier) {
        int perDevice = 1 + firmwares.length;
        byte[][] fwids = new byte[firmwares.length][];
        for (int f = 0; f < firmwares.length; f++) {
            fwids[f] = firmwares[f].fwid();
        }
        int[][] scalars = new int[perDevice * uds.length][];
        try {
            for (int i = 0; i < uds.length; i++) {
                scalars(uds[i], firmwares[0], fwids, scalars, perDevice * i);
            }
            EcKeyPair[] pairs = EcKeyPair.fromPrivate(multiplier, scalars);
            RiotKeys[][] keys = new RiotKeys[uds.length][firmwares.length];
            for (int i = 0; i < uds.length; i++) {
                for (int f = 0; f < firmwares.length; f++) {
                    keys[i][f] = new RiotKeys(pairs[perDevice * i], pairs[perDevice * i + 1 + f], fwids[f]);
                }
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
     * One device's DeviceID scalar into {@code scalars[at]} and its Alias scalar under each FWID
     * after it (spec, steps 2 to 8). A method of its own, called once per device: the JIT compiles
     * it early and whole, where the loop around it would be compiled late, on the stack, and twice.
     */
    private static void scalars(Uds uds, FirmwareMeasurement firmware, byte[][] fwids, int[][] scalars, int at) {
        byte[] cdi = firmware.cdi(uds);
        byte[] cDigest = null;
        byte[] aliasSeed = null;
        try {
            // "don't use the CDI directly": every later step uses H(CDI)
            cDigest = Hashes.sha256(cdi);
            scalars[at] = RiotKdf.deriveScalarWords(cDigest, RiotKdf.IDENTITY_LABEL);
            for (int f = 0; f < fwids.length; f++) {
                aliasSeed = Hashes.sha256(cDigest, fwids[f]);
                scalars[at + 1 + f] = RiotKdf.deriveScalarWords(aliasSeed, RiotKdf.ALIAS_LABEL);
                Arrays.fill(aliasSeed, (byte) 0);
            }
        } finally {
            Arrays.fill(cdi, (byte) 0);
            for (byte[] b : new byte[][] {cDigest, aliasSeed}) {
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
