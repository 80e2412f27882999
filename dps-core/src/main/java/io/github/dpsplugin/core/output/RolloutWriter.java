package io.github.dpsplugin.core.output;

import com.fasterxml.jackson.core.JsonGenerator;
import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.io.JsonIo;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The enrollment changes of a firmware rollout, written beside the certificates; the build sends
 * nothing anywhere. DPS individual X.509 enrollments hold a primary and a secondary client
 * certificate and a device authenticates with either, so a rollout is two steps:
 *
 * <ol>
 *   <li><b>start</b>, before the new firmware reaches any device: an enrollment whose registration
 *       ID stays gets primary = the new alias certificate, secondary = the previous one (mode
 *       {@code update}); a device whose ID changes (MAC-derived IDs carry the version) gets a new
 *       enrollment under its new ID (mode {@code create}), its old one staying until finish.
 *   <li><b>finish</b>, once every device runs the new firmware: the secondary is dropped (mode
 *       {@code update} with the primary only) and the enrollments of changed IDs are deleted (mode
 *       {@code delete}; the body still carries a valid enrollment: ID and previous certificate).
 * </ol>
 *
 * <p>Files: {@code dps-rollout-start-NNNN.json} and {@code dps-rollout-finish-NNNN.json}, bodies of
 * DPS's "Individual Enrollment - Run Bulk Operation" ({@code BulkEnrollmentOperation}: at most 10
 * enrollments and one {@code mode} each), and {@code dps-rollout.sh} with {@code start} and
 * {@code finish} sub-commands doing the same with the Azure CLI ({@code az iot dps enrollment
 * update/create/delete} of the azure-iot extension), every argument shell-quoted. A device whose
 * certificate does not change gets no entry. Entries follow the devices' order, so the bytes do
 * not depend on the thread count. Not thread-safe: called by the ordered writer.
 */
public final class RolloutWriter implements AutoCloseable {

    public static final String SCRIPT = "dps-rollout.sh";
    /** Where the previous alias certificates are written: {@code previous/<previous registration ID>.pem} ({@link FileNames}). */
    public static final String PREVIOUS_DIRECTORY = "previous";

    /** What a rollout does to one device's enrollment. */
    public enum Change {
        /** Same registration ID and the very same certificate: nothing to do. */
        UNCHANGED,
        /** Same registration ID, new certificate: update at start (both), again at finish (new only). */
        CERTIFICATE,
        /** The registration ID changes: create the new enrollment at start, delete the old one at finish. */
        REGISTRATION_ID
    }

    private final StagedOutput out;
    private final Writer script;
    private final Path finishPart;
    private final Writer finish;
    private final Bodies start;
    private final Bodies end;
    /** Every registration ID under the new firmware, and the previous IDs finish deletes: they must not meet. */
    private final Set<String> newIds = new HashSet<>();
    private final Set<String> deleted = new HashSet<>();
    private long unchanged;
    private long certificateChanges;
    private long idChanges;

    /**
     * @param title what the script's header says the rollout is, e.g. {@code 2.0.0 -> 2.1.0}
     */
    public RolloutWriter(StagedOutput out, String dpsName, String resourceGroup, String title) {
        this.out = out;
        this.start = new Bodies("start");
        this.end = new Bodies("finish");
        try {
            // finish's commands come after start's in the script, but are known device by device
            // in the staging directory, not java.io.tmpdir: it lists IDs and commands, and goes with a killed run
            this.finishPart = out.createScratchFile("rollout-finish-");
            this.finish = Files.newBufferedWriter(finishPart, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw DpsException.environment("outputDirectory", "cannot create a temporary file for " + SCRIPT + ": "
                    + e.getMessage(), e);
        }
        OutputStream s;
        try {
            s = out.newOutputStream(SCRIPT);
        } catch (DpsException e) {
            try {
                finish.close();
                Files.deleteIfExists(finishPart);
            } catch (IOException ignored) {
                // best effort: it holds IDs and file names only
            }
            throw e;
        }
        this.script = new OutputStreamWriter(s, StandardCharsets.UTF_8);
        write(script, "#!/bin/sh\n"
                + "# Firmware rollout " + oneLine(title) + ": DPS individual X.509 enrollments of the devices whose"
                + " certificate changes.\n"
                + "# Written by dps-maven-plugin; review, then run with the Azure CLI (az, azure-iot extension) logged"
                + " in:\n"
                + "#   sh " + SCRIPT + " start    before the new firmware reaches any device (new certificate as"
                + " primary,\n"
                + "#                              the current one as secondary: devices on either firmware"
                + " authenticate)\n"
                + "#   sh " + SCRIPT + " finish   after every device runs the new firmware (secondary removed,"
                + " enrollments\n"
                + "#                              of changed registration IDs deleted)\n"
                + "set -eu\n"
                + "cd \"$(dirname \"$0\")\"\n"
                + "DPS_NAME=" + (dpsName != null ? EnrollmentWriter.quote(dpsName)
                        : "\"${DPS_NAME:?set DPS_NAME or the dpsName parameter}\"") + "\n"
                + "RESOURCE_GROUP=" + (resourceGroup != null ? EnrollmentWriter.quote(resourceGroup)
                        : "\"${RESOURCE_GROUP:?set RESOURCE_GROUP or the resourceGroup parameter}\"") + "\n"
                + "\n"
                + "# A device added since the previous release has no enrollment to update or delete: az exits 3"
                + " (not found).\n"
                + "# added: after a failed update, its first enrollment; gone: nothing to delete. Any other"
                + " failure stops.\n"
                + "added() { [ \"$1\" -eq 3 ] || exit \"$1\"; shift; \"$@\"; }\n"
                + "gone() { [ \"$1\" -eq 3 ] || exit \"$1\"; }\n"
                + "\n"
                + "start() {\n"
                + "  :\n");
        write(finish, "finish() {\n  :\n");
    }

    public static String startFileName(int n) {
        return String.format(Locale.ROOT, "dps-rollout-start-%04d.json", n);
    }

    public static String finishFileName(int n) {
        return String.format(Locale.ROOT, "dps-rollout-finish-%04d.json", n);
    }

    /**
     * {@code previous/<name>.pem}, {@code <name>} the previous registration ID's portable form
     * ({@link FileNames}); also the archive entry and the script's path.
     */
    public static String previousFileName(RegistrationId registrationId) {
        return PREVIOUS_DIRECTORY + "/" + FileNames.aliasCertificate(registrationId);
    }

    /** What the rollout does for a device, from its IDs and alias certificates (DER) under both firmwares. */
    public static Change change(String id, String previousId, byte[] alias, byte[] previousAlias) {
        if (!id.equals(previousId)) {
            return Change.REGISTRATION_ID;
        }
        return java.util.Arrays.equals(alias, previousAlias) ? Change.UNCHANGED : Change.CERTIFICATE;
    }

    /**
     * Adds one device, in the devices' order.
     *
     * @param aliasFile the new alias certificate's file, relative to the script
     * @param previousFile the previous alias certificate's file ({@link #previousFileName}); unused when unchanged
     * @throws DpsException naming {@code registrationId} when the device's previous ID is another device's
     *     ID under the new firmware (finish would delete that device's enrollment), or the other way round
     */
    public void add(String id, String aliasFile, String aliasPem, String previousId, String previousFile,
            String previousPem, Change change) {
        if (deleted.contains(id)) {
            throw conflict(id, id);
        }
        if (change == Change.REGISTRATION_ID && newIds.contains(previousId)) {
            throw conflict(id, previousId);
        }
        newIds.add(id);
        // --option=value: a value from the input is never read by az as an option of its own
        String target = "--dps-name=\"$DPS_NAME\" --resource-group=\"$RESOURCE_GROUP\" --enrollment-id=";
        switch (change) {
            case UNCHANGED:
                unchanged++;
                return;
            case CERTIFICATE:
                certificateChanges++;
                write(script, "  az iot dps enrollment update " + target + EnrollmentWriter.quote(id)
                        + " --certificate-path=" + EnrollmentWriter.quote(aliasFile)
                        + " --secondary-certificate-path=" + EnrollmentWriter.quote(previousFile)
                        + " || added $? az iot dps enrollment create " + target + EnrollmentWriter.quote(id)
                        + " --attestation-type x509 --certificate-path=" + EnrollmentWriter.quote(aliasFile) + "\n");
                write(finish, "  az iot dps enrollment update " + target + EnrollmentWriter.quote(id)
                        + " --certificate-path=" + EnrollmentWriter.quote(aliasFile)
                        + " --remove-secondary-certificate true\n");
                start.add("update", new Entry(id, aliasPem, previousPem, false));
                end.add("update", new Entry(id, aliasPem, null, false));
                return;
            default:
                idChanges++;
                deleted.add(previousId);
                write(script, "  az iot dps enrollment create " + target + EnrollmentWriter.quote(id)
                        + " --attestation-type x509 --certificate-path=" + EnrollmentWriter.quote(aliasFile) + "\n");
                write(finish, "  az iot dps enrollment delete " + target + EnrollmentWriter.quote(previousId)
                        + " || gone $?\n");
                start.add("create", new Entry(id, aliasPem, null, true));
                end.add("delete", new Entry(previousId, previousPem, null, false));
        }
    }

    private static DpsException conflict(String device, String shared) {
        return new DpsException("registrationId", "'" + shared + "' is one device's registration ID under the previous"
                + " firmware and another's under the new one; finish would delete the enrollment the other device"
                + " needs. Each device needs its own registration ID under both firmwares").forDevice("'" + device + "'");
    }

    public long unchanged() {
        return unchanged;
    }

    /** Devices kept under their registration ID whose certificate changes. */
    public long certificateChanges() {
        return certificateChanges;
    }

    /** Devices whose registration ID changes. */
    public long registrationIdChanges() {
        return idChanges;
    }

    public int startFiles() {
        return start.files;
    }

    public int finishFiles() {
        return end.files;
    }

    @Override
    public void close() {
        try {
            start.flushAll();
            end.flushAll();
            write(finish, "}\n");
            finish.close();
            write(script, "}\n\n");
            try (Reader r = Files.newBufferedReader(finishPart, StandardCharsets.UTF_8)) {
                r.transferTo(script);
            }
            write(script, "\ncase \"${1:-}\" in\n"
                    + "  start) start ;;\n"
                    + "  finish) finish ;;\n"
                    + "  *) echo \"usage: $0 start|finish\" >&2; exit 2 ;;\n"
                    + "esac\n");
            script.close();
            out.makeExecutable(SCRIPT);
        } catch (IOException e) {
            throw DpsException.environment("outputDirectory", "cannot write " + SCRIPT + ": " + e.getMessage(), e);
        } finally {
            try {
                finish.close();
                Files.deleteIfExists(finishPart);
            } catch (IOException ignored) {
                // a leftover temporary file holds IDs and file names only
            }
        }
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]", " ");
    }

    private static void write(Writer w, String s) {
        try {
            w.write(s);
        } catch (IOException e) {
            throw DpsException.environment("outputDirectory", "cannot write " + SCRIPT + ": " + e.getMessage(), e);
        }
    }

    /** One enrollment of a bulk body: its ID, primary certificate PEM and, for start's updates, the secondary. */
    private record Entry(String registrationId, String primaryPem, String secondaryPem, boolean enabled) {
    }

    /** The bulk bodies of one step: a pending body per mode, written when it holds 10, in the devices' order. */
    private final class Bodies {
        private final String step;
        private final List<String> modes = new ArrayList<>();
        private final List<List<Entry>> pending = new ArrayList<>();
        private int files;

        Bodies(String step) {
            this.step = step;
        }

        void add(String mode, Entry e) {
            int i = modes.indexOf(mode);
            if (i < 0) {
                modes.add(mode);
                pending.add(new ArrayList<>(EnrollmentWriter.BULK_LIMIT));
                i = modes.size() - 1;
            }
            List<Entry> list = pending.get(i);
            list.add(e);
            if (list.size() == EnrollmentWriter.BULK_LIMIT) {
                flush(mode, list);
            }
        }

        void flushAll() {
            for (int i = 0; i < modes.size(); i++) {
                flush(modes.get(i), pending.get(i));
            }
        }

        private void flush(String mode, List<Entry> list) {
            if (list.isEmpty()) {
                return;
            }
            files++;
            String name = step.equals("start") ? startFileName(files) : finishFileName(files);
            // by the output's writer threads: a synchronous creation here stalls the ordered writer on the
            // staging directory, which the writer threads are filling with certificates at the same time
            byte[] body = JsonIo.document(g -> {
                g.writeStartObject();
                g.writeStringField("mode", mode);
                g.writeArrayFieldStart("enrollments");
                for (Entry e : list) {
                    enrollment(g, e);
                }
                g.writeEndArray();
                g.writeEndObject();
            });
            if (!out.writeNewLater(name, body)) {
                throw new IllegalStateException(name + " written twice");
            }
            list.clear();
        }
    }

    /** An {@code IndividualEnrollment}: registrationId and an x509 attestation with client certificates. */
    private static void enrollment(JsonGenerator g, Entry e) throws IOException {
        EnrollmentWriter.individualEnrollment(g, e.registrationId(), e.primaryPem(), e.secondaryPem(), e.enabled());
    }
}
