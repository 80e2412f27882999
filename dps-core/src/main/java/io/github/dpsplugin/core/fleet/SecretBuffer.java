package io.github.dpsplugin.core.fleet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;

/**
 * Writes secrets through a direct buffer that it overwrites with zeros when closed: a heap array
 * given to a channel would be copied into the JDK's cached temporary buffers, which nobody clears.
 */
final class SecretBuffer implements AutoCloseable {

    private static final int SIZE = 64 * 1024;

    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(SIZE);

    SecretBuffer(FileChannel channel) {
        this.channel = channel;
    }

    void put(byte b) throws IOException {
        if (!buffer.hasRemaining()) {
            flush();
        }
        buffer.put(b);
    }

    void ascii(String s) throws IOException {
        for (byte b : s.getBytes(StandardCharsets.US_ASCII)) {
            put(b);
        }
    }

    void newline() throws IOException {
        put((byte) '\n');
    }

    /** Lower-case hex without a table or a branch on the value. */
    void hex(byte[] bytes) throws IOException {
        for (byte b : bytes) {
            put(hexDigit((b >> 4) & 0xf));
            put(hexDigit(b & 0xf));
        }
    }

    void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    @Override
    public void close() {
        buffer.clear();
        while (buffer.hasRemaining()) {
            buffer.put((byte) 0);
        }
        buffer.clear();
    }

    /** '0'..'9' for 0..9, 'a'..'f' for 10..15: adds 39 exactly when n > 9, by the sign of 9 - n. */
    static byte hexDigit(int n) {
        return (byte) ('0' + n + (((9 - n) >> 31) & ('a' - '0' - 10)));
    }
}
