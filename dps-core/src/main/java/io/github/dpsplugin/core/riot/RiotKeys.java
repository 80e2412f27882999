package io.github.dpsplugin.core.riot;

import io.github.dpsplugin.core.Hashes;
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
        byte[] cdi = firmware.cdi(uds);
        byte[] cDigest = null;
        byte[] aliasSeed = null;
        byte[] fwid = firmware.fwid();
        int[] dId = null;
        int[] dAlias = null;
        try {
            // "don't use the CDI directly": every later step uses H(CDI)
            cDigest = Hashes.sha256(cdi);
            dId = RiotKdf.deriveScalarWords(cDigest, RiotKdf.IDENTITY_LABEL);
            aliasSeed = Hashes.sha256(cDigest, fwid);
            dAlias = RiotKdf.deriveScalarWords(aliasSeed, RiotKdf.ALIAS_LABEL);
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
            if (dId != null) {
                Arrays.fill(dId, 0);
            }
            if (dAlias != null) {
                Arrays.fill(dAlias, 0);
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
