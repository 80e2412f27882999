package io.github.dpsplugin.core.verify;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.dpsplugin.core.dice.FirmwareMeasurement;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.io.IOException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** What the report says about the run as a whole, and how each part is rendered. */
final class ReportHeader {
    final Map<String, String> firmwareFiles;
    final String fwid;
    final String riotCoreDigest;
    final NoncePolicy expectedNonce;
    final String udsSource;

    /** The previous firmware the certificates were also checked against ({@code null}: none given). */
    final Map<String, String> previousFiles;
    final String previousFwid;

    /** The devices the certificates must cover, as the request names them ({@code null}: none given). */
    final String devices;

    ReportHeader(Map<String, String> firmwareFiles, FirmwareMeasurement firmware, NoncePolicy expectedNonce,
            String udsSource, Map<String, String> previousFiles, FirmwareMeasurement previous, String devices) {
        this.devices = devices;
        this.previousFiles = previousFiles == null ? null
                : Collections.unmodifiableMap(new LinkedHashMap<>(previousFiles));
        this.previousFwid = previous == null ? null : previous.fwidHex();
        this.firmwareFiles = Collections.unmodifiableMap(new LinkedHashMap<>(firmwareFiles));
        this.fwid = firmware.fwidHex();
        this.riotCoreDigest = HexFormat.of().formatHex(firmware.riotCoreDigest());
        this.expectedNonce = expectedNonce;
        this.udsSource = udsSource;
    }

    String text(long[] counts) {
        StringBuilder sb = new StringBuilder();
        sb.append("DPS certificate verification: ").append(summary(counts)).append('\n');
        sb.append("firmware: ").append(String.join(" + ", firmwareFiles.values())).append('\n');
        sb.append("  FWID (SHA-256 of riot_fw): ").append(fwid).append('\n');
        sb.append("  riot_core measurement (DICE): ").append(riotCoreDigest).append('\n');
        if (previousFwid != null) {
            sb.append("previous firmware: ").append(String.join(" + ", previousFiles.values())).append('\n');
            sb.append("  FWID (SHA-256 of riot_fw): ").append(previousFwid).append('\n');
        }
        sb.append("expected nonce policy: ").append(CertificateVerifier.policyName(expectedNonce)).append('\n');
        sb.append("UDS: ").append(udsSource == null ? "not given (riot_core and UDS changes cannot be detected)"
                : "from " + udsSource).append('\n');
        if (devices != null) {
            sb.append("devices: ").append(devices).append(" (each must have a certificate)").append('\n');
        }
        for (Status s : Status.values()) {
            if (counts[s.ordinal()] > 0) {
                sb.append(s.word()).append(": ").append(s.meaning()).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * {@code 3 certificates: 2 recomputed, 1 previous-firmware}: the statuses that occur, in a fixed
     * order; then listed devices without a certificate, e.g. {@code ; 1 listed device missing}.
     */
    static String summary(long[] counts) {
        long missing = counts[Status.MISSING.ordinal()];
        long total = certificates(counts);
        StringBuilder sb = new StringBuilder().append(total).append(" certificate").append(total == 1 ? "" : "s");
        String sep = ": ";
        for (Status s : Status.values()) {
            if (s != Status.MISSING && counts[s.ordinal()] > 0) {
                sb.append(sep).append(counts[s.ordinal()]).append(' ').append(s.word());
                sep = ", ";
            }
        }
        if (missing > 0) {
            sb.append("; ").append(missing).append(" listed device").append(missing == 1 ? "" : "s").append(' ')
                    .append(Status.MISSING.word());
        }
        return sb.toString();
    }

    /** The certificates counted: every report but those of missing devices. */
    static long certificates(long[] counts) {
        long total = 0;
        for (Status s : Status.values()) {
            total += s == Status.MISSING ? 0 : counts[s.ordinal()];
        }
        return total;
    }

    /** Certificates that do not match, and listed devices without one. */
    static long failed(long[] counts) {
        return counts[Status.MISMATCH.ordinal()] + counts[Status.MISSING.ordinal()];
    }

    static String text(CertificateReport c) {
        StringBuilder sb = new StringBuilder();
        Status status = c.status();
        sb.append('\n').append(VerifyReport.title(c)).append(": ").append(status.word())
                .append(status == Status.MISMATCH || status == Status.MISSING ? " " + c.causes() : "").append('\n');
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
        return sb.toString();
    }

    /** Everything before the certificates; the verdict comes after them (a streamed run knows it last). */
    void jsonStart(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeNumberField("format", VerifyReport.FORMAT);
        g.writeObjectFieldStart("firmware");
        for (Map.Entry<String, String> f : firmwareFiles.entrySet()) {
            g.writeStringField(f.getKey(), f.getValue());
        }
        g.writeStringField("riotCoreDigest", riotCoreDigest);
        g.writeStringField("fwid", fwid);
        g.writeEndObject();
        if (previousFwid != null) {
            g.writeObjectFieldStart("previousFirmware");
            for (Map.Entry<String, String> f : previousFiles.entrySet()) {
                g.writeStringField(f.getKey(), f.getValue());
            }
            g.writeStringField("fwid", previousFwid);
            g.writeEndObject();
        }
        g.writeStringField("expectedNoncePolicy", CertificateVerifier.policyName(expectedNonce));
        g.writeStringField("uds", udsSource);
        if (devices != null) {
            g.writeStringField("devices", devices);
        }
        g.writeArrayFieldStart("certificates");
    }

    static void json(JsonGenerator g, CertificateReport c) throws IOException {
        g.writeStartObject();
        if (c.status() == Status.MISSING) {
            g.writeStringField("file", null); // no certificate: where the device was listed instead
            g.writeStringField("listed", c.label());
        } else {
            g.writeStringField("file", c.label());
        }
        g.writeStringField("registrationId", c.registrationId());
        g.writeStringField("expectedRegistrationId", c.expectedRegistrationId());
        g.writeStringField("sha1Thumbprint", c.sha1Thumbprint());
        g.writeBooleanField("ok", c.ok());
        g.writeStringField("status", c.status().word());
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

    /** The verdict; {@code missing} is counted only when devices were listed, so other reports keep their form. */
    void jsonEnd(JsonGenerator g, long[] counts) throws IOException {
        long failed = failed(counts);
        g.writeEndArray();
        g.writeNumberField("count", certificates(counts));
        g.writeNumberField("failed", failed);
        g.writeBooleanField("ok", failed == 0);
        g.writeObjectFieldStart("statuses");
        for (Status s : Status.values()) {
            if (s != Status.MISSING || devices != null) {
                g.writeNumberField(s.word(), counts[s.ordinal()]);
            }
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void names(JsonGenerator g, String field, Set<Cause> causes) throws IOException {
        g.writeArrayFieldStart(field);
        for (Cause c : causes) {
            g.writeString(c.name());
        }
        g.writeEndArray();
    }
}
