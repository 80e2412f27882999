package io.github.dpsplugin.core.output;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import io.github.dpsplugin.core.io.JsonIo;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Which files in an output directory a previous run of the plugin wrote: the certificates its
 * manifest lists (a rollout's {@code previous/<id>.pem} included), and the plugin's fixed names
 * beside it ({@code dps-rollout*} included). Only these are ever removed as stale;
 * a file the plugin did not write is never touched.
 */
public final class OutputFiles {

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

    private OutputFiles() {
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
                            && StagedOutput.isPlainName(v) && !v.startsWith(".")) {
                        names.add(v);
                    } else if ("previousAliasCertificate".equals(key) && v.endsWith(".pem")
                            && StagedOutput.isOutputName(v) && v.indexOf('/') > 0
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
}
