package io.github.dpsplugin.core.verify;

import io.github.dpsplugin.core.DpsException;
import io.github.dpsplugin.core.dice.FirmwareMeasurement;
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
        StringBuilder sb = new StringBuilder();
        sb.append("{\n");
        sb.append("  \"format\": ").append(FORMAT).append(",\n");
        sb.append("  \"ok\": ").append(ok()).append(",\n");
        sb.append("  \"firmware\": {\n");
        for (Map.Entry<String, String> f : firmwareFiles.entrySet()) {
            sb.append("    ").append(Json.str(f.getKey())).append(": ").append(Json.str(f.getValue())).append(",\n");
        }
        sb.append("    \"riotCoreDigest\": ").append(Json.str(riotCoreDigest)).append(",\n");
        sb.append("    \"fwid\": ").append(Json.str(fwid)).append("\n  },\n");
        sb.append("  \"expectedNoncePolicy\": ").append(Json.str(CertificateVerifier.policyName(expectedNonce)))
                .append(",\n");
        sb.append("  \"uds\": ").append(Json.str(udsSource)).append(",\n");
        sb.append("  \"certificates\": [");
        for (int i = 0; i < certificates.size(); i++) {
            CertificateReport c = certificates.get(i);
            sb.append(i == 0 ? "\n" : ",\n").append("    {\n");
            sb.append("      \"file\": ").append(Json.str(c.label())).append(",\n");
            sb.append("      \"registrationId\": ").append(Json.str(c.registrationId())).append(",\n");
            sb.append("      \"expectedRegistrationId\": ").append(Json.str(c.expectedRegistrationId())).append(",\n");
            sb.append("      \"sha1Thumbprint\": ").append(Json.str(c.sha1Thumbprint())).append(",\n");
            sb.append("      \"ok\": ").append(c.ok()).append(",\n");
            sb.append("      \"causes\": ").append(names(c.causes())).append(",\n");
            sb.append("      \"warnings\": ").append(names(c.warnings())).append(",\n");
            sb.append("      \"checks\": [");
            for (int k = 0; k < c.checks().size(); k++) {
                Check x = c.checks().get(k);
                sb.append(k == 0 ? "\n" : ",\n");
                sb.append("        {\"name\": ").append(Json.str(x.name()))
                        .append(", \"outcome\": ").append(Json.str(x.outcome().name().toLowerCase(Locale.ROOT)))
                        .append(", \"cause\": ").append(Json.str(x.cause() == null ? null : x.cause().name()))
                        .append(", \"explanation\": ")
                        .append(Json.str(x.cause() == null ? null : x.cause().explanation()))
                        .append(", \"detail\": ").append(Json.str(x.detail())).append('}');
            }
            sb.append("\n      ]\n    }");
        }
        sb.append(certificates.isEmpty() ? "]\n" : "\n  ]\n").append("}\n");
        return sb.toString();
    }

    private static String names(Set<Cause> causes) {
        return causes.stream().map(c -> Json.str(c.name())).collect(Collectors.joining(", ", "[", "]"));
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
            throw new DpsException("reportDirectory", "cannot write the report into " + directory + ": "
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
