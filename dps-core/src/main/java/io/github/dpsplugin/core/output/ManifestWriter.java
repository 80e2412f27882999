package io.github.dpsplugin.core.output;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.dpsplugin.core.DeviceCertificates;
import io.github.dpsplugin.core.dice.FirmwareMeasurement;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.io.JsonIo;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Writes {@code dps-manifest.json} as a stream, one device at a time, so that its size does not
 * bound a fleet. Holds public facts only: IDs, file names, thumbprints, FWID, public keys,
 * validity and nonce policy; never a UDS or anything derived from it but public keys.
 * Deterministic: no timestamps, no absolute paths, fixed key order.
 */
public final class ManifestWriter implements AutoCloseable {

    /** The manifest's file name. */
    public static final String FILE_NAME = "dps-manifest.json";
    /** The manifest's format version. */
    public static final int FORMAT = 1;

    private final JsonGenerator out;

    public ManifestWriter(OutputStream stream, String firmwareBin, String firmwareMap, FirmwareMeasurement firmware,
            String noncePolicy, String shard) {
        this(stream, binAndMap(firmwareBin, firmwareMap), firmware, noncePolicy, shard);
    }

    /**
     * @param firmwareFiles the firmware's input files by role, written in iteration order into the
     *     firmware section: {@code bin} and {@code map}, or {@code elf}
     */
    public ManifestWriter(OutputStream stream, Map<String, String> firmwareFiles, FirmwareMeasurement firmware,
            String noncePolicy, String shard) {
        this(stream, firmwareFiles, firmware, noncePolicy, shard, null, null, null);
    }

    /**
     * With a rollout: also a {@code previousFirmware} section after {@code firmware} (its files, FWID,
     * riot_core digest and, when given, the version devices report under it).
     */
    public ManifestWriter(OutputStream stream, Map<String, String> firmwareFiles, FirmwareMeasurement firmware,
            String noncePolicy, String shard, Map<String, String> previousFiles, FirmwareMeasurement previous,
            String previousVersion) {
        try {
            this.out = JsonIo.generator(stream);
            out.writeStartObject();
            out.writeNumberField("format", FORMAT);
            out.writeStringField("noncePolicy", noncePolicy);
            if (shard != null) {
                out.writeStringField("shard", shard);
            }
            out.writeObjectFieldStart("firmware");
            for (Map.Entry<String, String> f : firmwareFiles.entrySet()) {
                out.writeStringField(f.getKey(), f.getValue());
            }
            out.writeStringField("riotCoreDigest", HexFormat.of().formatHex(firmware.riotCoreDigest()));
            out.writeStringField("fwid", firmware.fwidHex());
            out.writeEndObject();
            if (previous != null) {
                out.writeObjectFieldStart("previousFirmware");
                for (Map.Entry<String, String> f : previousFiles.entrySet()) {
                    out.writeStringField(f.getKey(), f.getValue());
                }
                out.writeStringField("riotCoreDigest", HexFormat.of().formatHex(previous.riotCoreDigest()));
                out.writeStringField("fwid", previous.fwidHex());
                if (previousVersion != null) {
                    out.writeStringField("firmwareVersion", previousVersion);
                }
                out.writeEndObject();
            }
            out.writeArrayFieldStart("devices");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> binAndMap(String firmwareBin, String firmwareMap) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("bin", firmwareBin);
        files.put("map", firmwareMap);
        return files;
    }

    /** Appends one device. */
    public void device(DeviceCertificates certs, String aliasFile, String deviceIdFile) {
        device(certs, aliasFile, deviceIdFile, null, null);
    }

    /**
     * Appends one device of a rollout: also its registration ID under the previous firmware when it
     * differs, the previous alias certificate's file (when written) and thumbprints.
     */
    public void device(DeviceCertificates certs, String aliasFile, String deviceIdFile, DeviceCertificates previous,
            String previousFile) {
        RegistrationId id = certs.registrationId();
        boolean mac = id.macAddress() != null;
        boolean otherId = previous != null && !previous.registrationId().equals(id);
        // name, value: one call site for Jackson's field writing, which inlined once per field made
        // the JIT's largest compilation of a cold fleet run; ABSENT values are not written
        String[] fields = {
            "registrationId", id.value(),
            "macAddress", mac ? id.macAddress().withColons() : ABSENT,
            "firmwareVersion", mac ? id.firmwareVersion().value() : ABSENT,
            "aliasCertificate", aliasFile,
            "deviceIdCertificate", deviceIdFile,
            "aliasThumbprintSha1", certs.aliasSha1Thumbprint(),
            "aliasThumbprintSha256", certs.aliasSha256Thumbprint(),
            "deviceIdThumbprintSha1", certs.deviceIdSha1Thumbprint(),
            "deviceIdThumbprintSha256", certs.deviceIdSha256Thumbprint(),
            "deviceIdPublicKey", HexFormat.of().formatHex(certs.deviceIdPublicKeyDer()),
            "aliasPublicKey", HexFormat.of().formatHex(certs.aliasPublicKey()),
            "fwid", certs.fwidHex(),
            "notBefore", text(certs.notBefore()),
            "notAfter", text(certs.notAfter()),
            "noncePolicy", certs.noncePolicy().name().toLowerCase(Locale.ROOT),
            "previousRegistrationId", otherId ? previous.registrationId().value() : ABSENT,
            "previousAliasCertificate", previous != null && previousFile != null ? previousFile : ABSENT,
            "previousAliasThumbprintSha1", previous != null ? previous.aliasSha1Thumbprint() : ABSENT,
            "previousAliasThumbprintSha256", previous != null ? previous.aliasSha256Thumbprint() : ABSENT,
        };
        try {
            out.writeStartObject();
            for (int i = 0; i < fields.length; i += 2) {
                if (fields[i + 1] != ABSENT) {
                    out.writeStringField(fields[i], fields[i + 1]);
                }
            }
            out.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A field a device's entry does not have (compared by identity). */
    private static final String ABSENT = new String("absent");

    private static final String NOT_BEFORE = DeviceCertificates.NOT_BEFORE.toString();
    private static final String NOT_AFTER = DeviceCertificates.NOT_AFTER.toString();

    /** Every certificate has the same validity: its text once, not a date formatter's work per device. */
    private static String text(java.time.Instant t) {
        return t.equals(DeviceCertificates.NOT_BEFORE) ? NOT_BEFORE
                : t.equals(DeviceCertificates.NOT_AFTER) ? NOT_AFTER : t.toString();
    }

    /** Closes the document and the stream. */
    @Override
    public void close() {
        try {
            out.writeEndArray();
            out.writeEndObject();
            JsonIo.endDocument(out);
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
