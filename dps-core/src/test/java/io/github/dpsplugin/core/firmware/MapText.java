package io.github.dpsplugin.core.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.dpsplugin.core.Vectors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Edits of the real fw-a link map for error tests: text replacements written into a temp dir. */
final class MapText {

    static final Path FW_A_MAP = Vectors.file("firmware/fw-a.ino.map");
    static final Path FW_A_BIN = Vectors.file("firmware/fw-a.ino.bin");

    private MapText() {
    }

    static String fwA() {
        try {
            return Files.readString(FW_A_MAP, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path write(Path dir, String name, String text) {
        try {
            return Files.writeString(dir.resolve(name), text, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Replaces exactly one occurrence of {@code from}. */
    static String replaceOnce(String text, String from, String to) {
        int i = text.indexOf(from);
        assertEquals(i, text.lastIndexOf(from), "'" + from + "' must occur once");
        if (i < 0) {
            throw new AssertionError("'" + from + "' not in the map");
        }
        return text.substring(0, i) + to + text.substring(i + from.length());
    }

    /** Sets the address on the (single) line of {@code symbol}. */
    static String withAddress(String text, String symbol, long address) {
        Matcher m = Pattern.compile("0x[0-9a-f]{8}(\\s+" + Pattern.quote(symbol) + " = \\.)").matcher(text);
        if (!m.find()) {
            throw new AssertionError(symbol + " line not found");
        }
        String replaced = text.substring(0, m.start()) + String.format(Locale.ROOT, "0x%08x", address) + m.group(1)
                + text.substring(m.end());
        if (m.find()) {
            throw new AssertionError(symbol + " line occurs more than once");
        }
        return replaced;
    }

    /** Removes every line containing {@code needle}. */
    static String withoutLinesContaining(String text, String needle) {
        String out = text.replaceAll("(?m)^[^\\n]*" + Pattern.quote(needle) + "[^\\n]*\\n", "");
        if (out.equals(text)) {
            throw new AssertionError("no line contains " + needle);
        }
        return out;
    }
}
