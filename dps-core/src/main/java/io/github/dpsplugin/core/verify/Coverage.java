package io.github.dpsplugin.core.verify;

import io.github.dpsplugin.core.fleet.ListedDevices;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Whether the certificates verified cover the listed devices: a listed device none of them is of
 * is {@link Status#MISSING} (a failure: the release would leave it out), and a certificate of a
 * device not listed carries a {@link Cause#NOT_LISTED} warning (not a failure: a merged manifest
 * may hold other shards' devices). The listed IDs and those of the certificates are held as a
 * {@code generate} run holds its devices' IDs, one string each.
 */
final class Coverage {

    /** The name of the check that says whether a certificate's device is listed. */
    static final String NAME = "listed";

    private final ListedDevices devices;
    private final Set<String> listed = new HashSet<>();
    private final Set<String> covered = new HashSet<>();

    /** Reads and validates the listed devices; a device in error fails here, before any certificate is read. */
    Coverage(ListedDevices devices) {
        this.devices = devices;
        devices.forEach(d -> listed.add(d.registrationId().value()));
    }

    /** Notes the device {@code c} is of; a device not listed gets the warning. */
    CertificateReport add(CertificateReport c) {
        String id = c.registrationId() != null ? c.registrationId() : c.expectedRegistrationId();
        if (id == null) {
            return c; // unreadable: of no device
        }
        covered.add(id);
        if (listed.contains(id)) {
            return c;
        }
        List<Check> checks = new ArrayList<>(c.checks());
        checks.add(Check.warn(NAME, Cause.NOT_LISTED, "'" + id + "' is not among the listed devices ("
                + devices.description() + ")"));
        return new CertificateReport(c.label(), c.registrationId(), c.expectedRegistrationId(), c.sha1Thumbprint(),
                checks);
    }

    /** After the certificates: each listed device none of them is of, in the order listed. */
    void reportMissing(Consumer<CertificateReport> sink) {
        devices.forEach(d -> {
            String id = d.registrationId().value();
            if (!covered.contains(id)) {
                sink.accept(new CertificateReport(d.where(), id, null, null, List.of(Check.fail(NAME,
                        Cause.NO_CERTIFICATE, "listed in " + d.where() + "; none of the certificates verified"
                                + " carries '" + id + "'"))));
            }
        });
    }
}
