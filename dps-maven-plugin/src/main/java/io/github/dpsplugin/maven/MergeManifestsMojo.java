package io.github.dpsplugin.maven;

import io.github.dpsplugin.core.DpsException;
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
 * Merges the {@code dps-manifest.json} files of a fleet split over several CI jobs
 * ({@code -Ddps.shard=i/n} on job i of n) into the fleet's manifest: byte for byte the manifest one
 * unsharded run would have written. Every shard must be given once; shards of another split,
 * firmware, nonce policy or fleet, overlapping or truncated ones are refused and nothing is written.
 * Works without a POM:
 * {@code mvn io.github.dpsplugin:dps-maven-plugin:merge-manifests -Ddps.manifests=shard-1,shard-2}.
 */
@Mojo(name = "merge-manifests", threadSafe = true, requiresProject = false)
public class MergeManifestsMojo extends AbstractMojo {

    /**
     * The shards' manifests, in any order: each a {@code dps-manifest.json} or a directory holding
     * one (on the command line, comma-separated).
     */
    @Parameter(property = "dps.manifests")
    private List<File> manifests;

    /**
     * The merged manifest written; default <code>${project.build.directory}/dps/dps-manifest.json</code>
     * (<code>target/dps/dps-manifest.json</code> in the current directory without a POM).
     */
    @Parameter(property = "dps.mergedManifest")
    private File mergedManifest;

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
        Path target = mergedManifest != null ? mergedManifest.toPath()
                : buildDirectory().resolve("dps").resolve("dps-manifest.json");
        List<Path> inputs = new ArrayList<>();
        if (manifests != null) {
            manifests.forEach(f -> inputs.add(f.toPath()));
        }
        try {
            ManifestMerger.Result r = ManifestMerger.merge(inputs, target);
            getLog().info(String.format(Locale.ROOT, "DPS merge-manifests: %d shards, %d devices merged into %s",
                    r.shards(), r.devices(), target));
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
