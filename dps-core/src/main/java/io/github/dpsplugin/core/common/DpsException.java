package io.github.dpsplugin.core.common;

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
     * The same error, about the parameter {@code field}: for a value a goal takes under another
     * name than the one the core checks it as (a UDS file that is not the run's own, say).
     */
    public DpsException forField(String field) {
        DpsException e = new DpsException(device, field, detail, getCause(), kind);
        e.setStackTrace(getStackTrace());
        return e;
    }

    /** Values longer than this are cut in messages: longer than any valid ID, short enough for one log line. */
    public static final int MAX_QUOTED = 128;
    /** A run of this many hex digits or more in a quoted value is not shown: it may be a UDS (64) or half of one. */
    static final int MIN_HIDDEN_HEX = 32;

    /**
     * {@code value} in single quotes, safe to print: control characters, line and paragraph
     * separators and bidirectional overrides are shown as {@code \\uXXXX}. Input comes from files
     * and POMs written by others; echoed raw it could rewrite a terminal line or reorder a log.
     * A run of 32 or more hex digits is replaced by {@code <N hex digits not shown>}: a UDS put
     * into the wrong column or parameter must not reach the log. A value longer than
     * {@value #MAX_QUOTED} characters is cut, saying how long it was.
     */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        int end = value.length();
        boolean cut = false;
        if (end > MAX_QUOTED) {
            end = Character.isHighSurrogate(value.charAt(MAX_QUOTED - 1)) ? MAX_QUOTED - 1 : MAX_QUOTED;
            cut = true;
        }
        StringBuilder sb = new StringBuilder(end + 24).append('\'');
        for (int i = 0; i < end; i++) {
            char c = value.charAt(i);
            int run = hexRun(value, i);
            if (run >= MIN_HIDDEN_HEX) {
                sb.append('<').append(run).append(" hex digits not shown>");
                i += run - 1;
                continue;
            }
            boolean unsafe = Character.isISOControl(c) || c == '\u2028' || c == '\u2029'
                    || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') || c == '\u200e'
                    || c == '\u200f' || c == '\u061c' || Character.isSurrogate(c) && !validPair(value, i);
            if (unsafe) {
                sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (cut && sb.length() > 1) {
            sb.append("\u2026(").append(value.length()).append(" characters)");
        }
        return sb.append('\'').toString();
    }

    /** The length of the run of hex digits starting at {@code i}, if it starts a run; else 0. */
    private static int hexRun(String s, int i) {
        if (i > 0 && isHex(s.charAt(i - 1)) || !isHex(s.charAt(i))) {
            return 0;
        }
        int j = i;
        while (j < s.length() && isHex(s.charAt(j))) {
            j++;
        }
        return j - i;
    }

    private static boolean isHex(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
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
