package io.github.dpsplugin.core.output;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import io.github.dpsplugin.core.io.JsonIo;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Which files in an output directory a previous run of the plugin wrote: the certificates its
 * manifest lists (a rollout's {@code previous/<id>.pem} included), and the plugin's fixed names
 * beside it ({@code dps-rollout*} included). Only these are ever removed as stale;
 * a file the plugin did not write is never touched. This is the layout a {@link StagedOutput}
 * publishes by.
 */
public final class OutputFiles {

    /** The output's layout, for the staging and publishing mechanism; no state of its own. */
    private static final class Layout implements OutputLayout {
        @Override
        public List<String> subdirectories() {
            return OutputFiles.subdirectories();
        }

        @Override
        public boolean isOutputName(String name) {
            return OutputFiles.isOutputName(name);
        }

        @Override
        public List<String> publishOrder(Collection<String> names) {
            return OutputFiles.publishOrder(names);
        }

        @Override
        public Set<String> previous(Path directory, Consumer<String> warnings) {
            return OutputFiles.previous(directory, warnings);
        }

        @Override
        public void warnAboutForeignFiles(Path directory, Set<String> written, List<String> removed,
                Consumer<String> warnings) {
            OutputFiles.warnAboutForeignFiles(directory, written, removed, warnings);
        }
    }

    /** The plugin's own outputs with fixed names; a branch adding an output adds its name here. */
    private static final String[] FIXED_NAMES = {ManifestWriter.FILE_NAME, CertificateArchive.FILE_NAME,
            EnrollmentWriter.SCRIPT, RolloutWriter.SCRIPT};
    /** Numbered outputs: {@code dps-enrollments-0001.json}, {@code dps-rollout-start-0001.json}, … */
    private static final Pattern NUMBERED = Pattern.compile(
            "(dps-enrollments|dps-rollout-start|dps-rollout-finish)-[0-9]{4,}\\.json");
    /**
     * The only subdirectories the plugin writes into, one level deep: a rollout's previous
     * certificates, {@code previous/<id>.pem}. Files there are removed as stale only when a
     * previous manifest lists them.
     */
    private static final String[] SUBDIRECTORIES = {RolloutWriter.PREVIOUS_DIRECTORY};
    /** Foreign look-alike files named in a warning at most. */
    private static final int MAX_NAMED = 5;

    private OutputFiles() {
    }

    /** The output's layout, for the staging and publishing mechanism. */
    static OutputLayout layout() {
        return new Layout();
    }

    /** The subdirectories the plugin writes into (see {@link #SUBDIRECTORIES}). */
    public static List<String> subdirectories() {
        return List.of(SUBDIRECTORIES);
    }

    /** Whether {@code name} is one of the plugin's fixed-name outputs. */
    public static boolean isFixedName(String name) {
        return List.of(FIXED_NAMES).contains(name) || NUMBERED.matcher(name).matches();
    }

    /**
     * The names the previous run in {@code directory} wrote, as far as they can be known: nothing
     * without a previous manifest; a manifest that cannot be read gives the fixed names and what
     * was read before the damage, with a warning.
     */
    static Set<String> previous(Path directory, Consumer<String> warnings) {
        Set<String> names = new HashSet<>();
        Path manifest = directory.resolve(ManifestWriter.FILE_NAME);
        if (!Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)) {
            return names;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(directory)) {
            for (Path p : s) {
                String n = p.getFileName().toString();
                if (isFixedName(n)) {
                    names.add(n);
                }
            }
        } catch (IOException e) {
            warnings.accept("cannot list " + directory + ": " + e.getMessage());
        }
        try (JsonParser p = JsonIo.parser(Files.newBufferedReader(manifest, StandardCharsets.UTF_8))) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t == JsonToken.VALUE_STRING && p.getParsingContext().getParent() != null
                        && p.getParsingContext().getParent().inArray()) {
                    String key = p.currentName();
                    String v = p.getText();
                    // only certificate names: a damaged or edited manifest cannot make the plugin delete anything else
                    if (("aliasCertificate".equals(key) || "deviceIdCertificate".equals(key)) && v.endsWith(".pem")
                            && isPlainName(v) && !v.startsWith(".")) {
                        names.add(v);
                    } else if ("previousAliasCertificate".equals(key) && v.endsWith(".pem")
                            && isOutputName(v) && v.indexOf('/') > 0
                            && Files.isDirectory(directory.resolve(v.substring(0, v.indexOf('/'))),
                                    LinkOption.NOFOLLOW_LINKS)) {
                        // a rollout's previous certificate (never through a link to elsewhere)
                        names.add(v);
                    }
                }
            }
        } catch (IOException e) {
            warnings.accept("cannot read the previous " + manifest + " (" + e.getMessage() + "); certificates it"
                    + " listed that this run does not are left in place");
        }
        return names;
    }

    /** The names in a stable order, the manifest last: it is what makes a run the current one. */
    static List<String> publishOrder(Collection<String> names) {
        List<String> order = new ArrayList<>(names);
        order.sort(Comparator.comparing((String n) -> n.equals(ManifestWriter.FILE_NAME))
                .thenComparing(Comparator.naturalOrder()));
        return order;
    }

    /**
     * A name this output writes: a plain file name, or one in a subdirectory of
     * {@link #subdirectories()} ({@code previous/<id>.pem}), never a hidden one there.
     */
    static boolean isOutputName(String name) {
        int slash = name.indexOf('/');
        if (slash < 0) {
            return isPlainName(name);
        }
        String file = name.substring(slash + 1);
        return subdirectories().contains(name.substring(0, slash)) && isPlainName(file)
                && !file.startsWith(".");
    }

    static boolean isPlainName(String name) {
        if (name.isEmpty() || name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\\")) {
            return false;
        }
        try {
            Path p = Path.of(name);
            return p.getNameCount() == 1 && p.getFileName().toString().equals(name);
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** Warns once about {@code .pem} files in the directory that no manifest of ours lists. */
    static void warnAboutForeignFiles(Path directory, Set<String> written, List<String> removed,
            Consumer<String> warnings) {
        List<String> foreign = new ArrayList<>();
        List<String> prefixes = new ArrayList<>(List.of(""));
        for (String sub : subdirectories()) {
            if (Files.isDirectory(directory.resolve(sub), LinkOption.NOFOLLOW_LINKS)) {
                prefixes.add(sub + "/");
            }
        }
        for (String prefix : prefixes) {
            try (DirectoryStream<Path> s = Files.newDirectoryStream(directory.resolve(prefix.isEmpty() ? "." : prefix),
                    "*.pem")) {
                for (Path p : s) {
                    String n = prefix + p.getFileName().toString();
                    if (!written.contains(n) && !removed.contains(n)) {
                        foreign.add(n);
                    }
                }
            } catch (IOException e) {
                return;
            }
        }
        if (!foreign.isEmpty()) {
            Collections.sort(foreign);
            warnings.accept(foreign.size() + " .pem file" + (foreign.size() == 1 ? "" : "s") + " in " + directory
                    + " that no dps manifest lists (not written by this plugin, or by a run whose manifest is gone)"
                    + " left as they are: " + String.join(", ", foreign.subList(0, Math.min(MAX_NAMED, foreign.size())))
                    + (foreign.size() > MAX_NAMED ? ", ..." : ""));
        }
    }
}
