package io.github.dpsplugin.maven;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.id.FirmwareVersion;
import io.github.dpsplugin.core.rollout.PreviousFirmware;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.project.MavenProject;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.resolution.ArtifactResult;
import org.eclipse.aether.transfer.ArtifactNotFoundException;

/**
 * The previous firmware named by a release of this project ({@code previousRelease}) rather than
 * by its files: its {@code .bin} and {@code .map} (or its {@code .elf}, when this run reads an
 * ELF) attached to the project as artifacts of that type, resolved like any artifact (the local
 * repository, then the project's remote repositories). The build that makes a release
 * is the one that prepares the rollout from the release before it, which a repository already
 * holds.
 */
final class PreviousRelease {

    private PreviousRelease() {
    }

    /**
     * The version devices report under the release: {@code previousFirmwareVersion} when given, else
     * the release's own version when it is one a DevKit reports (N.N.N). Without it, MAC-derived
     * devices would be taken to have kept their IDs, and the rollout would enroll certificates no
     * device presents.
     */
    static String deviceVersion(String release, String previousFirmwareVersion) {
        if (previousFirmwareVersion != null && !previousFirmwareVersion.isBlank()) {
            return previousFirmwareVersion;
        }
        try {
            return FirmwareVersion.parse(release).toString();
        } catch (DpsException notReported) {
            return null;
        }
    }

    /**
     * Resolves {@code groupId:artifactId:bin:version} and {@code …:map:…} (or {@code …:elf:…}) of
     * {@code project}. A release without them is bad input; a repository that cannot be reached is
     * the environment's fault.
     */
    static PreviousFirmware resolve(String version, boolean elf, String deviceVersion, MavenProject project,
            RepositorySystem system, RepositorySystemSession session) {
        List<ArtifactRequest> requests = new ArrayList<>();
        for (String extension : elf ? new String[] {"elf"} : new String[] {"bin", "map"}) {
            requests.add(new ArtifactRequest(new DefaultArtifact(project.getGroupId(), project.getArtifactId(), "",
                    extension, version), project.getRemoteProjectRepositories(), null));
        }
        List<ArtifactResult> results;
        try {
            results = system.resolveArtifacts(session, requests);
        } catch (ArtifactResolutionException e) {
            List<String> missing = new ArrayList<>();
            boolean notFound = true;
            for (ArtifactResult r : e.getResults()) {
                if (r.isResolved()) {
                    continue;
                }
                missing.add(r.getRequest().getArtifact().toString());
                for (Exception cause : r.getExceptions()) {
                    notFound &= cause instanceof ArtifactNotFoundException;
                }
            }
            String message = "cannot resolve " + String.join(" and ", missing) + " (" + e.getMessage() + ");"
                    + " the previous release's firmware must have been attached to the project (type "
                    + (elf ? "elf" : "bin and map") + ", e.g. by build-helper-maven-plugin's attach-artifact) and"
                    + " installed or deployed; or name its files with previousFirmware"
                    + (elf ? "Elf" : "Bin and previousFirmwareMap");
            throw notFound ? new DpsException("previousRelease", message)
                    : DpsException.environment("previousRelease", message, e);
        }
        File first = results.get(0).getArtifact().getFile();
        if (elf) {
            return PreviousFirmware.of(null, null, first.toPath(), deviceVersion);
        }
        return PreviousFirmware.of(first.toPath(), results.get(1).getArtifact().getFile().toPath(), null,
                deviceVersion);
    }
}
