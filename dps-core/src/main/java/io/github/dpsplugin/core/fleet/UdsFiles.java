package io.github.dpsplugin.core.fleet;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.UdsSource;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The fleet's UDS files, read as one: the file made before the first release and one more for
 * each batch of devices added since. A device is looked up in all of them (see
 * {@link UdsFile#lookup(String)}); a device in two files is refused, naming both lines, since
 * two UDS values for one device cannot both be right. Closing clears every UDS.
 */
public final class UdsFiles implements AutoCloseable {

    private static final String FIELD = "udsFile";

    private final List<UdsFile> files;
    private final Map<String, UdsFile> byKey;

    private UdsFiles(List<UdsFile> files, Map<String, UdsFile> byKey) {
        this.files = files;
        this.byKey = byKey;
    }

    /**
     * Reads {@code paths}. Messages name a file by its name, or by its path when two of the files
     * share a name.
     *
     * @throws DpsException naming {@code udsFile} for a file given twice, an unreadable or invalid
     *     file, or a device in two files
     */
    public static UdsFiles read(List<Path> paths) {
        Set<String> names = new HashSet<>();
        Set<Path> seen = new HashSet<>();
        boolean sameNames = false;
        for (Path p : paths) {
            if (!seen.add(p.toAbsolutePath().normalize())) {
                throw new DpsException(FIELD, p + " is given twice; expected each UDS file once");
            }
            sameNames |= !names.add(name(p));
        }
        List<UdsFile> files = new ArrayList<>();
        Map<String, UdsFile> byKey = new HashMap<>();
        try {
            for (Path p : paths) {
                UdsFile f = UdsFile.read(p, sameNames ? p.toString() : name(p));
                files.add(f);
                for (Map.Entry<String, UdsFile.Line> e : f.lines().entrySet()) {
                    UdsFile other = byKey.putIfAbsent(e.getKey(), f);
                    if (other != null) {
                        throw new DpsException(FIELD, f.source() + ":" + e.getValue().number + ": "
                                + UdsFile.describe(e.getKey())
                                + " is also on " + other.source() + ":" + other.lines().get(e.getKey()).number
                                + "; expected each device in one UDS file (two UDS values for one device cannot"
                                + " both be right: keep the line of the UDS the device was programmed with)");
                    }
                }
            }
        } catch (RuntimeException e) {
            files.forEach(UdsFile::close);
            throw e;
        }
        return new UdsFiles(List.copyOf(files), byKey);
    }

    private static String name(Path p) {
        return p.getFileName() == null ? p.toString() : p.getFileName().toString();
    }

    /** The UDS source of a device by its registration ID, from whichever file has it, or {@code null}. */
    public UdsSource lookup(String registrationId) {
        UdsFile f = byKey.get(UdsFile.keyOf(registrationId));
        return f == null ? null : f.lookup(registrationId);
    }

    /** Whether any file has a line for the device of this registration ID. */
    public boolean contains(String registrationId) {
        return byKey.containsKey(UdsFile.keyOf(registrationId));
    }

    /** How many devices the files hold together. */
    public int size() {
        return byKey.size();
    }

    public boolean isEmpty() {
        return files.isEmpty();
    }

    @Override
    public void close() {
        files.forEach(UdsFile::close);
    }

    @Override
    public String toString() {
        return "UdsFiles" + files;
    }
}
