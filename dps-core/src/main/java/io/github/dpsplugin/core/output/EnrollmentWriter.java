package io.github.dpsplugin.core.output;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.io.JsonIo;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Enrollment helpers written beside the certificates; the build itself sends nothing anywhere.
 *
 * <ul>
 *   <li>{@code dps-enroll.sh}: one {@code az iot dps enrollment create --attestation-type x509} line
 *       per device, every argument shell-quoted; the DPS and resource group come from parameters,
 *       or from the variables {@code DPS_NAME} and {@code RESOURCE_GROUP} when run.
 *   <li>{@code dps-enrollments-NNNN.json}: bodies for DPS's "Individual Enrollment - Run Bulk
 *       Operation" (mode create), at most 10 enrollments each, the service's limit.
 * </ul>
 */
public final class EnrollmentWriter implements AutoCloseable {

    public static final String SCRIPT = "dps-enroll.sh";
    /** DPS accepts at most this many enrollments in one bulk operation. */
    public static final int BULK_LIMIT = 10;

    private final StagedOutput out;
    private final Writer script;
    private final List<Enrollment> pending = new ArrayList<>(BULK_LIMIT);
    private int bulkFiles;

    /** One entry of a bulk body. */
    private record Enrollment(String registrationId, String aliasPem) {
    }

    public EnrollmentWriter(StagedOutput out, String dpsName, String resourceGroup) {
        this.out = out;
        OutputStream s = out.newOutputStream(SCRIPT);
        this.script = new OutputStreamWriter(s, StandardCharsets.UTF_8);
        write("#!/bin/sh\n"
                + "# Individual X.509 enrollments in Azure IoT Hub DPS for the certificates beside this script.\n"
                + "# Written by dps-maven-plugin; review, then run with the Azure CLI (az) logged in.\n"
                + "set -eu\n"
                + "cd \"$(dirname \"$0\")\"\n"
                + "DPS_NAME=" + (dpsName != null ? quote(dpsName) : "\"${DPS_NAME:?set DPS_NAME or the dpsName parameter}\"")
                + "\n"
                + "RESOURCE_GROUP=" + (resourceGroup != null ? quote(resourceGroup)
                        : "\"${RESOURCE_GROUP:?set RESOURCE_GROUP or the resourceGroup parameter}\"") + "\n");
    }

    /** Bulk file name {@code dps-enrollments-0001.json} for the n-th file (1-based). */
    public static String bulkFileName(int n) {
        return String.format(Locale.ROOT, "dps-enrollments-%04d.json", n);
    }

    /** Adds one device: its alias certificate file name and PEM text. */
    public void add(String registrationId, String aliasFile, String aliasPem) {
        // --option=value: a value from the input is never read by az as an option of its own
        write("az iot dps enrollment create --dps-name=\"$DPS_NAME\" --resource-group=\"$RESOURCE_GROUP\""
                + " --enrollment-id=" + quote(registrationId) + " --attestation-type x509 --certificate-path="
                + quote(aliasFile) + "\n");
        pending.add(new Enrollment(registrationId, aliasPem));
        if (pending.size() == BULK_LIMIT) {
            flushBulk();
        }
    }

    private void flushBulk() {
        if (pending.isEmpty()) {
            return;
        }
        out.write(bulkFileName(++bulkFiles), JsonIo.document(g -> {
            g.writeStartObject();
            g.writeStringField("mode", "create");
            g.writeArrayFieldStart("enrollments");
            for (Enrollment e : pending) {
                individualEnrollment(g, e.registrationId(), e.aliasPem(), null, true);
            }
            g.writeEndArray();
            g.writeEndObject();
        }));
        pending.clear();
    }

    /**
     * One DPS {@code IndividualEnrollment} of a bulk body: the registration ID and an x509
     * attestation with the client certificates (primary, and secondary when not {@code null}).
     */
    static void individualEnrollment(JsonGenerator g, String registrationId, String primaryPem, String secondaryPem,
            boolean enabled) throws IOException {
        g.writeStartObject();
        g.writeStringField("registrationId", registrationId);
        g.writeObjectFieldStart("attestation");
        g.writeStringField("type", "x509");
        g.writeObjectFieldStart("x509");
        g.writeObjectFieldStart("clientCertificates");
        g.writeObjectFieldStart("primary");
        g.writeStringField("certificate", primaryPem);
        g.writeEndObject();
        if (secondaryPem != null) {
            g.writeObjectFieldStart("secondary");
            g.writeStringField("certificate", secondaryPem);
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
        if (enabled) {
            g.writeStringField("provisioningStatus", "enabled");
        }
        g.writeEndObject();
    }

    /** Shell single-quoting: {@code '} becomes {@code '\''}. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private void write(String s) {
        try {
            script.write(s);
        } catch (IOException e) {
            throw new DpsException("outputDirectory", "cannot write " + SCRIPT + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        flushBulk();
        try {
            script.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.makeExecutable(SCRIPT);
    }
}
