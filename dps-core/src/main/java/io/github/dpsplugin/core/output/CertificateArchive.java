package io.github.dpsplugin.core.output;

import io.github.dpsplugin.core.common.DpsException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * {@code dps-certificates.zip}: every certificate of a run in one artifact, for fleets where
 * attaching one artifact per device would flood a repository. Written as a stream; entries carry
 * a fixed time so the archive's bytes depend on its content only.
 *
 * <h2>Why not {@code ZipOutputStream}</h2>
 * {@link java.util.zip.ZipOutputStream} compresses each entry on the calling thread: the run's
 * one ordered writer, which would spend about 40 µs per device in zlib and in the stream's
 * byte-at-a-time header writes, and cap a fleet at about 12 000 devices/s on two cores (README,
 * "Fleets"). Here each entry is compressed ahead
 * ({@link #compress}, on the thread that computed the certificate, with the same zlib settings:
 * raw deflate, level 6) and this class only lays out the records. The layout is exactly the one
 * {@code ZipOutputStream} writes for these entries — local header with the data-descriptor flag
 * and the UTF-8 flag (0x808), version 20, method 8, the fixed DOS time, no extra field; the data
 * descriptor with its signature; the central directory; and, from 65 535 entries on, the ZIP64
 * end record and locator — so the archive's bytes are those {@code ZipOutputStream} writes.
 * {@code CertificateArchiveTest} writes the same entries through both and compares the bytes,
 * above and below the ZIP64 threshold. Only the records are ours: compression is the JDK's zlib,
 * and reading (verify, tests) is {@link java.util.zip.ZipFile}.
 */
public final class CertificateArchive implements AutoCloseable {

    public static final String FILE_NAME = "dps-certificates.zip";

    /** 2017-01-01 00:00:00 as an MS-DOS date and time, as {@code ZipEntry.setTimeLocal} stores it. */
    static final int DOS_TIME = (((2017 - 1980) << 9) | (1 << 5) | 1) << 16;
    /** Data descriptor (bit 3) and UTF-8 names (bit 11): what ZipOutputStream sets for a deflated entry. */
    private static final int FLAGS = 0x0808;
    private static final int VERSION = 20;
    private static final int DEFLATED = 8;
    private static final long ZIP64_MAGIC = 0xFFFFFFFFL;
    private static final int ZIP64_MAGIC_COUNT = 0xFFFF;
    /** Central directory records are kept in chunks of this size until the end (no copying as it grows). */
    private static final int CHUNK = 1 << 16;

    /** One entry's content, compressed ahead: raw deflate bytes, CRC-32 and length. Immutable. */
    public static final class Entry {
        private final byte[] deflated;
        private final int crc;
        private final int size;

        private Entry(byte[] deflated, int crc, int size) {
            this.deflated = deflated;
            this.crc = crc;
            this.size = size;
        }
    }

    /**
     * Compresses contents for {@link #add(String, Entry)}, one entry each; thread-safe (nothing
     * shared), meant for the threads that compute the certificates.
     */
    public static Entry[] compress(byte[]... contents) {
        try (Compressor c = new Compressor()) {
            return c.compress(contents);
        }
    }

    /**
     * One zlib stream, reset between entries, for a thread that compresses many (its setting up
     * costs about as much as compressing a certificate). Not thread-safe; close it to free zlib's memory.
     */
    public static final class Compressor implements AutoCloseable {
        // level 6 and raw deflate: what ZipOutputStream uses, so the compressed bytes are its bytes
        private final Deflater deflater = new Deflater(6, true);
        private final byte[] buffer = new byte[2048];

        /** One entry per content, in order; a null content gives a null entry. */
        public Entry[] compress(byte[]... contents) {
            Entry[] entries = new Entry[contents.length];
            for (int i = 0; i < contents.length; i++) {
                byte[] content = contents[i];
                if (content == null) {
                    continue;
                }
                deflater.reset();
                deflater.setInput(content);
                deflater.finish();
                byte[] out = buffer;
                int n = 0;
                while (!deflater.finished()) {
                    if (n == out.length) {
                        out = java.util.Arrays.copyOf(out, 2 * out.length);
                    }
                    n += deflater.deflate(out, n, out.length - n);
                }
                CRC32 crc = new CRC32();
                crc.update(content);
                entries[i] = new Entry(java.util.Arrays.copyOf(out, n), (int) crc.getValue(), content.length);
            }
            return entries;
        }

        @Override
        public void close() {
            deflater.end();
        }
    }

    private final OutputStream out;
    private final Set<String> names = new HashSet<>();
    /** The central directory, built as entries are added, written at {@link #close()}. */
    private final List<byte[]> central = new ArrayList<>();
    private byte[] chunk = new byte[CHUNK];
    private int centralFill;
    private long centralLength;
    private long written;
    private long count;
    private final byte[] header = new byte[64];
    private boolean closed;

    public CertificateArchive(OutputStream out) {
        this.out = out;
    }

    /** Adds an entry, compressing it on this thread; returns false, adding nothing, if an entry of that name exists. */
    public boolean add(String name, byte[] content) {
        return add(name, compress(content)[0]);
    }

    /** Adds an entry compressed ahead by {@link #compress}; returns false, adding nothing, if an entry of that name exists. */
    public boolean add(String name, Entry entry) {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > 0xFFFF - 46) {
            throw new DpsException("outputDirectory", "cannot write " + FILE_NAME + ": entry name too long: " + name);
        }
        if (!names.add(name)) {
            return false;
        }
        long offset = written;
        try {
            // local file header: sizes and CRC follow the data, in the descriptor
            int p = 0;
            p = int32(header, p, 0x04034b50);
            p = int16(header, p, VERSION);
            p = entryFields(header, p, 0, 0, 0, nameBytes.length, 0);
            out.write(header, 0, p);
            out.write(nameBytes);
            out.write(entry.deflated);
            // data descriptor
            p = 0;
            p = int32(header, p, 0x08074b50);
            p = int32(header, p, entry.crc);
            p = int32(header, p, entry.deflated.length);
            p = int32(header, p, entry.size);
            out.write(header, 0, p);
            written += 30 + nameBytes.length + entry.deflated.length + 16;
        } catch (IOException e) {
            throw failure(e);
        }
        // its central directory record, kept until the end
        boolean zip64 = offset >= ZIP64_MAGIC;
        int length = 46 + nameBytes.length + (zip64 ? 12 : 0);
        if (centralFill + length > chunk.length) {
            central.add(Arrays.copyOf(chunk, centralFill));
            chunk = new byte[Math.max(CHUNK, length)];
            centralFill = 0;
        }
        int p = centralFill;
        p = int32(chunk, p, 0x02014b50);
        p = int16(chunk, p, zip64 ? 45 : VERSION); // made by
        p = int16(chunk, p, zip64 ? 45 : VERSION); // needed to extract
        p = entryFields(chunk, p, entry.crc, entry.deflated.length, entry.size, nameBytes.length, zip64 ? 12 : 0);
        p = int16(chunk, p, 0); // comment
        p = int16(chunk, p, 0); // disk
        p = int16(chunk, p, 0); // internal attributes
        p = int32(chunk, p, 0); // external attributes
        p = int32(chunk, p, zip64 ? (int) ZIP64_MAGIC : (int) offset);
        System.arraycopy(nameBytes, 0, chunk, p, nameBytes.length);
        p += nameBytes.length;
        if (zip64) {
            p = int16(chunk, p, 0x0001);
            p = int16(chunk, p, 8);
            p = int64(chunk, p, offset);
        }
        centralLength += length;
        centralFill = p;
        count++;
        return true;
    }

    /** Writes the central directory and the end records, and closes the stream. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            long offset = written;
            for (byte[] full : central) {
                out.write(full);
            }
            out.write(chunk, 0, centralFill);
            central.clear();
            long length = centralLength;
            written += length;
            byte[] end = new byte[56 + 20 + 22];
            int p = 0;
            boolean zip64 = length >= ZIP64_MAGIC || offset >= ZIP64_MAGIC || count >= ZIP64_MAGIC_COUNT;
            if (zip64) {
                long end64 = written;
                p = int32(end, p, 0x06064b50);
                p = int64(end, p, 56 - 12);
                p = int16(end, p, 45);
                p = int16(end, p, 45);
                p = int32(end, p, 0);
                p = int32(end, p, 0);
                p = int64(end, p, count);
                p = int64(end, p, count);
                p = int64(end, p, length);
                p = int64(end, p, offset);
                p = int32(end, p, 0x07064b50);
                p = int32(end, p, 0);
                p = int64(end, p, end64);
                p = int32(end, p, 1);
            }
            int shortCount = zip64 && count >= ZIP64_MAGIC_COUNT ? ZIP64_MAGIC_COUNT : (int) count;
            p = int32(end, p, 0x06054b50);
            p = int16(end, p, 0);
            p = int16(end, p, 0);
            p = int16(end, p, shortCount);
            p = int16(end, p, shortCount);
            p = int32(end, p, (int) Math.min(length, ZIP64_MAGIC));
            p = int32(end, p, (int) Math.min(offset, ZIP64_MAGIC));
            p = int16(end, p, 0);
            out.write(end, 0, p);
            out.close();
        } catch (IOException e) {
            throw failure(e);
        }
    }

    /**
     * The fields a local header and its central directory record share, from the flags to the
     * extra field's length (a local header's CRC and sizes are 0: they follow in the data descriptor).
     */
    private static int entryFields(byte[] b, int p, int crc, int compressedSize, int size, int nameLength,
            int extraLength) {
        p = int16(b, p, FLAGS);
        p = int16(b, p, DEFLATED);
        p = int32(b, p, DOS_TIME);
        p = int32(b, p, crc);
        p = int32(b, p, compressedSize);
        p = int32(b, p, size);
        p = int16(b, p, nameLength);
        return int16(b, p, extraLength);
    }

    private static DpsException failure(IOException e) {
        return DpsException.environment("outputDirectory", "cannot write " + FILE_NAME + ": " + e.getMessage(), e);
    }

    private static int int16(byte[] b, int p, int v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >>> 8);
        return p + 2;
    }

    private static int int32(byte[] b, int p, int v) {
        b[p] = (byte) v;
        b[p + 1] = (byte) (v >>> 8);
        b[p + 2] = (byte) (v >>> 16);
        b[p + 3] = (byte) (v >>> 24);
        return p + 4;
    }

    private static int int64(byte[] b, int p, long v) {
        return int32(b, int32(b, p, (int) v), (int) (v >>> 32));
    }
}
