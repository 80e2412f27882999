package io.github.dpsplugin.core.output;

import io.github.dpsplugin.core.DeviceCertificates;
import io.github.dpsplugin.core.dice.FirmwareMeasurement;
import io.github.dpsplugin.core.id.RegistrationId;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
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

    private final Writer out;
    private boolean firstDevice = true;

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
        this.out = new OutputStreamWriter(stream, StandardCharsets.UTF_8);
        try {
            out.write("{\n");
            out.write("  \"format\": " + FORMAT + ",\n");
            out.write("  \"noncePolicy\": " + str(noncePolicy) + ",\n");
            if (shard != null) {
                out.write("  \"shard\": " + str(shard) + ",\n");
            }
            out.write("  \"firmware\": {\n");
            for (Map.Entry<String, String> f : firmwareFiles.entrySet()) {
                out.write("    " + str(f.getKey()) + ": " + str(f.getValue()) + ",\n");
            }
            out.write("    \"riotCoreDigest\": " + str(HexFormat.of().formatHex(firmware.riotCoreDigest())) + ",\n");
            out.write("    \"fwid\": " + str(firmware.fwidHex()) + "\n");
            out.write("  },\n");
            out.write("  \"devices\": [");
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
        RegistrationId id = certs.registrationId();
        StringBuilder sb = new StringBuilder(1024);
        sb.append(firstDevice ? "\n" : ",\n");
        firstDevice = false;
        sb.append("    {\n");
        field(sb, "registrationId", id.value());
        if (id.macAddress() != null) {
            field(sb, "macAddress", id.macAddress().withColons());
            field(sb, "firmwareVersion", id.firmwareVersion().value());
        }
        field(sb, "aliasCertificate", aliasFile);
        field(sb, "deviceIdCertificate", deviceIdFile);
        field(sb, "aliasThumbprintSha1", certs.aliasSha1Thumbprint());
        field(sb, "aliasThumbprintSha256", certs.aliasSha256Thumbprint());
        field(sb, "deviceIdThumbprintSha1", certs.deviceIdSha1Thumbprint());
        field(sb, "deviceIdThumbprintSha256", certs.deviceIdSha256Thumbprint());
        field(sb, "deviceIdPublicKey", HexFormat.of().formatHex(certs.deviceIdPublicKeyDer()));
        field(sb, "aliasPublicKey", HexFormat.of().formatHex(certs.aliasPublicKey()));
        field(sb, "fwid", certs.fwidHex());
        field(sb, "notBefore", certs.notBefore().toString());
        field(sb, "notAfter", certs.notAfter().toString());
        sb.append("      \"noncePolicy\": ").append(str(certs.noncePolicy().name().toLowerCase(Locale.ROOT)))
                .append("\n    }");
        try {
            out.write(sb.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void field(StringBuilder sb, String name, String value) {
        sb.append("      ").append(str(name)).append(": ").append(str(value)).append(",\n");
    }

    /** Closes the document and the stream. */
    @Override
    public void close() {
        try {
            out.write(firstDevice ? "]\n}\n" : "\n  ]\n}\n");
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A JSON string literal. */
    static String str(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        return sb.append('"').toString();
    }
}
