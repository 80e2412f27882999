package io.github.dpsplugin.core.io;

import io.github.dpsplugin.core.common.DpsException;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads a text file line by line with a bound on the line length and on the total size, so that
 * a binary, endless or hostile file is rejected instead of read whole. LF and CRLF endings; a
 * UTF-8 byte order mark at the start is skipped. Lines are returned as {@code char[]} so that
 * secret files (a UDS list) need not become immutable strings; {@link #clear()} wipes the buffer.
 */
public final class BoundedLineReader implements Closeable {

    private final ClearableBuffer in;
    private final String field;
    private final String source;
    private final int maxLineLength;
    private final long maxSize;
    private byte[] bytes = new byte[256];
    private char[] chars = new char[256];
    private int length;
    private int lineNumber;
    private long total;
    private boolean utf8;
    private String kind;
    private String binaryHint;
    private boolean endedMidLine;

    /**
     * @param field the input field named in errors (e.g. {@code firmwareMap}, {@code devicesFile})
     * @param source the file name used in errors
     * @param utf8 decode lines as UTF-8 (else ISO-8859-1, which never fails on binary input)
     */
    public BoundedLineReader(InputStream in, String field, String source, int maxLineLength, long maxSize,
            boolean utf8) {
        this.in = new ClearableBuffer(in);
        this.field = field;
        this.source = source;
        this.maxLineLength = maxLineLength;
        this.maxSize = maxSize;
        this.utf8 = utf8;
    }

    /**
     * Names what the file should be in the size and line-length errors ("not {@code kind}"), e.g.
     * {@code "a GNU ld map file"}; without it they ask whether it is the right file.
     */
    public BoundedLineReader expecting(String kind) {
        this.kind = kind;
        return this;
    }

    /**
     * Refuses a NUL byte: text files never hold one, so the file is binary; the error says
     * "is binary (a NUL byte on line N); {@code hint}".
     */
    public BoundedLineReader refusingBinary(String hint) {
        this.binaryHint = hint;
        return this;
    }

    /** Whether the input ended without a line break after its last line (e.g. a truncated file). */
    public boolean endedMidLine() {
        return endedMidLine;
    }

    /** Bytes of the input consumed by the lines returned so far, their line breaks included. */
    public long bytesRead() {
        return total;
    }

    /** Number of the line last returned, 1-based. */
    public int lineNumber() {
        return lineNumber;
    }

    /** Reads the next line into the internal buffer; returns its length, or -1 at the end. */
    public int next() throws IOException {
        length = 0;
        int c;
        boolean any = false;
        while ((c = in.readUnlocked()) >= 0) {
            any = true;
            if (++total > maxSize) {
                throw new DpsException(field, source + " is larger than " + (maxSize >> 20) + " MiB"
                        + (kind == null ? "" : "; not " + kind));
            }
            if (c == '\n') {
                break;
            }
            if (c == 0 && binaryHint != null) {
                throw new DpsException(field, source + " is binary (a NUL byte on line " + (lineNumber + 1) + "); "
                        + binaryHint);
            }
            if (length >= maxLineLength) {
                throw new DpsException(field, kind == null
                        ? source + ":" + (lineNumber + 1) + ": line longer than " + maxLineLength
                                + " characters; is this the right file?"
                        : source + " line " + (lineNumber + 1) + " is longer than " + maxLineLength
                                + " characters; not " + kind);
            }
            if (length == bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.min(maxLineLength + 1, bytes.length * 2));
            }
            bytes[length++] = (byte) c;
        }
        if (!any) {
            return -1;
        }
        endedMidLine = c != '\n';
        lineNumber++;
        if (length > 0 && bytes[length - 1] == '\r') {
            length--;
        }
        int start = 0;
        if (lineNumber == 1 && length >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB
                && (bytes[2] & 0xff) == 0xBF) {
            start = 3; // UTF-8 byte order mark, as spreadsheet programs write it
        }
        decode(start);
        return length;
    }

    private void decode(int start) {
        if (chars.length < bytes.length) {
            Arrays.fill(chars, '\0');
            chars = new char[bytes.length];
        }
        int n = 0;
        if (utf8) {
            String s = new String(bytes, start, length - start, StandardCharsets.UTF_8);
            s.getChars(0, s.length(), chars, 0);
            n = s.length();
        } else {
            for (int i = start; i < length; i++) {
                chars[n++] = (char) (bytes[i] & 0xff);
            }
        }
        Arrays.fill(bytes, 0, length, (byte) 0);
        length = n;
    }

    /** The current line's characters; valid up to {@link #length()} until the next call. */
    public char[] chars() {
        return chars;
    }

    public int length() {
        return length;
    }

    /** The current line as a string (do not use for secret content). */
    public String line() {
        return new String(chars, 0, length);
    }

    /** Overwrites the buffers, the read-ahead buffer of the stream included. */
    public void clear() {
        Arrays.fill(bytes, (byte) 0);
        Arrays.fill(chars, '\0');
        in.clear();
    }

    /** The stream's read-ahead buffer itself (not a copy), for tests that check it gets cleared. */
    byte[] readAhead() {
        return in.buffer();
    }

    /**
     * A BufferedInputStream whose buffer can be overwritten: it holds up to 64 KiB of the raw file,
     * which for the UDS file means UDS values.
     */
    private static final class ClearableBuffer extends BufferedInputStream {
        ClearableBuffer(InputStream in) {
            super(in, 64 * 1024);
        }

        /**
         * {@link #read()} without its lock while bytes are buffered: one reader owns this stream,
         * and a monitor per byte was most of the cost of reading a 100 000-line UDS file.
         */
        int readUnlocked() throws IOException {
            if (pos < count) {
                return buf[pos++] & 0xff;
            }
            return read();
        }

        synchronized void clear() {
            if (buf != null) {
                Arrays.fill(buf, (byte) 0);
            }
        }

        synchronized byte[] buffer() {
            return buf;
        }
    }

    @Override
    public void close() throws IOException {
        clear();
        in.close();
    }
}
