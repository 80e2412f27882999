package io.github.dpsplugin.core.fleet;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.FirmwareMeasurement;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.output.CertificateArchive;
import io.github.dpsplugin.core.output.EnrollmentWriter;
import io.github.dpsplugin.core.output.FileNames;
import io.github.dpsplugin.core.output.ManifestWriter;
import io.github.dpsplugin.core.output.RolloutWriter;
import io.github.dpsplugin.core.output.StagedOutput;
import io.github.dpsplugin.core.output.Writers;
import io.github.dpsplugin.core.rollout.PreviousFirmware;
import io.github.dpsplugin.core.rollout.RolloutSummary;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Everything one device is written to, in the devices' order: its {@code .pem} files, the
 * manifest, and the archive, enrollment and rollout files the request asks for, all staged in one
 * {@link StagedOutput}. Created empty so that {@link #close} finishes whichever writers
 * {@link #open} got to before a fault.
 */
final class RunOutputs {

    private final StagedOutput out;
    private final BatchRequest request;
    private ManifestWriter manifest;
    private RolloutWriter rollout;
    private CertificateArchive archive;
    private EnrollmentWriter enrollment;

    RunOutputs(StagedOutput out, BatchRequest request) {
        this.out = out;
        this.request = request;
    }

    /** Starts the writers; {@code previous} and {@code rolloutName} only for a rollout. */
    void open(FirmwareMeasurement current, FirmwareMeasurement previous, String rolloutName) {
        PreviousFirmware before = request.previousFirmware();
        manifest = new ManifestWriter(out.newOutputStream(ManifestWriter.FILE_NAME),
                request.firmware().names(), current,
                request.noncePolicy().name().toLowerCase(Locale.ROOT),
                request.shard().isAll() ? null : request.shard().toString(),
                before == null ? null : before.names(),
                previous,
                before == null || before.version() == null ? null : before.version().value());
        rollout = before == null ? null : new RolloutWriter(out, request.dpsName(), request.resourceGroup(),
                rolloutName);
        archive = request.archive() ? new CertificateArchive(out.newOutputStream(CertificateArchive.FILE_NAME)) : null;
        enrollment = request.enrollment() ? new EnrollmentWriter(out, request.dpsName(), request.resourceGroup()) : null;
    }

    /** Writes one device's outputs. */
    DeviceOutput write(DeviceSpec device, ComputedDevice done) {
        RegistrationId id = device.registrationId();
        String aliasName = FileNames.aliasCertificate(id);
        String deviceIdName = FileNames.deviceIdCertificate(id);
        String previousName = done.previousAlias == null ? null
                : RolloutWriter.previousFileName(done.previous.registrationId());
        if (rollout != null) {
            // first: it refuses an ID that another device's previous ID shares, before anything else is added
            rollout.add(id.value(), aliasName, text(done.alias), done.previous.registrationId().value(), previousName,
                    done.previousAlias == null ? null : text(done.previousAlias), done.change);
        }
        if (request.certificateFiles()) {
            // written by the output's writer threads: file creation is slow and needs no CPU of the generators
            if (!out.writeNewLater(aliasName, done.alias) || !out.writeNewLater(deviceIdName, done.deviceId)) {
                throw IdCollisions.collision(id);
            }
            if (previousName != null && !out.writeNewLater(previousName, done.previousAlias)) {
                throw IdCollisions.previous(done.previous.registrationId());
            }
        }
        manifest.device(done.certs, aliasName, deviceIdName, done.previous, previousName);
        if (archive != null) {
            // compressed by the worker that computed them: the ordered writer only lays out the records
            CertificateArchive.Entry[] z = done.compressed;
            if (!archive.add(aliasName, z[0]) || !archive.add(deviceIdName, z[1])) {
                throw IdCollisions.collision(id);
            }
            if (previousName != null && !archive.add(previousName, z[2])) {
                throw IdCollisions.previous(done.previous.registrationId());
            }
        }
        if (enrollment != null) {
            enrollment.add(id.value(), aliasName, text(done.alias));
        }
        return new DeviceOutput(done.certs, request.certificateFiles() ? out.finalPath(aliasName) : null,
                request.certificateFiles() ? out.finalPath(deviceIdName) : null);
    }

    /**
     * Once the run has failed nothing is written; a device's file names are still reserved, so that
     * the report lists every collision.
     */
    void reserve(DeviceSpec device, ComputedDevice done, List<DpsException> errors) {
        if (!request.certificateFiles()) {
            return;
        }
        RegistrationId id = device.registrationId();
        if (!(out.reserve(FileNames.aliasCertificate(id)) & out.reserve(FileNames.deviceIdCertificate(id)))) {
            errors.add(IdCollisions.collision(id));
        }
        if (done.previousAlias != null && !out.reserve(RolloutWriter.previousFileName(done.previous.registrationId()))) {
            errors.add(IdCollisions.previous(done.previous.registrationId()));
        }
    }

    /** Finishes the writers: completes them, or only releases them when the run failed. */
    void close(boolean failed) {
        Writers.closeAll(failed, manifest, archive, enrollment, rollout);
    }

    /** What the rollout changed, once the writers are closed; null without a rollout. */
    RolloutSummary rolloutSummary(String from, String to, String previousFwid, String currentFwid) {
        return rollout == null ? null : new RolloutSummary(from, to, previousFwid, currentFwid,
                rollout.certificateChanges(), rollout.registrationIdChanges(), rollout.unchanged(),
                rollout.startFiles(), rollout.finishFiles());
    }

    Path manifestPath() {
        return out.finalPath(ManifestWriter.FILE_NAME);
    }

    Path archivePath() {
        return archive == null ? null : out.finalPath(CertificateArchive.FILE_NAME);
    }

    private static String text(byte[] pem) {
        return new String(pem, StandardCharsets.US_ASCII);
    }
}
