package io.github.dpsplugin.core.firmware;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.fuzz.Fuzz;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Property-based fuzzing of the link map parser and of the ranges it gives: random bytes, the real
 * fw-a map with line-level mutations aimed at the lines that matter (FLASH row, symbol lines), and
 * synthetic maps with random addresses. Only {@link DpsException} may escape, for the map or the
 * image; LF and CRLF give the same result; endless input is refused after a bounded amount.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LinkMapFuzzTest {

    static final String MAP = MapText.fwA();
    static final List<String> LINES = List.of(MAP.split("\n", -1));
    static final byte[] BIN = read();
    static final String[] SYMBOLS = {LinkMap.START_RIOT_CORE, LinkMap.STOP_RIOT_CORE, LinkMap.START_RIOT_FW,
        LinkMap.STOP_RIOT_FW};
    static final Set<String> FIELDS = Set.of("firmwareMap", "firmwareBin");

    static byte[] read() {
        try {
            return Files.readAllBytes(MapText.FW_A_BIN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String hexAddress(SplittableRandom r) {
        int k = r.nextInt(6);
        long base = k == 0 ? r.nextLong() : 0x0800c000L + (k == 1 ? r.nextInt(1 << 24) - (1 << 23) : r.nextInt(0x1800));
        String hex = Long.toHexString(base);
        int digits = Fuzz.oneOf(r, 1, 7, 8, 8, 8, 16, 16, 17, 20);
        hex = hex.length() > digits ? hex.substring(hex.length() - digits) : "0".repeat(digits - hex.length()) + hex;
        return (r.nextInt(8) == 0 ? "0X" : "0x") + (r.nextBoolean() ? hex : hex.toUpperCase(Locale.ROOT));
    }

    static String symbolLine(SplittableRandom r, String symbol) {
        return "                " + hexAddress(r) + "                        " + symbol + " = .";
    }

    /** The fw-a map with a few line-level edits. */
    static String mutatedMap(SplittableRandom r) {
        List<String> lines = new ArrayList<>(LINES);
        int edits = 1 + r.nextInt(6);
        for (int e = 0; e < edits; e++) {
            int at = r.nextInt(lines.size());
            // half of the edits hit the lines the parser looks for
            if (r.nextBoolean()) {
                for (int i = 0; i < lines.size(); i++) {
                    String l = lines.get(i);
                    if ((l.startsWith("FLASH ") || l.contains("_riot_")) && r.nextInt(4) == 0) {
                        at = i;
                        break;
                    }
                }
            }
            String line = lines.get(at);
            switch (r.nextInt(10)) {
                case 0: lines.remove(at); break;
                case 1: lines.add(r.nextInt(lines.size() + 1), line); break;
                case 2: lines.set(at, line.replaceFirst("0[xX][0-9a-fA-F]+", hexAddress(r))); break;
                case 3: lines.add(r.nextInt(lines.size() + 1), symbolLine(r, Fuzz.oneOf(r, SYMBOLS))); break;
                case 4: lines.set(at, Fuzz.mutate(r, line, 3)); break;
                case 5: lines.add(r.nextInt(lines.size() + 1), Fuzz.anyString(r, 200)); break;
                case 6: Collections2.swap(lines, at, r.nextInt(lines.size())); break;
                case 7: lines.set(at, line.substring(0, r.nextInt(line.length() + 1))); break;
                case 8: lines.subList(at, lines.size()).clear(); lines.add(line.substring(0, r.nextInt(line.length() + 1))); break;
                default: lines.set(at, line.replace("FLASH", Fuzz.oneOf(r, "FLASH ", "flash", "FLASH\t", "RAM"))); break;
            }
            if (lines.isEmpty()) {
                lines.add("");
            }
        }
        return String.join("\n", lines);
    }

    /**
     * A small map from scratch: a FLASH row and the symbol lines. Most are plausible (ranges inside
     * the image, in any order and size), the rest shuffled, repeated, missing or far off.
     */
    static String syntheticMap(SplittableRandom r) {
        boolean plausible = r.nextInt(10) < 7;
        long origin = plausible ? 0x0800c000L : r.nextLong() >>> r.nextInt(64);
        String flash = plausible ? String.format(Locale.ROOT, "0x%08x", origin) : hexAddress(r);
        StringBuilder sb = new StringBuilder();
        if (r.nextInt(20) > 0) {
            sb.append("Memory Configuration\n\nName             Origin             Length             Attributes\n");
            sb.append(Fuzz.oneOf(r, "FLASH            ", "FLASH ", "FLASH\t")).append(flash).append("         ")
                    .append(hexAddress(r)).append("         xr\n");
            sb.append("*default*        0x0000000000000000 0xffffffffffffffff\n\n");
        }
        if (r.nextInt(10) > 0) {
            sb.append("Linker script and memory map\n\n");
        }
        List<String> lines = new ArrayList<>();
        for (String symbol : SYMBOLS) {
            String address;
            if (plausible) {
                long offset = r.nextInt(BIN.length + 64) - (r.nextInt(10) == 0 ? 32 : 0);
                address = String.format(Locale.ROOT, r.nextBoolean() ? "0x%08x" : "0x%016x", origin + offset);
            } else {
                address = hexAddress(r);
            }
            lines.add("                " + address + "                        " + symbol + " = .");
        }
        if (plausible) {
            // start before stop most of the time: sort each pair's addresses
            for (int i = 0; i < 4; i += 2) {
                String a = lines.get(i).substring(16, 34).trim();
                String b = lines.get(i + 1).substring(16, 34).trim();
                if (r.nextInt(5) > 0 && Long.parseUnsignedLong(a.substring(2), 16) > Long.parseUnsignedLong(b.substring(2), 16)) {
                    lines.set(i, lines.get(i).replace(a, b));
                    lines.set(i + 1, lines.get(i + 1).replace(b, a));
                }
            }
        }
        int extra = r.nextInt(3);
        for (int i = 0; i < extra; i++) {
            lines.add(symbolLine(r, Fuzz.oneOf(r, SYMBOLS)));
        }
        if (r.nextInt(5) == 0) {
            lines.remove(r.nextInt(lines.size()));
        }
        if (r.nextInt(3) == 0) {
            java.util.Collections.shuffle(lines, new java.util.Random(r.nextLong()));
        }
        for (String l : lines) {
            sb.append(l).append(r.nextInt(5) == 0 ? "\r\n" : "\n");
        }
        return sb.toString();
    }

    /** Parses, then cuts the ranges out of the fw-a image: only DpsException may come out. */
    static LinkMap parseAndCut(byte[] bytes) throws IOException {
        LinkMap map;
        try {
            map = LinkMap.parse(new ByteArrayInputStream(bytes), "fuzz.map");
        } catch (DpsException e) {
            Fuzz.assertPrintable(e.getMessage());
            assertEquals("firmwareMap", e.field(), e.getMessage());
            assertTrue(e.getMessage().startsWith("firmwareMap: fuzz.map "), e.getMessage());
            throw e;
        }
        assertTrue(map.notes().size() <= LinkMap.MAX_NOTES + 1, "notes: " + map.notes().size());
        try {
            FirmwareImage image = FirmwareImage.of(BIN, "fw-a.ino.bin", map);
            assertEquals(map.stopRiotCore() - map.startRiotCore(), image.riotCoreSize());
            assertEquals(map.stopRiotFw() - map.startRiotFw(), image.riotFwSize());
            assertTrue(image.riotCoreSize() >= FirmwareImage.MIN_RIOT_CORE_SIZE);
            assertTrue(map.stopRiotFw() - map.flashOrigin() <= BIN.length);
        } catch (DpsException e) {
            assertTrue(FIELDS.contains(e.field()), e.getMessage());
            throw e;
        }
        return map;
    }

    static String outcome(byte[] bytes) {
        try {
            return parseAndCut(bytes).toString();
        } catch (DpsException e) {
            // the message names the file and line, which CRLF does not change
            return e.getMessage();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] latin1(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void randomBytes() {
        Fuzz.check("LinkMap.parse (random bytes)", 5_000, r -> {
            byte[] b = new byte[Fuzz.anyLength(r, r.nextInt(20) == 0 ? 200_000 : 4096)];
            r.nextBytes(b);
            if (r.nextBoolean()) {
                // fewer NULs, so that the line logic is reached too
                for (int i = 0; i < b.length; i++) {
                    b[i] = b[i] == 0 ? (byte) '\n' : b[i];
                }
            }
            return b;
        }, b -> b.length + " bytes " + Arrays.toString(Arrays.copyOf(b, Math.min(b.length, 40))), b -> {
            try {
                parseAndCut(b);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    @Test
    void mutationsOfARealMap() {
        Fuzz.check("LinkMap.parse (mutated fw-a map)", 3_000, LinkMapFuzzTest::mutatedMap, Fuzz::abbreviate,
                text -> {
                    String lf = outcome(latin1(text));
                    if (text.indexOf('\r') < 0) {
                        assertEquals(lf, outcome(latin1(text.replace("\n", "\r\n"))), "CRLF changes the result");
                    }
                    if (lf.startsWith("firmware")) {
                        throw new DpsException("firmwareMap", lf);
                    }
                });
    }

    @Test
    void syntheticMaps() {
        Fuzz.check("LinkMap.parse (synthetic maps)", 30_000, LinkMapFuzzTest::syntheticMap, Fuzz::abbreviate,
                text -> {
                    try {
                        parseAndCut(latin1(text));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
    }

    /** Bytes forever: {@code line} repeated, counting what was read. */
    static final class Endless extends InputStream {
        final byte[] pattern;
        long served;

        Endless(String line) {
            this.pattern = latin1(line);
        }

        @Override
        public int read() {
            return pattern[(int) (served++ % pattern.length)] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) {
                b[off + i] = pattern[(int) (served++ % pattern.length)];
            }
            return len;
        }
    }

    @Test
    void anEndlessLineIsRefusedAfterTheLineBound() {
        Endless in = new Endless("0x0800c000 FLASH ");
        DpsException e = assertThrows(DpsException.class, () -> LinkMap.parse(in, "endless.map"));
        assertEquals("firmwareMap: endless.map line 1 is longer than " + LinkMap.MAX_LINE_LENGTH
                + " characters; not a GNU ld map file", e.getMessage());
        // read: the line bound plus at most one buffer (64 KiB) of look-ahead
        assertTrue(in.served <= LinkMap.MAX_LINE_LENGTH + (64 << 10) + 1, "read " + in.served + " bytes");
        Fuzz.record(String.format(Locale.ROOT, "[fuzz] LinkMap.parse (endless line): refused after %d bytes read",
                in.served));
    }

    @Test
    void endlessRepeatedSymbolLinesAreRefusedAtTheSizeBoundWithBoundedNotes() {
        // the worst case for memory: every line is a note-worthy repetition. With a 16 MiB bound (the
        // real one, 512 MiB, is the same code and takes ~40 s of symbol lines to reach)
        long bound = 16L << 20;
        Endless in = new Endless("                0x0800d62c                        __stop_riot_fw = .\n");
        long t0 = System.nanoTime();
        DpsException e = assertThrows(DpsException.class, () -> LinkMap.parse(in, "endless.map", bound));
        assertEquals("firmwareMap: endless.map is larger than 16 MiB; not a GNU ld map file", e.getMessage());
        assertTrue(in.served <= bound + (64 << 10) + 1, "read " + in.served + " bytes");
        Fuzz.record(String.format(Locale.ROOT, "[fuzz] LinkMap.parse (endless lines): refused after %d bytes read,"
                + " %d ms", in.served, (System.nanoTime() - t0) / 1_000_000));
    }

    /** Collections.swap on a list, without importing java.util.Collections twice in spirit. */
    static final class Collections2 {
        static void swap(List<String> l, int i, int j) {
            java.util.Collections.swap(l, i, j);
        }
    }
}
