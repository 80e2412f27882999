package io.github.dpsplugin.core.verify;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.dpsplugin.core.DpsException;
import io.github.dpsplugin.core.dice.FirmwareMeasurement;
import io.github.dpsplugin.core.io.JsonIo;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The result of a {@code verify} run: the firmware checked against, the expectations, and one
 * {@link CertificateReport} per certificate; rendered as text ({@value #TEXT_FILE}) and JSON
 * ({@value #JSON_FILE}). Deterministic (no time stamps, no absolute paths, fixed order) and free of
 * secrets: the UDS is described by where it came from, never by value. Immutable.
 */
public final class VerifyReport {

    public static final String TEXT_FILE = "dps-verify.txt";
    public static final String JSON_FILE = "dps-verify.json";
    /** The JSON report's format version. */
    public static final int FORMAT = 1;

    private final Map<String, String> firmwareFiles;
    private final String fwid;
    private final String riotCoreDigest;
    private final NoncePolicy expectedNonce;
    private final String udsSource;
    private final List<CertificateReport> certificates;

    VerifyReport(Map<String, String> firmwareFiles, FirmwareMeasurement firmware, NoncePolicy expectedNonce,
            String udsSource, List<CertificateReport> certificates) {
        this.firmwareFiles = Collections.unmodifiableMap(new LinkedHashMap<>(firmwareFiles));
        this.fwid = firmware.fwidHex();
        this.riotCoreDigest = HexFormat.of().formatHex(firmware.riotCoreDigest());
        this.expectedNonce = expectedNonce;
        this.udsSource = udsSource;
        this.certificates = Collections.unmodifiableList(new ArrayList<>(certificates));
    }

    public List<CertificateReport> certificates() {
        return certificates;
    }

    /** True when every certificate matches. */
    public boolean ok() {
        return failed().isEmpty();
    }

    public List<CertificateReport> failed() {
        return certificates.stream().filter(c -> !c.ok()).collect(Collectors.toList());
    }

    /** The firmware's input files by role: {@code elf}, or {@code bin} and {@code map}. */
    public Map<String, String> firmwareFiles() {
        return firmwareFiles;
    }

    public String fwid() {
        return fwid;
    }

    /** The device's nonce policy checked against, or {@code null} for either. */
    public NoncePolicy expectedNonce() {
        return expectedNonce;
    }

    /** Where the UDS came from (e.g. a settings.xml server id), or {@code null} when verified without one. */
    public String udsSource() {
        return udsSource;
    }

    /**
     * One line per failed certificate with its causes explained, for a build failure message;
     * empty when all match.
     */
    public String failureSummary() {
        List<CertificateReport> failed = failed();
        if (failed.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        sb.append(failed.size()).append(" of ").append(certificates.size()).append(" certificate")
                .append(certificates.size() == 1 ? "" : "s").append(failed.size() == 1 ? " does" : " do")
                .append(" not match what the device computes from this firmware:");
        for (CertificateReport c : failed) {
            sb.append("\n  ").append(title(c)).append(':');
            for (Check k : c.checks()) {
                if (k.outcome() == Check.Outcome.FAIL) {
                    sb.append("\n    ").append(k.cause()).append(": ").append(k.cause().explanation())
                            .append(" (").append(k.detail()).append(')');
                }
            }
        }
        return sb.toString();
    }

    /** The human-readable report. */
    public String text() {
        StringBuilder sb = new StringBuilder();
        int failed = failed().size();
        sb.append("DPS certificate verification: ").append(certificates.size()).append(" certificate")
                .append(certificates.size() == 1 ? "" : "s").append(", ")
                .append(failed == 0 ? "all match" : failed + (failed == 1 ? " does" : " do") + " not match")
                .append('\n');
        sb.append("firmware: ").append(String.join(" + ", firmwareFiles.values())).append('\n');
        sb.append("  FWID (SHA-256 of riot_fw): ").append(fwid).append('\n');
        sb.append("  riot_core measurement (DICE): ").append(riotCoreDigest).append('\n');
        sb.append("expected nonce policy: ").append(CertificateVerifier.policyName(expectedNonce)).append('\n');
        sb.append("UDS: ").append(udsSource == null ? "not given (riot_core and UDS changes cannot be detected)"
                : "from " + udsSource).append('\n');
        for (CertificateReport c : certificates) {
            sb.append('\n').append(title(c)).append(": ").append(c.ok() ? "MATCHES" : "DOES NOT MATCH "
                    + c.causes()).append('\n');
            if (c.expectedRegistrationId() != null) {
                sb.append("  expected registration ID: ").append(c.expectedRegistrationId()).append('\n');
            }
            if (c.sha1Thumbprint() != null) {
                sb.append("  SHA-1 thumbprint: ").append(c.sha1Thumbprint()).append('\n');
            }
            for (Check k : c.checks()) {
                sb.append(String.format(Locale.ROOT, "  %-4s %-15s ", k.outcome(), k.name()));
                if (k.cause() != null) {
                    sb.append(k.cause()).append(": ").append(k.cause().explanation()).append(" (").append(k.detail())
                            .append(")\n");
                } else {
                    sb.append(k.detail()).append('\n');
                }
            }
        }
        return sb.toString();
    }

    private static String title(CertificateReport c) {
        return c.label() + (c.registrationId() == null ? "" : " (" + c.registrationId() + ")");
    }

    /** The machine-readable report. */
    public String json() {
        return new String(JsonIo.document(this::json), StandardCharsets.UTF_8);
    }

    private void json(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("format", FORMAT);
        g.writeBooleanField("ok", ok());
        g.writeObjectFieldStart("firmware");
        for (Map.Entry<String, String> f : firmwareFiles.entrySet()) {
            g.writeStringField(f.getKey(), f.getValue());
        }
        g.writeStringField("riotCoreDigest", riotCoreDigest);
        g.writeStringField("fwid", fwid);
        g.writeEndObject();
        g.writeStringField("expectedNoncePolicy", CertificateVerifier.policyName(expectedNonce));
        g.writeStringField("uds", udsSource);
        g.writeArrayFieldStart("certificates");
        for (CertificateReport c : certificates) {
            g.writeStartObject();
            g.writeStringField("file", c.label());
            g.writeStringField("registrationId", c.registrationId());
            g.writeStringField("expectedRegistrationId", c.expectedRegistrationId());
            g.writeStringField("sha1Thumbprint", c.sha1Thumbprint());
            g.writeBooleanField("ok", c.ok());
            names(g, "causes", c.causes());
            names(g, "warnings", c.warnings());
            g.writeArrayFieldStart("checks");
            for (Check x : c.checks()) {
                g.writeStartObject();
                g.writeStringField("name", x.name());
                g.writeStringField("outcome", x.outcome().name().toLowerCase(Locale.ROOT));
                g.writeStringField("cause", x.cause() == null ? null : x.cause().name());
                g.writeStringField("explanation", x.cause() == null ? null : x.cause().explanation());
                g.writeStringField("detail", x.detail());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void names(JsonGenerator g, String field, Set<Cause> causes) throws IOException {
        g.writeArrayFieldStart(field);
        for (Cause c : causes) {
            g.writeString(c.name());
        }
        g.writeEndArray();
    }

    /**
     * Writes {@value #TEXT_FILE} and {@value #JSON_FILE} into {@code directory} (created if needed),
     * each replaced whole; returns their paths.
     */
    public List<Path> write(Path directory) {
        try {
            Files.createDirectories(directory);
            return List.of(replace(directory, TEXT_FILE, text()), replace(directory, JSON_FILE, json()));
        } catch (IOException e) {
            throw DpsException.environment("reportDirectory", "cannot write the report into " + directory + ": "
                    + e.getMessage(), e);
        }
    }

    private static Path replace(Path dir, String name, String content) throws IOException {
        Path target = dir.resolve(name);
        Path tmp = Files.createTempFile(dir, "." + name, ".tmp");
        try {
            Files.write(tmp, content.getBytes(StandardCharsets.UTF_8));
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return target;
    }

    @Override
    public String toString() {
        return "VerifyReport[" + certificates.size() + " certificates, " + failed().size() + " failed]";
    }
}
