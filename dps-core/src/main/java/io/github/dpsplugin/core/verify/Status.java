package io.github.dpsplugin.core.verify;

import java.util.Locale;

/**
 * The verdict on one certificate, in the words the text report, the JSON report and the build log
 * all use ({@link #word()}).
 */
public enum Status {
    /** Recomputed from the device's UDS and the firmware: identical, byte for byte. */
    RECOMPUTED("identical, byte for byte, to the certificate recomputed from the device's UDS and this firmware"),
    /** Every check made without the UDS passes; not recomputed. */
    CONSISTENT("passes every check made without the UDS (layout, registration ID, FWID, signature, nonce); not"
            + " recomputed, so a changed riot_core or UDS would not show"),
    /** The previous firmware's certificate: counted, not a failure (unless current-only is asked for). */
    PREVIOUS_FIRMWARE("the certificate the device computes from the previous firmware, which it presents until it"
            + " runs this one; counted, not a failure (currentOnly makes it one)"),
    /** The device would not present this certificate; the causes say why. */
    MISMATCH("the device would not present this certificate; the causes say why"),
    /** Not a certificate: a listed device that none of the certificates verified is of. */
    MISSING("a listed device without a certificate among those verified: after this release it could not"
            + " authenticate");

    private final String meaning;

    Status(String meaning) {
        this.meaning = meaning;
    }

    /** The status as every report writes it: {@code recomputed}, {@code consistent}, {@code previous-firmware}, {@code mismatch}, {@code missing}. */
    public String word() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** What the status means, for the reports' legend. */
    public String meaning() {
        return meaning;
    }
}
