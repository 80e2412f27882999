package io.github.dpsplugin.maven;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.output.ManifestMerger;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

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
public class MergeManifestsMojo extends AbstractMojo {

    private static final String MANIFEST = "dps-manifest.json";

    /**
     * The shards' manifests, in any order: each a {@code dps-manifest.json} or a directory holding
     * one (on the command line, comma-separated).
     */
    @Parameter(property = "dps.manifests")
    private List<File> manifests;

    /**
     * The directory the fleet's output is merged into; default <code>${project.build.directory}/dps</code>
     * (<code>target/dps</code> in the current directory without a POM).
     */
    @Parameter(property = "dps.outputDirectory")
    private File outputDirectory;

    /**
     * The merged manifest: its directory is the output directory (and its name
     * {@code dps-manifest.json}), or with {@code manifestOnly} any file. Default
     * {@code dps-manifest.json} in {@code outputDirectory}.
     */
    @Parameter(property = "dps.mergedManifest")
    private File mergedManifest;

    /**
     * Writes the merged manifest only, no certificates or other files, and removes nothing: for
     * shards whose certificates are not at hand.
     */
    @Parameter(property = "dps.manifestOnly", defaultValue = "false")
    private boolean manifestOnly;

    /** Skips the goal. */
    @Parameter(property = "dps.skip", defaultValue = "false")
    private boolean skip;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    @Parameter(defaultValue = "${project}", readonly = true)
    private MavenProject project;

    /** This goal's execution: the plugin descriptor gives every goal's dps.* properties. */
    @Parameter(defaultValue = "${mojoExecution}", readonly = true)
    private MojoExecution mojoExecution;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        // like every goal: a misspelt dps.* property (dps.manifest, dps.mergedmanifest …) is named, not ignored
        UnknownProperties.warn(session, mojoExecution, getLog());
        if (skip) {
            getLog().info("DPS merge-manifests: skipped (dps.skip)");
            return;
        }
        Path directory = outputDirectory != null ? outputDirectory.toPath() : buildDirectory().resolve("dps");
        Path target = mergedManifest != null ? mergedManifest.toPath() : directory.resolve(MANIFEST);
        List<Path> inputs = new ArrayList<>();
        if (manifests != null) {
            manifests.forEach(f -> inputs.add(f.toPath()));
        }
        try {
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
        } catch (DpsException e) {
            // as for the other goals: the user's input fails the build, an I/O fault is an execution error
            AbstractDpsMojo.fail(e);
        } catch (RuntimeException e) {
            throw AbstractDpsMojo.unexpected(e);
        }
    }

    /** {@code ${project.build.directory}}, or {@code target} in the current directory without a POM. */
    private Path buildDirectory() {
        String dir = project == null || project.getBuild() == null ? null : project.getBuild().getDirectory();
        if (dir != null && !dir.contains("${")) {
            return Path.of(dir);
        }
        if (project != null && project.getBasedir() != null) {
            return project.getBasedir().toPath().toAbsolutePath().resolve("target");
        }
        String root = session == null ? null : session.getExecutionRootDirectory();
        return (root != null ? Path.of(root) : Path.of("")).toAbsolutePath().resolve("target");
    }
}
