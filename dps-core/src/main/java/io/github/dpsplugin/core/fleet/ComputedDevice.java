package io.github.dpsplugin.core.fleet;

import io.github.dpsplugin.core.DeviceCertificates;
import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.output.CertificateArchive;
import io.github.dpsplugin.core.output.RolloutWriter;

/** One device's finished outputs, or its error; made on a worker thread. */
final class ComputedDevice {
    final DeviceCertificates certs;
    final byte[] alias;
    final byte[] deviceId;
    final DpsException error;
    /** With a rollout: the certificates under the previous firmware, what changes, and the previous PEM if it does. */
    final DeviceCertificates previous;
    final RolloutWriter.Change change;
    final byte[] previousAlias;
    /** With an archive: alias, DeviceID and previous alias PEM compressed for it (the last null when not written). */
    final CertificateArchive.Entry[] compressed;
    /** The UDS's fingerprint ({@link UdsFingerprints}), or null when shared UDS values are allowed. */
    Object udsFingerprint;

    ComputedDevice(DpsException error) {
        this(null, null, null, error, null, null, null, null);
    }

    ComputedDevice(DeviceCertificates certs, byte[] alias, byte[] deviceId, DpsException error, DeviceCertificates previous,
            RolloutWriter.Change change, byte[] previousAlias, CertificateArchive.Entry[] compressed) {
        this.compressed = compressed;
        this.certs = certs;
        this.alias = alias;
        this.deviceId = deviceId;
        this.error = error;
        this.previous = previous;
        this.change = change;
        this.previousAlias = previousAlias;
    }
}
