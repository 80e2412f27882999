package io.github.dpsplugin.core.firmware;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a firmware's measured bytes come from: a linked ELF, or a raw {@code .bin} with its link
 * map. When an ELF is given it wins and the {@code .bin}/{@code .map} are not read.
 */
public record FirmwareFiles(Path bin, Path map, Path elf) {

    public FirmwareFiles {
        if (elf != null) {
            bin = null;
            map = null;
        }
    }

    /** The ELF if {@code elf} is not null, else the .bin and .map. */
    public static FirmwareFiles of(Path bin, Path map, Path elf) {
        return new FirmwareFiles(bin, map, elf);
    }

    /** Reads the measured ranges. */
    public FirmwareImage read() {
        return elf != null ? FirmwareImage.readElf(elf) : FirmwareImage.read(bin, map);
    }

    /** The file names read, as the manifest and the verify report record them: {@code elf}, or {@code bin} and {@code map}. */
    public Map<String, String> names() {
        Map<String, String> files = new LinkedHashMap<>();
        if (elf != null) {
            files.put("elf", fileName(elf));
        } else {
            files.put("bin", fileName(bin));
            files.put("map", fileName(map));
        }
        return files;
    }

    private static String fileName(Path p) {
        return p == null || p.getFileName() == null ? null : p.getFileName().toString();
    }
}
