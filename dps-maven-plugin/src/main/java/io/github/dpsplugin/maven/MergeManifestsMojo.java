package io.github.dpsplugin.maven;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.output.ManifestMerger;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Merges the outputs of a fleet split over several CI jobs ({@code -Ddps.shard=i/n} on job i of n)
 * into the fleet's output: byte for byte the directory one unsharded run would have written (the
 * manifest, every certificate copied from its shard's output, and the archive, enrollment and
 * rollout files when the shards have them), so that {@code verify} and the scripts work on it.
 * Published like {@code generate}'s output: of what the directory held, only files its previous
 * manifest listed and the merged one does not are removed. With {@code manifestOnly}, only the
 * manifest is written and nothing removed. Every shard must be given once; shards of another split,
 * firmware, nonce policy or fleet, overlapping, truncated or edited ones are refused and nothing is
 * written. Works without a POM:
 * {@code mvn io.github.dpsplugin:dps-maven-plugin:merge-manifests -Ddps.manifests=shard-1,shard-2}.
 */
@Mojo(name = "merge-manifests", threadSafe = true, requiresProject = false)
public class MergeManifestsMojo extends AbstractDpsMojo {

    private static final String MANIFEST = "dps-manifest.json";

    /**
     * The shards' manifests, in any order: each a {@code dps-manifest.json} or a directory holding
     * one (on the command line, comma-separated).
     */
    @Parameter(property = "dps.manifests") private List<File> manifests;

    /**
     * The directory the fleet's output is merged into; default <code>${project.build.directory}/dps</code>
     * (<code>target/dps</code> in the current directory without a POM).
     */
    @Parameter(property = "dps.outputDirectory") private File outputDirectory;

    /**
     * The merged manifest: its directory is the output directory (and its name
     * {@code dps-manifest.json}), or with {@code manifestOnly} any file. Default
     * {@code dps-manifest.json} in {@code outputDirectory}.
     */
    @Parameter(property = "dps.mergedManifest") private File mergedManifest;

    /**
     * Writes the merged manifest only, no certificates or other files, and removes nothing: for
     * shards whose certificates are not at hand.
     */
    @Parameter(property = "dps.manifestOnly", defaultValue = "false") private boolean manifestOnly;

    @Override
    protected void doExecute() {
        Path directory = outputDirectory != null ? outputDirectory.toPath() : buildDirectory().resolve("dps");
        Path target = mergedManifest != null ? mergedManifest.toPath() : directory.resolve(MANIFEST);
        List<Path> inputs = new ArrayList<>();
        if (manifests != null) {
            manifests.forEach(f -> inputs.add(f.toPath()));
        }
        ManifestMerger.Result r;
        if (manifestOnly) {
            r = ManifestMerger.merge(inputs, target);
        } else {
            if (!target.getFileName().toString().equals(MANIFEST)) {
                throw new DpsException("mergedManifest", target + ": the merged output's manifest is named "
                        + MANIFEST + "; give outputDirectory (the merged directory), or manifestOnly=true to"
                        + " write the manifest alone under another name");
            }
            if (outputDirectory != null && mergedManifest != null
                    && !target.toAbsolutePath().normalize().getParent().equals(
                            directory.toAbsolutePath().normalize())) {
                throw new DpsException("mergedManifest", target + " is not in outputDirectory " + directory
                        + "; give one of them");
            }
            directory = target.toAbsolutePath().getParent();
            r = ManifestMerger.mergeOutputs(inputs, directory);
        }
        getLog().info(String.format(Locale.ROOT, "DPS merge-manifests: %d shards, %d devices merged into %s",
                r.shards(), r.devices(), manifestOnly ? target : directory));
    }

    @Override
    protected String logPrefix() {
        return "DPS merge-manifests";
    }
}
