package io.github.dpsplugin.core.enroll;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.verify.ManifestReader;

/**
 * One device of the output, as its manifest lists it: registration ID, alias certificate file and
 * thumbprints; in a rollout also its previous registration ID (when it changed) and the previous
 * alias certificate's file (when written) and thumbprints. Public facts only.
 */
record FleetDevice(String id, String file, String sha1, String sha256, String previousId, String previousFile,
        String previousSha1, String previousSha256) {

    static FleetDevice of(ManifestReader.Entry e, String manifest) {
        String sha1 = e.string("aliasThumbprintSha1");
        String sha256 = e.string("aliasThumbprintSha256");
        if (sha1 == null && sha256 == null) {
            throw new DpsException("manifest", manifest + ": device " + DpsException.quote(e.registrationId().value())
                    + " has no aliasThumbprintSha256; is it a dps-manifest.json written by generate?");
        }
        return new FleetDevice(e.registrationId().value(), e.file(), sha1, sha256, e.string("previousRegistrationId"),
                e.string("previousAliasCertificate"), e.string("previousAliasThumbprintSha1"),
                e.string("previousAliasThumbprintSha256"));
    }

    /** Whether the manifest knows this device's certificate of the previous firmware. */
    boolean hasPrevious() {
        return previousSha1 != null || previousSha256 != null;
    }

    /** How the device is named in messages: its ID, and its previous ID when that differs. */
    String label() {
        return DpsException.quote(id) + (previousId == null ? "" : " (previously " + DpsException.quote(previousId) + ")");
    }
}
