package io.github.dpsplugin.core.verify;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The verdict on one certificate: its checks in a fixed order, and from them whether the device
 * would authenticate with it and if not, why. Holds public facts only.
 *
 * @param label how the certificate was given, e.g. its file name
 * @param registrationId the certificate's subject CN, or {@code null} when it has none (or could not be read)
 * @param expectedRegistrationId the registration ID it was expected to carry, or {@code null} when none was given
 * @param sha1Thumbprint SHA-1 of the DER, upper-case hex as the Azure portal shows it; {@code null} when unreadable
 */
public record CertificateReport(String label, String registrationId, String expectedRegistrationId,
        String sha1Thumbprint, List<Check> checks) {

    public CertificateReport {
        checks = Collections.unmodifiableList(new ArrayList<>(checks));
    }

    /** The check named {@code name}, or {@code null}. */
    public Check check(String name) {
        for (Check c : checks) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }

    /**
     * The verdict: {@link Status#MISSING} for a listed device without a certificate, else {@link Status#PREVIOUS_FIRMWARE} when recognised as the previous firmware's (and
     * that is not refused), else {@link Status#MISMATCH} when a check failed, else
     * {@link Status#RECOMPUTED} when recomputed with the UDS, else {@link Status#CONSISTENT}.
     */
    public Status status() {
        Check listed = check(Coverage.NAME);
        if (listed != null && listed.cause() == Cause.NO_CERTIFICATE) {
            return Status.MISSING;
        }
        Check previous = check(PreviousFirmwareCheck.NAME);
        if (previous != null && previous.outcome() == Check.Outcome.WARN && previous.cause() == Cause.PREVIOUS_FIRMWARE) {
            return Status.PREVIOUS_FIRMWARE;
        }
        if (!causes().isEmpty()) {
            return Status.MISMATCH;
        }
        Check recompute = check(CertificateVerifier.RECOMPUTE);
        return recompute != null && recompute.outcome() == Check.Outcome.PASS ? Status.RECOMPUTED : Status.CONSISTENT;
    }

    /** True unless the status is {@link Status#MISMATCH} or {@link Status#MISSING}: not a failure. */
    public boolean ok() {
        Status s = status();
        return s != Status.MISMATCH && s != Status.MISSING;
    }

    /** The causes of the failed checks, each once, in check order. */
    public Set<Cause> causes() {
        return causesOf(Check.Outcome.FAIL);
    }

    /** The causes of the warnings, each once. */
    public Set<Cause> warnings() {
        return causesOf(Check.Outcome.WARN);
    }

    private Set<Cause> causesOf(Check.Outcome outcome) {
        Set<Cause> out = new LinkedHashSet<>();
        for (Check c : checks) {
            if (c.outcome() == outcome) {
                out.add(c.cause());
            }
        }
        return Collections.unmodifiableSet(out);
    }

    @Override
    public String toString() {
        return "CertificateReport[" + label + ", " + status().word() + (ok() ? "" : " " + causes()) + "]";
    }
}
