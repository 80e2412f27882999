package io.github.dpsplugin.core.firmware;

import io.github.dpsplugin.core.common.DpsException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The two byte ranges of a firmware image that the device measures: {@code riot_core} (DICE
 * measures it into the CDI, hence the DeviceID key) and {@code riot_fw} (hashed into the FWID,
 * hence the Alias key). Immutable: accessors return copies.
 */
public final class FirmwareImage {

    /** The device refuses to measure a RIoT core shorter than this (spec, "Reading the map"). */
    public static final int MIN_RIOT_CORE_SIZE = 8;
    /** Largest image accepted; the AZ3166's flash is 1 MiB. */
    static final long MAX_BIN_SIZE = 64L * 1024 * 1024;

    private final byte[] riotCore;
    private final byte[] riotFw;
    private final LinkMap map;

    private FirmwareImage(byte[] riotCore, byte[] riotFw, LinkMap map) {
        this.riotCore = riotCore;
        this.riotFw = riotFw;
        this.map = map;
    }

    /** Reads the raw flash image {@code bin} and extracts the ranges given by the link map {@code mapFile}. */
    public static FirmwareImage read(Path bin, Path mapFile) {
        LinkMap map = LinkMap.read(mapFile);
        byte[] image = readBin(bin);
        FirmwareImage firmware = of(image, bin == null ? "firmware image" : bin.toString(), map);
        checkSameLink(image.length, bin, mapFile, map);
        return firmware;
    }

    /**
     * A .bin and a .map of different links give certificates that match neither firmware, and the
     * ranges alone rarely show it (the riot sections sit at the same addresses in most builds). The
     * map describes its image: the output sections loaded into FLASH, from the origin to the end of
     * the last one (for the DevKit {@code .text}, then {@code .data} at its load address), which is
     * exactly what {@code objcopy -O binary} writes. A .bin of another length is from another link.
     * Where the map's layout is not understood ({@link LinkMap#imageLength()} is -1) the notes say so
     * and nothing is refused.
     */
    private static void checkSameLink(long binLength, Path bin, Path mapFile, LinkMap map) {
        long expected = map.imageLength();
        if (expected < 0 || expected == binLength) {
            return;
        }
        throw new DpsException("firmwareBin", String.format(Locale.ROOT, "the .bin (%d bytes) and the .map (describing"
                + " a %d-byte image: FLASH origin 0x%x to 0x%x, %s) come from different links: certificates computed"
                + " from them would match neither firmware. firmwareBin is %s, firmwareMap is %s. Give the .bin and"
                + " the .map of the same link, or the linked ELF instead (firmwareElf, -Ddps.firmwareElf=<file>.elf),"
                + " which cannot mismatch", binLength, expected, map.flashOrigin(), map.imageEnd(), map.imageSections(),
                bin, mapFile));
    }

    /**
     * Reads the measured ranges from the linked firmware ELF instead of a .bin and .map: the four
     * symbols from its symbol table, the bytes from the section holding them (see {@link ElfFirmware}).
     */
    public static FirmwareImage readElf(Path elf) {
        return ElfFirmware.read(elf);
    }

    /**
     * Extracts the measured ranges from an image already in memory. {@code source} names the image
     * in messages.
     */
    public static FirmwareImage of(byte[] image, String source, LinkMap map) {
        long origin = map.flashOrigin();
        byte[] core = range(image, source, origin, "riot_core", LinkMap.START_RIOT_CORE, map.startRiotCore(),
                LinkMap.STOP_RIOT_CORE, map.stopRiotCore());
        if (core.length < MIN_RIOT_CORE_SIZE) {
            throw new DpsException("firmwareMap", String.format(Locale.ROOT, "the riot_core range [%s 0x%x, %s 0x%x) is %d bytes;"
                    + " the device refuses to measure a RIoT core shorter than %d bytes", LinkMap.START_RIOT_CORE,
                    map.startRiotCore(), LinkMap.STOP_RIOT_CORE, map.stopRiotCore(), core.length, MIN_RIOT_CORE_SIZE));
        }
        byte[] fw = range(image, source, origin, "riot_fw", LinkMap.START_RIOT_FW, map.startRiotFw(),
                LinkMap.STOP_RIOT_FW, map.stopRiotFw());
        return new FirmwareImage(core, fw, map);
    }

    /** Wraps already-extracted ranges (for tests and callers with their own image reader). */
    public static FirmwareImage ofRanges(byte[] riotCore, byte[] riotFw) {
        if (riotCore.length < MIN_RIOT_CORE_SIZE) {
            throw new DpsException("firmwareBin", "the riot_core range is " + riotCore.length
                    + " bytes; the device refuses a RIoT core shorter than " + MIN_RIOT_CORE_SIZE + " bytes");
        }
        return new FirmwareImage(riotCore.clone(), riotFw.clone(), null);
    }

    private static byte[] range(byte[] image, String source, long origin, String name,
            String startSymbol, long start, String stopSymbol, long stop) {
        if (Long.compareUnsigned(stop, start) < 0) {
            throw new DpsException("firmwareMap", String.format(Locale.ROOT, "%s (0x%x) is below %s (0x%x);"
                    + " the %s range would be negative; expected %s <= %s",
                    stopSymbol, stop, startSymbol, start, name, startSymbol, stopSymbol));
        }
        if (Long.compareUnsigned(start, origin) < 0) {
            throw new DpsException("firmwareMap", String.format(Locale.ROOT, "%s (0x%x) is below the FLASH origin"
                    + " (0x%x); the %s range is not in the flash image; expected addresses from the FLASH origin on",
                    startSymbol, start, origin, name));
        }
        long from = start - origin;
        long to = stop - origin;
        if (Long.compareUnsigned(to, image.length) > 0) {
            throw new DpsException("firmwareBin", String.format(Locale.ROOT, "%s has %d bytes, but the %s range"
                    + " [0x%x, 0x%x) covers image offsets [%d, %d); expected an image that holds it: do the .bin and"
                    + " the .map come from the same link?", source, image.length, name, start, stop, from, to));
        }
        return Arrays.copyOfRange(image, (int) from, (int) to);
    }

    private static byte[] readBin(Path bin) {
        String field = "firmwareBin";
        if (bin == null) {
            throw new DpsException(field, "no firmware image given; expected the raw .bin written by objcopy");
        }
        if (Files.isDirectory(bin)) {
            throw new DpsException(field, bin + " is a directory; expected the firmware .bin file");
        }
        try {
            long size = Files.size(bin);
            if (size > MAX_BIN_SIZE) {
                throw new DpsException(field, bin + " has " + size + " bytes; a flash image larger than "
                        + (MAX_BIN_SIZE >> 20) + " MiB is not a DevKit firmware");
            }
            return Files.readAllBytes(bin);
        } catch (NoSuchFileException e) {
            throw new DpsException(field, bin + " does not exist; expected the firmware's raw flash image (.bin)");
        } catch (AccessDeniedException e) {
            throw new DpsException(field, bin + " is not readable (permission denied); expected a file this build"
                    + " may read");
        } catch (IOException e) {
            throw DpsException.environment(field, "cannot read " + bin + ": " + e.getMessage(), e);
        }
    }

    public byte[] riotCore() {
        return riotCore.clone();
    }

    public byte[] riotFw() {
        return riotFw.clone();
    }

    public int riotCoreSize() {
        return riotCore.length;
    }

    public int riotFwSize() {
        return riotFw.length;
    }

    /** Remarks from reading the map (e.g. a duplicated symbol); empty when built from ranges. */
    /** What the user should see: a map symbol defined twice with different addresses. */
    public List<String> warnings() {
        return map == null ? List.of() : map.warnings();
    }

    public List<String> notes() {
        return map == null ? List.of() : map.notes();
    }

    /** The link map the ranges came from, or {@code null} when built from ranges. */
    public LinkMap linkMap() {
        return map;
    }
}
