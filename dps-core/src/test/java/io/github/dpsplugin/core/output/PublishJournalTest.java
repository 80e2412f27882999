package io.github.dpsplugin.core.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The staging and publishing mechanism driven by a layout that shares no name with the plugin's
 * own: what is published, in which order, and what is removed as stale come from the layout alone.
 */
class PublishJournalTest {

    @TempDir
    Path tmp;

    /** Names {@code *.txt}, subdirectory {@code notes/}, {@code index.txt} published last. */
    static final class TextLayout implements OutputLayout {
        final Set<String> previous;
        final List<String> foreignCalls = new ArrayList<>();

        TextLayout(Set<String> previous) {
            this.previous = previous;
        }

        @Override
        public List<String> subdirectories() {
            return List.of("notes");
        }

        @Override
        public boolean isOutputName(String name) {
            return name.matches("(notes/)?[a-z]+\\.txt");
        }

        @Override
        public List<String> publishOrder(Collection<String> names) {
            List<String> order = new ArrayList<>(names);
            order.sort((a, b) -> a.equals("index.txt") ? 1 : b.equals("index.txt") ? -1 : a.compareTo(b));
            return order;
        }

        @Override
        public Set<String> previous(Path directory, Consumer<String> warnings) {
            return previous;
        }

        @Override
        public void warnAboutForeignFiles(Path directory, Set<String> written, List<String> removed,
                Consumer<String> warnings) {
            foreignCalls.add(String.join(",", removed));
        }
    }

    /** Records the targets of moves into the output directory. */
    static final class Recording implements StagedOutput.Storage {
        final Path directory;
        final List<String> moved = new ArrayList<>();

        Recording(Path directory) {
            this.directory = directory;
        }

        @Override
        public OutputStream create(Path file) throws IOException {
            return StagedOutput.Storage.FILES.create(file);
        }

        @Override
        public void move(Path source, Path target) throws IOException {
            String name = directory.relativize(target).toString().replace('\\', '/');
            if (target.startsWith(directory) && !name.contains(".dps-")) {
                moved.add(name);
            }
            StagedOutput.Storage.FILES.move(source, target);
        }
    }

    @Test
    void publishingFileByFileFollowsTheLayoutAndRemovesOnlyWhatItSaysThePreviousRunWrote() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("old.txt"), "previous run");
        Files.writeString(out.resolve("mine.txt"), "not in the layout's previous names");
        TextLayout layout = new TextLayout(Set.of("old.txt", "gone.txt"));
        Recording storage = new Recording(out);
        List<String> warnings = new ArrayList<>();
        try (StagedOutput o = StagedOutput.open(out, layout, storage, warnings::add, Duration.ofSeconds(5))) {
            o.write("index.txt", "i".getBytes(StandardCharsets.UTF_8));
            o.write("b.txt", "b".getBytes(StandardCharsets.UTF_8));
            o.writeNewLater("notes/a.txt", "a".getBytes(StandardCharsets.UTF_8));
            assertThrows(IllegalArgumentException.class, () -> o.write("data.json", new byte[0]),
                    "a name the layout does not allow");
            o.publish();
        }
        assertEquals(List.of("b.txt", "notes/a.txt", "index.txt"), storage.moved);
        assertFalse(Files.exists(out.resolve("old.txt")), "the previous run's file this run does not write");
        assertEquals("not in the layout's previous names", Files.readString(out.resolve("mine.txt")));
        assertEquals("a", Files.readString(out.resolve("notes/a.txt")));
        assertEquals(List.of("old.txt"), layout.foreignCalls);
        try (Stream<Path> s = Files.list(out)) {
            assertEquals(List.of(), s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".dps-")).toList(),
                    "no staging directory or journal left");
        }
        assertEquals(List.of(), warnings);
    }

    @Test
    void recoveryCompletesAnInterruptedPublishByTheLayout() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Path staging = Files.createDirectories(out.resolve(StagingDirectory.PREFIX + "1"));
        Files.createDirectories(staging.resolve("notes"));
        Files.writeString(staging.resolve("index.txt"), "new index");
        Files.writeString(staging.resolve("notes/a.txt"), "new a");
        Files.writeString(out.resolve("gone.txt"), "stale");
        Files.writeString(out.resolve("keep.json"), "not an output name of the layout");
        Files.writeString(out.resolve(PublishJournal.FILE_NAME), "dps-publish 1\n" + staging.getFileName()
                + "\ndelete gone.txt\ndelete keep.json\n");
        Recording storage = new Recording(out);
        List<String> warnings = new ArrayList<>();
        PublishJournal.recover(out, new TextLayout(Set.of()), storage, warnings::add);
        assertEquals(List.of("notes/a.txt", "index.txt"), storage.moved);
        assertEquals("new index", Files.readString(out.resolve("index.txt")));
        assertFalse(Files.exists(out.resolve("gone.txt")));
        assertTrue(Files.exists(out.resolve("keep.json")), "a journal line the layout refuses removes nothing");
        assertFalse(Files.exists(staging));
        assertFalse(Files.exists(out.resolve(PublishJournal.FILE_NAME)));
        assertEquals(1, warnings.size(), warnings.toString());
        assertTrue(warnings.get(0).startsWith("completed the publishing of an earlier run"), warnings.get(0));
    }
}
