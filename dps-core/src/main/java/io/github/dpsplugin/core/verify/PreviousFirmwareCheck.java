package io.github.dpsplugin.core.verify;

import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.id.RegistrationId;
import java.util.ArrayList;
import java.util.List;

/**
 * With a previous firmware given to {@code verify}: tells a certificate of the previous release
 * (what a device not yet updated presents) from one that matches neither firmware. The certificate
 * is checked against the previous firmware exactly as against the current one, with the same
 * expectations and UDS.
 */
final class PreviousFirmwareCheck {

    /** The check's name in reports. */
    static final String NAME = "previousFirmware";

    private PreviousFirmwareCheck() {
    }

    /**
     * {@code current}, and when it does not match this firmware one more check, {@link #NAME}: a
     * warning when it matches the previous firmware (its status is then
     * {@link Status#PREVIOUS_FIRMWARE}), a failure when {@code currentOnly} or when it matches neither.
     */
    static CertificateReport apply(CertificateReport current, CertificateVerifier previous, byte[] der,
            RegistrationId expected, Uds uds, boolean currentOnly) {
        List<Check> checks = new ArrayList<>(current.checks());
        if (current.ok()) {
            return current; // matches this firmware: nothing to compare, and nothing "not checked"
        } else {
            CertificateReport before = previous.verify(current.label(), der, expected, uds, null);
            String how = uds != null ? "byte for byte, recomputed with the UDS"
                    : "by the public checks (layout, registration ID, FWID, signature, nonce; no UDS given)";
            if (before.ok()) {
                String detail = "matches the previous firmware (FWID " + previous.firmware().fwidHex() + ") " + how;
                checks.add(currentOnly ? Check.fail(NAME, Cause.PREVIOUS_FIRMWARE, detail + "; currentOnly refuses it")
                        : Check.warn(NAME, Cause.PREVIOUS_FIRMWARE, detail));
            } else {
                checks.add(Check.fail(NAME, Cause.NEITHER_FIRMWARE, "against the previous firmware (FWID "
                        + previous.firmware().fwidHex() + ") too: " + before.causes()));
            }
        }
        return new CertificateReport(current.label(), current.registrationId(), current.expectedRegistrationId(),
                current.sha1Thumbprint(), checks);
    }
}
