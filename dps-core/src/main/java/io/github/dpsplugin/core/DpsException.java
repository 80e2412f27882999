package io.github.dpsplugin.core;

/**
 * The one exception type dps-core throws for bad input or an input the device cannot use.
 *
 * <p>Every message names the field at fault (for example {@code uds}, {@code firmwareMap},
 * {@code registrationId}) and says what was expected. Messages never contain secret values:
 * a UDS is described by its length or by the position of a bad character, never echoed.
 */
public class DpsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String field;

    public DpsException(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public DpsException(String field, String message, Throwable cause) {
        super(field + ": " + message, cause);
        this.field = field;
    }

    /** The input field this error is about, e.g. {@code uds} or {@code firmwareMap}. */
    public String field() {
        return field;
    }
}
