package io.github.dpsplugin.core.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Enumeration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive's bytes are those {@link ZipOutputStream} writes for the same entries, whether entries are compressed ahead on other threads or on the
 * writer's: below and above the 65 535 entries from which the ZIP64 end records appear.
 */
class CertificateArchiveTest {

    @TempDir
    Path dir;

    /** PEM-like contents (the archive's real content) of varying length, some repeated, and odd names. */
    private static List<String[]> entries(int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<String[]> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] der = new byte[random.nextInt(0, 900)];
            random.nextBytes(der);
            String content = i % 97 == 5 ? "" : "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END CERTIFICATE-----\n";
            if (i % 13 == 0 && !list.isEmpty()) {
                content = list.get(list.size() - 1)[1]; // the same bytes again
            }
            String name = (i % 31 == 3 ? "previous/" : "") + "az-c89346" + Integer.toHexString(i)
                    + (i % 2 == 0 ? ".pem" : "-deviceid.pem") + (i % 1009 == 7 ? "-é~3a" : "");
            list.add(new String[] {name, content});
        }
        return list;
    }

    /** The archive as releases up to 0.1 wrote it. */
    private static byte[] withZipOutputStream(List<String[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.setLevel(6);
            for (String[] e : entries) {
                ZipEntry z = new ZipEntry(e[0]);
                z.setTimeLocal(LocalDateTime.of(2017, 1, 1, 0, 0));
                zip.putNextEntry(z);
                zip.write(e[1].getBytes(StandardCharsets.US_ASCII));
                zip.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] withArchive(List<String[]> entries, boolean ahead) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CertificateArchive archive = new CertificateArchive(bytes)) {
            if (ahead) {
                // as the workers do: a device's contents compressed together, on other threads
                CertificateArchive.Entry[] compressed = entries.parallelStream()
                        .map(e -> CertificateArchive.compress(e[1].getBytes(StandardCharsets.US_ASCII))[0])
                        .toArray(CertificateArchive.Entry[]::new);
                for (int i = 0; i < entries.size(); i++) {
                    assertTrue(archive.add(entries.get(i)[0], compressed[i]));
                }
            } else {
                for (String[] e : entries) {
                    assertTrue(archive.add(e[0], e[1].getBytes(StandardCharsets.US_ASCII)));
                }
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void sameBytesAsZipOutputStream() throws IOException {
        for (int count : new int[] {0, 1, 2, 57, 2_000}) {
            List<String[]> entries = entries(count, count);
            byte[] expected = withZipOutputStream(entries);
            assertArrayEquals(expected, withArchive(entries, false), count + " entries");
            assertArrayEquals(expected, withArchive(entries, true), count + " entries, compressed ahead");
        }
    }

    @Test
    void sameBytesAsZipOutputStreamFromTheZip64Threshold() throws IOException {
        // 65 535 entries and more: ZipOutputStream adds the ZIP64 end record and locator
        for (int count : new int[] {65_534, 65_535, 70_001}) {
            List<String[]> entries = entries(count, 7);
            byte[] expected = withZipOutputStream(entries);
            assertArrayEquals(expected, withArchive(entries, true), count + " entries");
        }
    }

    @Test
    void severalContentsCompressedTogetherAreEachTheirOwnEntry() throws IOException {
        byte[] a = "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII);
        byte[] b = "-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----\n".getBytes(StandardCharsets.US_ASCII);
        CertificateArchive.Entry[] both = CertificateArchive.compress(a, null, b);
        assertEquals(null, both[1]);
        Path zip = dir.resolve("a.zip");
        try (CertificateArchive archive = new CertificateArchive(Files.newOutputStream(zip))) {
            assertTrue(archive.add("a.pem", both[0]));
            assertTrue(archive.add("b.pem", both[2]));
            assertFalse(archive.add("a.pem", both[2]), "a name already in the archive");
        }
        try (ZipFile z = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> e = z.entries();
            ZipEntry first = e.nextElement();
            assertEquals("a.pem", first.getName());
            assertArrayEquals(a, z.getInputStream(first).readAllBytes());
            ZipEntry second = e.nextElement();
            assertEquals("b.pem", second.getName());
            assertArrayEquals(b, z.getInputStream(second).readAllBytes());
            assertFalse(e.hasMoreElements());
        }
        assertArrayEquals(withZipOutputStream(List.of(new String[] {"a.pem", new String(a, StandardCharsets.US_ASCII)},
                new String[] {"b.pem", new String(b, StandardCharsets.US_ASCII)})), Files.readAllBytes(zip));
    }
}
