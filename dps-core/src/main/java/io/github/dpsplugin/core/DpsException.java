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

    /** Whose fault: the user's input, or the environment the build runs in. */
    public enum Kind {
        /** Bad or unusable input: a parameter, a file's content, a device (Maven: a build failure). */
        INPUT,
        /** An I/O or environment fault: a full disk, a file that cannot be replaced, an internal error. */
        ENVIRONMENT
    }

    private final String field;
    private final String device;
    private final String detail;
    private final Kind kind;

    public DpsException(String field, String message) {
        this(null, field, message, null, Kind.INPUT);
    }

    public DpsException(String field, String message, Throwable cause) {
        this(null, field, message, cause, Kind.INPUT);
    }

    private DpsException(String device, String field, String detail, Throwable cause, Kind kind) {
        super((device == null ? "" : "device " + device + ": ") + field + ": " + detail, cause);
        this.field = field;
        this.device = device;
        this.detail = detail;
        this.kind = kind;
    }

    /**
     * An I/O or environment fault (not the user's input): the message still names the field
     * (usually {@code outputDirectory}) and what failed; the cause is attached.
     */
    public static DpsException environment(String field, String message, Throwable cause) {
        return new DpsException(null, field, message, cause, Kind.ENVIRONMENT);
    }

    /** Whether the user's input or the environment is at fault. */
    public Kind kind() {
        return kind;
    }

    /**
     * The same error, attributed to a device; {@code device} is how the user knows it, e.g.
     * {@code 'devkit-01'} or {@code devices.csv:12}.
     */
    public DpsException forDevice(String device) {
        DpsException e = new DpsException(device, field, detail, getCause(), kind);
        e.setStackTrace(getStackTrace());
        return e;
    }

    /**
     * {@code value} in single quotes, safe to print: control characters, line and paragraph
     * separators and bidirectional overrides are shown as {@code \\uXXXX}. Input comes from files
     * and POMs written by others; echoed raw it could rewrite a terminal line or reorder a log.
     */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean unsafe = Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                    || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') || c == '\u200e'
                    || c == '\u200f' || c == '\u061c' || Character.isSurrogate(c) && !validPair(value, i);
            if (unsafe) {
                sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('\'').toString();
    }

    private static boolean validPair(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    /** The device this error is about, or {@code null} when it concerns the whole run. */
    public String device() {
        return device;
    }

    /** The input field this error is about, e.g. {@code uds} or {@code firmwareMap}. */
    public String field() {
        return field;
    }

    /** What is wrong, without the device and field that {@link #getMessage()} puts before it. */
    public String detail() {
        return detail;
    }
}
