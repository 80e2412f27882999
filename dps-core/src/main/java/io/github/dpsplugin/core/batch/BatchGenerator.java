package io.github.dpsplugin.core.batch;

import io.github.dpsplugin.core.DeviceCertificateGenerator;
import io.github.dpsplugin.core.DeviceCertificates;
import io.github.dpsplugin.core.DpsException;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.firmware.FirmwareImage;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.output.ManifestWriter;
import io.github.dpsplugin.core.output.StagedOutput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Runs a {@link BatchRequest}: reads and measures the firmware once, computes every device's
 * certificates, and publishes {@code <id>.pem}, {@code <id>-deviceid.pem} and the manifest all
 * at once. Any error (reported for every failing device, not just the first) leaves the output
 * directory as it was.
 */
public final class BatchGenerator {

    /** Suffix of the DeviceID certificate file: {@code <registrationId>-deviceid.pem}. */
    public static final String DEVICE_ID_SUFFIX = "-deviceid.pem";
    /** Most device errors listed in one message. */
    static final int MAX_LISTED_ERRORS = 20;

    private BatchGenerator() {
    }

    public static String aliasFileName(RegistrationId id) {
        return id.value() + ".pem";
    }

    public static String deviceIdFileName(RegistrationId id) {
        return id.value() + DEVICE_ID_SUFFIX;
    }

    public static BatchResult run(BatchRequest request, BatchListener listener) {
        List<DeviceSpec> devices = request.devices();
        if (devices.isEmpty()) {
            throw new DpsException("devices", "no device to generate for; list devices, or give a registrationId"
                    + " (or macAddress and firmwareVersion) with a udsServerId or udsEnv");
        }
        checkNames(devices);
        for (DeviceSpec d : devices) {
            if (d.registrationId().exceedsDocumentedLimit()) {
                listener.warning("device " + d.label() + ": registrationId has " + d.registrationId().value().length()
                        + " characters; the device can encode it, but DPS documents " + RegistrationId.DPS_DOCUMENTED_MAX
                        + " as the limit for X.509 registration IDs and may refuse it");
            }
        }

        FirmwareImage image = FirmwareImage.read(request.firmwareBin(), request.firmwareMap());
        image.notes().forEach(listener::debug);
        DeviceCertificateGenerator generator = DeviceCertificateGenerator.forFirmware(image, request.noncePolicy());
        listener.debug(String.format("firmware measured: riot_core %d bytes, riot_fw %d bytes, FWID %s",
                image.riotCoreSize(), image.riotFwSize(), generator.measurement().fwidHex()));

        List<DeviceOutput> outputs = new ArrayList<>(devices.size());
        List<DpsException> errors = new ArrayList<>();
        try (StagedOutput out = StagedOutput.open(request.outputDirectory())) {
            ManifestWriter manifest = new ManifestWriter(out.newOutputStream(ManifestWriter.FILE_NAME),
                    fileName(request.firmwareBin()), fileName(request.firmwareMap()), generator.measurement(),
                    request.noncePolicy().name().toLowerCase(Locale.ROOT), null);
            try {
                for (DeviceSpec device : devices) {
                    DeviceCertificates certs;
                    try (Uds uds = device.udsSource().open()) {
                        certs = generator.generate(device.registrationId(), uds);
                    } catch (DpsException e) {
                        errors.add(e.device() == null ? e.forDevice(device.label()) : e);
                        continue;
                    }
                    if (!errors.isEmpty()) {
                        continue; // nothing will be published; keep validating the rest
                    }
                    String aliasName = aliasFileName(device.registrationId());
                    String deviceIdName = deviceIdFileName(device.registrationId());
                    out.write(aliasName, ascii(certs.aliasCertificatePem(request.pemLayout())));
                    out.write(deviceIdName, ascii(certs.deviceIdCertificatePem(request.pemLayout())));
                    manifest.device(certs, aliasName, deviceIdName);
                    DeviceOutput o = new DeviceOutput(certs, out.finalPath(aliasName), out.finalPath(deviceIdName));
                    outputs.add(o);
                    listener.deviceDone(o);
                }
            } finally {
                manifest.close();
            }
            if (!errors.isEmpty()) {
                throw combine(errors);
            }
            out.publish();
            return new BatchResult(outputs, out.finalPath(ManifestWriter.FILE_NAME));
        }
    }

    /** Two devices must not share an ID, nor write the same file (e.g. 'x-deviceid' and 'x'). */
    private static void checkNames(List<DeviceSpec> devices) {
        Map<String, String> owner = new HashMap<>();
        for (DeviceSpec d : devices) {
            String id = d.registrationId().value();
            for (String name : new String[] {aliasFileName(d.registrationId()), deviceIdFileName(d.registrationId())}) {
                String previous = owner.putIfAbsent(name, id);
                if (previous != null) {
                    String why = previous.equals(id)
                            ? "is listed more than once; each device needs its own registration ID (its outputs would"
                                    + " overwrite each other)"
                            : "would write " + name + ", which device '" + previous + "' also writes; rename one of them";
                    throw new DpsException("registrationId", "'" + id + "' " + why).forDevice(d.label());
                }
            }
        }
    }

    static DpsException combine(List<DpsException> errors) {
        if (errors.size() == 1) {
            return errors.get(0);
        }
        StringBuilder sb = new StringBuilder();
        sb.append(errors.size()).append(" devices failed; nothing was written:");
        for (int i = 0; i < Math.min(errors.size(), MAX_LISTED_ERRORS); i++) {
            sb.append("\n  ").append(errors.get(i).getMessage());
        }
        if (errors.size() > MAX_LISTED_ERRORS) {
            sb.append("\n  ... and ").append(errors.size() - MAX_LISTED_ERRORS).append(" more");
        }
        return new DpsException("devices", sb.toString());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static String fileName(Path p) {
        return p == null || p.getFileName() == null ? null : p.getFileName().toString();
    }
}
