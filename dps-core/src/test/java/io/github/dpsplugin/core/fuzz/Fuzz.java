package io.github.dpsplugin.core.fuzz;

import io.github.dpsplugin.core.common.DpsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A small property-based fuzzing harness for JUnit: {@link #check} feeds {@code tries} generated
 * inputs to a property. The property may reject an input with {@link DpsException} (the project's
 * one exception for bad input); anything else escaping it (another exception, an assertion, an
 * error) fails the test with the seed and try that reproduce it.
 *
 * <p>Deterministic: input {@code i} of property {@code name} comes from a {@link SplittableRandom}
 * seeded with {@code (seed, name, i)}; {@code -Ddps.fuzz.seed=<n>} explores other inputs and
 * {@code -Ddps.fuzz.scale=<factor>} multiplies the number of tries (e.g. 100 for a long run). Each
 * property prints one statistics line and appends it to {@code target/fuzz-statistics.txt}.
 */
public final class Fuzz {

    /** The base seed; the default run is the same on every machine. */
    public static final long SEED = Long.getLong("dps.fuzz.seed", 0x2026_1126L);
    /** Multiplies every property's tries. */
    public static final double SCALE = Double.parseDouble(System.getProperty("dps.fuzz.scale", "1"));

    private Fuzz() {
    }

    /** What a run of a property saw. */
    public static final class Stats {
        public final String name;
        public final int tries;
        public final int accepted;
        public final int rejected;
        /** Rejections by field, e.g. {@code macAddress=812}. */
        public final TreeMap<String, Integer> byField;
        public final long millis;

        Stats(String name, int tries, int accepted, int rejected, TreeMap<String, Integer> byField, long millis) {
            this.name = name;
            this.tries = tries;
            this.accepted = accepted;
            this.rejected = rejected;
            this.byField = byField;
            this.millis = millis;
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "[fuzz] %s: %d tries, %d accepted, %d rejected with DpsException %s,"
                    + " %d ms, seed %d", name, tries, accepted, rejected, byField, millis, SEED);
        }
    }

    /** The random source of try {@code i} of property {@code name}. */
    public static SplittableRandom random(String name, int i) {
        long h = SEED;
        for (int k = 0; k < name.length(); k++) {
            h = h * 1_000_003L + name.charAt(k);
        }
        return new SplittableRandom(h * 0x9E3779B97F4A7C15L + i);
    }

    /**
     * Runs {@code property} on {@code tries * SCALE} inputs of {@code generator}.
     *
     * @param show renders an input for the failure message (keep it short)
     */
    public static <T> Stats check(String name, int tries, Function<SplittableRandom, T> generator,
            Function<T, String> show, Consumer<T> property) {
        int n = Math.max(1, (int) Math.round(tries * SCALE));
        int accepted = 0;
        int rejected = 0;
        TreeMap<String, Integer> byField = new TreeMap<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            T input = generator.apply(random(name, i));
            try {
                property.accept(input);
                accepted++;
            } catch (DpsException e) {
                rejected++;
                byField.merge(e.field(), 1, Integer::sum);
            } catch (Throwable t) {
                throw new AssertionError("property " + name + " failed on try " + i + " (-Ddps.fuzz.seed=" + SEED
                        + "): " + t + "\n  input: " + cut(show.apply(input)), t);
            }
        }
        Stats stats = new Stats(name, n, accepted, rejected, byField, (System.nanoTime() - t0) / 1_000_000);
        record(stats.toString());
        return stats;
    }

    /** Prints a statistics line and appends it to target/fuzz-statistics.txt. */
    public static void record(String line) {
        System.out.println(line);
        try {
            Path file = Path.of("target", "fuzz-statistics.txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String cut(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 2000) + "...";
    }

    /** Java-escaped and cut to 400 characters. */
    public static String abbreviate(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < s.length() && sb.length() < 400; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                sb.append(c);
            } else {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            }
        }
        return sb.append(s.length() > 400 ? "\"... (" + s.length() + " chars)" : "\"").toString();
    }

    /**
     * Fails if {@code message} holds a character that could rewrite a terminal or reorder a log
     * line: controls (but the line breaks of a combined report), separators, bidi overrides, lone
     * surrogates.
     */
    public static void assertPrintable(String message) {
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            boolean bad = (Character.isISOControl(c) && c != '\n') || c == '\u2028' || c == '\u2029'
                    || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069')
                    || (Character.isHighSurrogate(c) && (i + 1 == message.length()
                            || !Character.isLowSurrogate(message.charAt(i + 1))))
                    || (Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(message.charAt(i - 1))));
            if (bad) {
                throw new AssertionError(String.format(Locale.ROOT, "unprintable U+%04X at %d in the message: %s",
                        (int) c, i, abbreviate(message)));
            }
        }
    }

    // ---- generators ----

    /** Characters that break naive parsers: separators, Unicode digits and spaces, surrogates, controls. */
    static final String SPECIAL = ":-._,/;\"'#= \t\r\n\0\u007f\u00a0\u2007\u200b\ufeff\u0085\u2028"
            + "\u0660\u0663\u06f5\u0966\uff10\uff13\uff21\uff26\u00e9\u0131\u0130\u00df\u212a\u017f\ud800\udc00";
    static final String HEX = "0123456789abcdefABCDEF";
    static final String ASCII = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static final int[] LENGTHS = {0, 1, 2, 3, 5, 11, 12, 13, 14, 16, 17, 31, 32, 33, 63, 64, 65, 66, 126, 127, 128};

    /** A character: mostly hex and ASCII, often a special one, sometimes any UTF-16 unit. */
    public static char anyChar(SplittableRandom r) {
        int k = r.nextInt(10);
        if (k < 4) {
            return HEX.charAt(r.nextInt(HEX.length()));
        }
        if (k < 7) {
            return ASCII.charAt(r.nextInt(ASCII.length()));
        }
        if (k < 9) {
            return SPECIAL.charAt(r.nextInt(SPECIAL.length()));
        }
        return (char) r.nextInt(0x10000);
    }

    /** A length near a boundary that matters (0, 12, 17, 64, 127, ...) or any up to {@code max}. */
    public static int anyLength(SplittableRandom r, int max) {
        return r.nextBoolean() ? LENGTHS[r.nextInt(LENGTHS.length)] : r.nextInt(max + 1);
    }

    /** A string of {@link #anyChar}s. */
    public static String anyString(SplittableRandom r, int maxLength) {
        int n = anyLength(r, maxLength);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(anyChar(r));
        }
        return sb.toString();
    }

    /** A string of characters from {@code alphabet}. */
    public static String stringOf(SplittableRandom r, String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    /**
     * {@code valid} with up to {@code maxEdits} random edits: insert, delete or replace a character,
     * flip case, duplicate or cut a piece, pad with white space.
     */
    public static String mutate(SplittableRandom r, String valid, int maxEdits) {
        StringBuilder sb = new StringBuilder(valid);
        int edits = r.nextInt(maxEdits + 1);
        for (int e = 0; e < edits; e++) {
            int at = sb.length() == 0 ? 0 : r.nextInt(sb.length() + 1);
            switch (r.nextInt(8)) {
                case 0:
                    sb.insert(at, anyChar(r));
                    break;
                case 1:
                    if (at < sb.length()) {
                        sb.deleteCharAt(at);
                    }
                    break;
                case 2:
                    if (at < sb.length()) {
                        sb.setCharAt(at, anyChar(r));
                    }
                    break;
                case 3:
                    if (at < sb.length()) {
                        char c = sb.charAt(at);
                        sb.setCharAt(at, Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c));
                    }
                    break;
                case 4:
                    int to = at + r.nextInt(Math.max(1, sb.length() - at + 1));
                    sb.insert(at, sb.substring(at, Math.min(to, sb.length())));
                    break;
                case 5:
                    sb.setLength(at);
                    break;
                case 6:
                    sb.insert(0, r.nextBoolean() ? " " : "\t").append(r.nextBoolean() ? "\n" : " ");
                    break;
                default:
                    sb.insert(at, SPECIAL.charAt(r.nextInt(SPECIAL.length())));
                    break;
            }
        }
        return sb.toString();
    }

    /** One of {@code options}. */
    @SafeVarargs
    public static <T> T oneOf(SplittableRandom r, T... options) {
        return options[r.nextInt(options.length)];
    }
}
