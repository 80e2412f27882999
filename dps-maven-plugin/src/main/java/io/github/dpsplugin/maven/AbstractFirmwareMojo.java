package io.github.dpsplugin.maven;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.fleet.UdsFiles;
import io.github.dpsplugin.core.rollout.PreviousFirmware;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.inject.Inject;
import org.apache.maven.plugins.annotations.Parameter;
import org.eclipse.aether.RepositorySystem;

/**
 * The goals that hold a fleet's certificates against a firmware: {@code generate} computes them,
 * {@code verify} checks them. Both read the same firmware parameters (under the rules of
 * {@link FirmwareParameters}), the same nonce policy and the same UDS files, so that what
 * {@code verify} checks is what {@code generate} made from the same configuration.
 */
abstract class AbstractFirmwareMojo extends AbstractDevicesMojo {

    /**
     * The raw flash image of this build's firmware (objcopy {@code -O binary}); byte 0 is the FLASH
     * origin. {@code generate} computes the certificates a DevKit running it presents; {@code verify}
     * checks certificates against them.
     */
    @Parameter(property = "dps.firmwareBin", defaultValue = "${project.build.directory}/${project.build.finalName}.bin")
    protected File firmwareBin;

    /** The GNU ld link map of the same link ({@code -Wl,-Map,…}): gives the FLASH origin and the riot symbols. */
    @Parameter(property = "dps.firmwareMap", defaultValue = "${project.build.directory}/${project.build.finalName}.map")
    protected File firmwareMap;

    /**
     * The linked firmware ELF (32-bit little-endian ARM), instead of firmwareBin + firmwareMap: the
     * riot symbols come from its symbol table and the measured bytes from its sections. When given,
     * the .bin and .map are not read.
     */
    @Parameter(property = "dps.firmwareElf") protected File firmwareElf;

    /**
     * The raw flash image of the firmware the devices run now, before the update to this build's
     * firmware (see "Releasing new firmware"). With it (and {@code previousFirmwareMap}),
     * {@code generate} prepares a rollout: the devices' certificates of both firmwares, and the
     * scripts that enroll them; {@code verify} tells a certificate of the previous firmware from one
     * that matches neither.
     */
    @Parameter(property = "dps.previousFirmwareBin") protected File previousFirmwareBin;

    /** The GNU ld link map of the previous firmware's link (with {@code previousFirmwareBin}). */
    @Parameter(property = "dps.previousFirmwareMap") protected File previousFirmwareMap;

    /** The previous firmware's linked ELF, instead of previousFirmwareBin + previousFirmwareMap. */
    @Parameter(property = "dps.previousFirmwareElf") protected File previousFirmwareElf;

    /**
     * The previous firmware named by a release of this project instead of by its files: the
     * project version whose {@code .bin} and {@code .map} (or {@code .elf}, when this run reads
     * an ELF) were attached to the project as artifacts of type {@code bin} and {@code map} (or
     * {@code elf}), e.g. by build-helper-maven-plugin's attach-artifact. Resolved like any
     * artifact: the local repository, then the project's repositories. Not with
     * previousFirmwareBin/Map/Elf.
     */
    @Parameter(property = "dps.previousRelease") protected String previousRelease;

    /**
     * The version devices report under the previous firmware (N.N.N), which decides their previous
     * MAC-derived registration ID in a rollout; default: the release's version when it is N.N.N, else
     * each device's current version ({@code firmwareVersion}), i.e. IDs unchanged. {@code verify}
     * checks each certificate against the ID it carries, so there it changes nothing.
     */
    @Parameter(property = "dps.previousFirmwareVersion") protected String previousFirmwareVersion;

    /**
     * The ECDSA nonce policy of the device's RIoT signer: {@code devkit} (the DevKit's fixed nonce:
     * what DevKit firmware computes) or {@code rfc6979} (deterministic and secret). {@code generate}
     * signs with it; {@code verify} checks that the certificates were signed with it, and also takes
     * {@code any} (either policy).
     */
    @Parameter(property = "dps.nonce", defaultValue = "devkit") protected String nonce;

    /**
     * Silences the warning that with the {@code devkit} nonce the DeviceID private key can be computed
     * from any certificate (for {@code verify}, it becomes a debug line); set it once you have read
     * and accepted that.
     */
    @Parameter(property = "dps.acknowledgeDevkitNonce", defaultValue = "false")
    protected boolean acknowledgeDevkitNonce;

    /**
     * The fleet's secret UDS files, as {@code generate-uds} writes them: one, or several
     * comma-separated ({@code -Ddps.udsFile=uds.csv,uds-added.csv}; in the POM also
     * {@code <udsFiles><udsFile>…</udsFile></udsFiles>}). A line names a device by registration ID
     * or by MAC address; a device whose ID is derived from its MAC is found by its MAC under any
     * firmware version. A device in two files is refused. {@code generate} takes from them the UDS of
     * the devices file's devices and of POM devices without udsServerId/udsEnv; {@code verify}
     * recomputes, byte for byte, every certificate of a manifest whose device they hold. Their paths
     * may be logged, their content never.
     */
    @Parameter(property = "dps.udsFile", alias = "udsFiles") protected List<File> udsFile;

    /** Name of an environment variable holding the path of the UDS file (e.g. a CI secret file). */
    @Parameter(property = "dps.udsFileEnv") protected String udsFileEnv;

    /** Id of a settings.xml {@code <server>} whose password is the path of the UDS file. */
    @Parameter(property = "dps.udsFileServerId") protected String udsFileServerId;

    /**
     * The output of {@code generate}: where it writes the certificates and the manifest, and where
     * {@code verify} finds the manifest when given neither certificate nor manifest.
     */
    @Parameter(property = "dps.outputDirectory", defaultValue = "${project.build.directory}/dps")
    protected File outputDirectory;

    /**
     * Threads computing ({@code generate}) or checking ({@code verify}) certificates; default: the
     * number of available processors. Output and report bytes do not depend on it.
     */
    @Parameter(property = "dps.threads") protected Integer threads;

    /** Resolves a previous release's firmware artifacts ({@code previousRelease}). */
    @Inject private RepositorySystem repositorySystem;

    /** The firmware the certificates are of: its ELF, or its .bin and .map. */
    protected FirmwareFiles firmware() {
        return FirmwareParameters.current(firmwareBin, firmwareMap, firmwareElf, project, getLog());
    }

    /**
     * The firmware the devices run now, named by its files or by a release of this project, with the
     * version they report under it; or {@code null}.
     */
    protected PreviousFirmware previousFirmware() {
        PreviousFirmware previous = FirmwareParameters.previous(previousFirmwareBin, previousFirmwareMap,
                previousFirmwareElf, previousFirmwareVersion, getLog());
        if (notBlank(previousRelease)) {
            if (previous != null) {
                throw new DpsException("previousRelease", "'" + previousRelease + "' is given with"
                        + " previousFirmwareBin/previousFirmwareMap/previousFirmwareElf; name the firmware the devices"
                        + " run now one way: a release of this project, or its files");
            }
            if (session != null && session.getRequest() != null && !session.getRequest().isProjectPresent()) {
                // without a POM Maven's stand-in project has no coordinates a release could be under
                throw new DpsException("previousRelease", "'" + previousRelease + "' names a release of this project,"
                        + " but there is no project (no POM here); name the previous firmware by its files:"
                        + " previousFirmwareElf, or previousFirmwareBin and previousFirmwareMap");
            }
            String release = previousRelease.strip();
            previous = PreviousRelease.resolve(release, firmwareElf != null,
                    PreviousRelease.deviceVersion(release, previousFirmwareVersion), project, repositorySystem,
                    session.getRepositorySession());
        }
        if (previous == null && notBlank(previousFirmwareVersion)) {
            throw new DpsException("previousFirmwareVersion", "is given without a previous firmware; give"
                    + " previousRelease, or previousFirmwareBin and previousFirmwareMap (or previousFirmwareElf) of"
                    + " the firmware the devices run now");
        }
        return previous;
    }

    /** The {@code threads} parameter, or the number of available processors. */
    protected int threads() {
        return threads != null ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** The {@code nonce} parameter; with {@code allowAny}, {@code any} is {@code null}: no expectation. */
    protected NoncePolicy noncePolicy(boolean allowAny) {
        return FirmwareParameters.noncePolicy(nonce, allowAny);
    }

    /** The UDS files named by udsFile, udsFileEnv or udsFileServerId, read; or null. */
    protected UdsFiles udsFiles() {
        List<Path> files = udsFilePaths();
        return files.isEmpty() ? null : readUdsFiles(files);
    }

    /** The paths of the UDS files named by udsFile, udsFileEnv or udsFileServerId; empty when none is. */
    protected List<Path> udsFilePaths() {
        List<Path> files = new ArrayList<>();
        if (udsFile != null) {
            for (File f : udsFile) {
                if (f != null && !f.getPath().isBlank()) {
                    files.add(f.toPath());
                }
            }
        }
        int given = (files.isEmpty() ? 0 : 1) + (notBlank(udsFileEnv) ? 1 : 0) + (notBlank(udsFileServerId) ? 1 : 0);
        if (given > 1) {
            throw new DpsException("udsFile", "give only one of udsFile, udsFileEnv and udsFileServerId");
        }
        if (notBlank(udsFileEnv)) {
            files.add(resolve(udsSources().environmentValue(udsFileEnv.strip(), "udsFileEnv")));
        }
        if (notBlank(udsFileServerId)) {
            files.add(resolve(udsSources().serverPassword(udsFileServerId.strip(), "udsFileServerId")));
        }
        return files;
    }

    private Path resolve(String path) {
        Path p = Path.of(path);
        if (!p.isAbsolute() && project != null && project.getBasedir() != null) {
            p = project.getBasedir().toPath().resolve(p);
        }
        return p;
    }
}
