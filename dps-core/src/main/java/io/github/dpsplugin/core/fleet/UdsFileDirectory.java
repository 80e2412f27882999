package io.github.dpsplugin.core.fleet;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The directory of a UDS file being written: its entry made durable, and temporary files that an
 * interrupted run left there found.
 */
final class UdsFileDirectory {

    /** Temporary files named in a warning at most. */
    private static final int MAX_NAMED = 5;

    /** Forces a directory's entries to disk; replaced by tests to see that it happens. */
    static Consumer<Path> sync = UdsFileDirectory::force;

    private UdsFileDirectory() {
    }

    /** The name of the temporary file for {@code target}: {@code .<name>.<random>.tmp}, beside it. */
    static String tempPrefix(Path target) {
        return "." + target.getFileName() + ".";
    }

    /**
     * Makes the new name of the file durable: fsync of the file covers its bytes, not the directory
     * entry that a link, unlink or rename changed; after a power loss the file, the only record of
     * the fleet's secrets, could otherwise be missing under its name.
     */
    static void syncParent(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            sync.accept(dir);
        }
    }

    private static void force(Path dir) {
        try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
            c.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a directory this way, and flushes its metadata itself
        }
    }

    /**
     * Warns about temporary files of ours beside {@code target}: a run killed with {@code kill -9}
     * leaves one, full of UDS values that no UDS file lists. Named, not removed: a run writing the same
     * target right now has a temporary file that looks the same, and removing secrets is the user's call.
     */
    static void warnAboutLeftovers(Path dir, Path target, Consumer<String> warnings) {
        String prefix = tempPrefix(target);
        List<String> found = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".tmp") && Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS);
        })) {
            s.forEach(p -> found.add(p.toString()));
        } catch (IOException e) {
            return;
        }
        if (found.isEmpty()) {
            return;
        }
        found.sort(null);
        warnings.accept("udsFile: " + found.size() + " temporary file" + (found.size() == 1 ? "" : "s") + " of an"
                + " interrupted generate-uds run for " + target.getFileName() + " in " + dir + ": "
                + String.join(", ", found.subList(0, Math.min(MAX_NAMED, found.size())))
                + (found.size() > MAX_NAMED ? ", ..." : "") + ". They hold UDS values that no UDS file lists; unless"
                + " another generate-uds run is writing " + target.getFileName() + " right now, delete them: rm "
                + dir.resolve(prefix) + "*.tmp");
    }
}
