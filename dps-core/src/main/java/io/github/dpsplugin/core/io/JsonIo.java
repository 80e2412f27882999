package io.github.dpsplugin.core.io;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Reader;
import java.io.UncheckedIOException;

/**
 * dps-core's JSON, on Jackson's streaming API: strict reading (RFC 8259, duplicate names refused,
 * nesting and single tokens bounded, no bound on the document) and one layout for every file
 * written: UTF-8, two-space indentation, {@code "name": value}, LF line ends on every OS (not the
 * system line separator) and a final newline, so the bytes depend only on what is written.
 */
public final class JsonIo {

    /** Deepest nesting read; dps-core's documents need 3. */
    public static final int MAX_DEPTH = 32;
    /** Longest string or name read (one token, not the document). */
    public static final int MAX_TOKEN = 1 << 20;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8) // as 4-byte UTF-8, not escaped pairs
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
                    .maxStringLength(MAX_TOKEN).maxNameLength(MAX_TOKEN).build())
            .build();

    private static final DefaultIndenter LF = new DefaultIndenter("  ", "\n");
    private static final DefaultPrettyPrinter LAYOUT = new DefaultPrettyPrinter(Separators.createDefaultInstance()
            .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
            .withObjectEmptySeparator("").withArrayEmptySeparator(""))
            .withObjectIndenter(LF).withArrayIndenter(LF);

    private JsonIo() {
    }

    /** A generator writing UTF-8 to {@code out} in the layout above; closing it closes {@code out}. */
    public static JsonGenerator generator(OutputStream out) throws IOException {
        return FACTORY.createGenerator(out, JsonEncoding.UTF8).setPrettyPrinter(LAYOUT.createInstance());
    }

    /** Ends the document: the newline after its root value. */
    public static void endDocument(JsonGenerator g) throws IOException {
        g.writeRaw('\n');
    }

    /** A parser of {@code in}; closing it closes {@code in}. */
    public static JsonParser parser(Reader in) throws IOException {
        return FACTORY.createParser(in);
    }

    /** What {@link #document} writes: one root value. */
    @FunctionalInterface
    public interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /** A whole (small) document in memory, as UTF-8 bytes with the final newline. */
    public static byte[] document(Body body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        try (JsonGenerator g = generator(bytes)) {
            body.write(g);
            endDocument(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // only from body's own code: the target is memory
        }
        return bytes.toByteArray();
    }
}
