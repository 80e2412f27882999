package io.github.dpsplugin.core;

import io.github.dpsplugin.core.dice.FirmwareMeasurement;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.firmware.FirmwareImage;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.riot.BaseMultiplier;
import io.github.dpsplugin.core.riot.RiotKeys;
import io.github.dpsplugin.core.x509.DiceCertificates;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The entry point: firmware + UDS + registration ID → the certificates the device will present.
 *
 * <pre>{@code
 * DeviceCertificateGenerator generator = DeviceCertificateGenerator.forFirmware(
 *         Path.of("app.ino.bin"), Path.of("app.ino.map"), NoncePolicy.DEVKIT);
 * try (Uds uds = Uds.fromHex(secretChars)) {
 *     DeviceCertificates certs = generator.generate(RegistrationId.of("my-device-01"), uds);
 *     Files.writeString(Path.of("my-device-01.pem"), certs.aliasCertificatePem(PemLayout.ONE_LINE));
 * }
 * }</pre>
 *
 * <p>The firmware is read and measured once, in the factory method; {@link #generate} may then
 * be called for any number of devices, from any number of threads.
 */
public final class DeviceCertificateGenerator {

    private final FirmwareMeasurement firmware;
    private final NoncePolicy noncePolicy;
    private final BaseMultiplier multiplier;

    private DeviceCertificateGenerator(FirmwareMeasurement firmware, NoncePolicy noncePolicy,
            BaseMultiplier multiplier) {
        this.firmware = Objects.requireNonNull(firmware, "firmware");
        this.noncePolicy = Objects.requireNonNull(noncePolicy, "noncePolicy");
        this.multiplier = Objects.requireNonNull(multiplier, "multiplier");
    }

    /** Reads and measures the firmware image {@code bin} with its link map {@code map}. */
    public static DeviceCertificateGenerator forFirmware(Path bin, Path map, NoncePolicy noncePolicy) {
        return forFirmware(FirmwareImage.read(bin, map), noncePolicy);
    }

    public static DeviceCertificateGenerator forFirmware(FirmwareImage image, NoncePolicy noncePolicy) {
        return new DeviceCertificateGenerator(FirmwareMeasurement.of(image), noncePolicy, BaseMultiplier.TABLE);
    }

    public static DeviceCertificateGenerator forMeasurement(FirmwareMeasurement measurement, NoncePolicy noncePolicy) {
        return new DeviceCertificateGenerator(measurement, noncePolicy, BaseMultiplier.TABLE);
    }

    /**
     * The same generator computing public keys with {@code multiplier}. The default,
     * {@link BaseMultiplier#TABLE}, is our constant-time table (built once per JVM in about 10 ms,
     * twice as fast per key as Bouncy Castle's comb); {@link BaseMultiplier#COMB} is Bouncy
     * Castle's own. Results are identical.
     */
    public DeviceCertificateGenerator withMultiplier(BaseMultiplier multiplier) {
        return new DeviceCertificateGenerator(firmware, noncePolicy, multiplier);
    }

    /** Computes one device's certificates. The UDS is not closed: the caller owns it. */
    public DeviceCertificates generate(RegistrationId registrationId, Uds uds) {
        Objects.requireNonNull(registrationId, "registrationId");
        Objects.requireNonNull(uds, "uds");
        return certificates(registrationId, RiotKeys.derive(uds, firmware, multiplier), null);
    }

    /**
     * Computes many devices' certificates, {@code [i]} for {@code ids[i]} and {@code uds[i]}: the
     * same as {@link #generate} for each, with one field inversion for all their public keys
     * instead of one per device. The UDSs are not closed: the caller owns them.
     */
    public DeviceCertificates[] generateAll(RegistrationId[] ids, Uds[] uds) {
        if (ids.length != uds.length) {
            throw new IllegalArgumentException(ids.length + " registration IDs for " + uds.length + " UDSs");
        }
        for (int i = 0; i < ids.length; i++) {
            Objects.requireNonNull(ids[i], "registrationId");
            Objects.requireNonNull(uds[i], "uds");
        }
        RiotKeys[] keys = RiotKeys.deriveAll(uds, firmware, multiplier);
        DeviceCertificates[] certs = new DeviceCertificates[ids.length];
        for (int i = 0; i < ids.length; i++) {
            certs[i] = certificates(ids[i], keys[i], null);
        }
        return certs;
    }

    /**
     * For a rollout: one device's certificates under this firmware and under {@code previous}
     * ({@code [current, previous]}), from one opened UDS ({@link #generateAllWithPrevious} for one
     * device). The UDS is not closed.
     *
     * @param previousId the device's registration ID under the previous firmware
     */
    public DeviceCertificates[] generateWithPrevious(RegistrationId registrationId, Uds uds,
            DeviceCertificateGenerator previous, RegistrationId previousId) {
        return generateAllWithPrevious(new RegistrationId[] {registrationId}, new Uds[] {uds}, previous,
                new RegistrationId[] {previousId})[0];
    }

    /**
     * For a rollout: many devices' certificates under this firmware and under {@code previous},
     * {@code [i] = [current, previous]}, with their public keys computed together. When both
     * firmwares share riot_core each device's DeviceID key and certificate are computed once. The
     * UDSs are not closed.
     *
     * @param previousIds each device's registration ID under the previous firmware
     */
    public DeviceCertificates[][] generateAllWithPrevious(RegistrationId[] ids, Uds[] uds,
            DeviceCertificateGenerator previous, RegistrationId[] previousIds) {
        if (ids.length != uds.length || ids.length != previousIds.length) {
            throw new IllegalArgumentException(ids.length + " registration IDs, " + previousIds.length
                    + " previous IDs for " + uds.length + " UDSs");
        }
        for (int i = 0; i < ids.length; i++) {
            Objects.requireNonNull(ids[i], "registrationId");
            Objects.requireNonNull(previousIds[i], "previousId");
            Objects.requireNonNull(uds[i], "uds");
        }
        if (previous.noncePolicy != noncePolicy) {
            throw new IllegalArgumentException("both firmwares are signed with one nonce policy");
        }
        RiotKeys[][] keys = RiotKeys.deriveAllTwo(uds, firmware, previous.firmware, multiplier);
        DeviceCertificates[][] certs = new DeviceCertificates[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            DeviceCertificates now = certificates(ids[i], keys[i][0], null);
            boolean sameDeviceId = keys[i][0].deviceId() == keys[i][1].deviceId();
            DeviceCertificates before = certificates(previousIds[i], keys[i][1], sameDeviceId ? now : null);
            certs[i] = new DeviceCertificates[] {now, before};
        }
        return certs;
    }

    /** The certificates of one key set; {@code sameDeviceId} lends its DeviceID certificate when the key is shared. */
    private DeviceCertificates certificates(RegistrationId id, RiotKeys keys, DeviceCertificates sameDeviceId) {
        byte[] fwid = keys.fwid();
        byte[] alias = DiceCertificates.aliasCertificate(id.value(), keys.alias(), keys.deviceId(), fwid, noncePolicy);
        byte[] deviceId = sameDeviceId != null ? sameDeviceId.deviceIdCertificateDer()
                : DiceCertificates.deviceIdCertificate(keys.deviceId(), noncePolicy);
        byte[] deviceIdKey = sameDeviceId != null ? sameDeviceId.deviceIdPublicKeyDer()
                : DiceCertificates.subjectPublicKeyInfoDer(keys.deviceId().publicKeyUncompressed());
        return new DeviceCertificates(id, alias, deviceId, deviceIdKey, keys.alias().publicKeyUncompressed(), fwid,
                noncePolicy);
    }

    public FirmwareMeasurement measurement() {
        return firmware;
    }

    public NoncePolicy noncePolicy() {
        return noncePolicy;
    }
}
