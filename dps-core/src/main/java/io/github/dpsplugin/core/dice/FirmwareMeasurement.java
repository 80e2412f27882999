package io.github.dpsplugin.core.dice;

import io.github.dpsplugin.core.common.Hashes;
import io.github.dpsplugin.core.firmware.FirmwareImage;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What DICE and RIoT measure of a firmware: {@code rDigest = DH(riotCore)} (spec, step 1) and
 * {@code FWID = H(riotFw)} (step 5). Computed once per firmware and shared by every device.
 * Immutable and thread-safe.
 */
public final class FirmwareMeasurement {

    private final byte[] riotCoreDigest;
    private final byte[] fwid;

    private FirmwareMeasurement(byte[] riotCoreDigest, byte[] fwid) {
        this.riotCoreDigest = riotCoreDigest;
        this.fwid = fwid;
    }

    public static FirmwareMeasurement of(FirmwareImage image) {
        return new FirmwareMeasurement(DiceSha256.digest(image.riotCore()), Hashes.sha256(image.riotFw()));
    }

    /** {@code DH(riotCore)}, the device's measurement of its RIoT core. */
    public byte[] riotCoreDigest() {
        return riotCoreDigest.clone();
    }

    /** {@code SHA-256(riotFw)}, the firmware ID carried in the alias certificate. */
    public byte[] fwid() {
        return fwid.clone();
    }

    public String fwidHex() {
        return HexFormat.of().formatHex(fwid);
    }

    /**
     * The Compound Device Identifier {@code CDI = DH(DH(UDS) || rDigest)} (spec, step 2). A secret:
     * the caller clears the returned array.
     */
    public byte[] cdi(Uds uds) {
        byte[] udsDigest = uds.diceDigest();
        try {
            return DiceSha256.digest(udsDigest, riotCoreDigest);
        } finally {
            Arrays.fill(udsDigest, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "FirmwareMeasurement[riotCoreDigest=" + HexFormat.of().formatHex(riotCoreDigest)
                + ", fwid=" + fwidHex() + "]";
    }
}
