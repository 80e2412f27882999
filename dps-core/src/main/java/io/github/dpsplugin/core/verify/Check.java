package io.github.dpsplugin.core.verify;

import java.util.Objects;

/**
 * One check of a certificate: what was checked, the outcome, and for a failure or warning its cause.
 *
 * @param name what was checked: {@code certificate}, {@code layout}, {@code registrationId}, {@code fwid}, …
 * @param cause the cause of a FAIL or WARN; {@code null} otherwise
 * @param detail the facts behind the outcome (values compared, what is missing). Never a secret.
 */
public record Check(String name, Outcome outcome, Cause cause, String detail) {

    /** The result of one check. */
    public enum Outcome {
        /** Checked and fine. */
        PASS,
        /** Fine for authentication, but the user should know something (see the cause). */
        WARN,
        /** The certificate would not authenticate, for the cause given. */
        FAIL,
        /** Not checked, because an input is missing or an earlier check failed; the detail says which. */
        SKIP
    }

    public Check {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(outcome, "outcome");
        if ((outcome == Outcome.FAIL || outcome == Outcome.WARN) != (cause != null)) {
            throw new IllegalArgumentException("a cause goes with FAIL and WARN, and only with them");
        }
        Objects.requireNonNull(detail, "detail");
    }

    static Check pass(String name, String detail) {
        return new Check(name, Outcome.PASS, null, detail);
    }

    static Check fail(String name, Cause cause, String detail) {
        return new Check(name, Outcome.FAIL, cause, detail);
    }

    static Check warn(String name, Cause cause, String detail) {
        return new Check(name, Outcome.WARN, cause, detail);
    }

    static Check skip(String name, String detail) {
        return new Check(name, Outcome.SKIP, null, detail);
    }

    @Override
    public String toString() {
        return outcome + " " + name + (cause == null ? "" : " " + cause) + ": " + detail;
    }
}
