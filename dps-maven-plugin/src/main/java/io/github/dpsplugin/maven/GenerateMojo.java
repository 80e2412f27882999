package io.github.dpsplugin.maven;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.dice.UdsSource;
import io.github.dpsplugin.core.fleet.BatchGenerator;
import io.github.dpsplugin.core.fleet.BatchRequest;
import io.github.dpsplugin.core.fleet.BatchResult;
import io.github.dpsplugin.core.fleet.DeviceOutput;
import io.github.dpsplugin.core.fleet.DeviceSpec;
import io.github.dpsplugin.core.fleet.UdsFiles;
import io.github.dpsplugin.core.fleet.WarmUp;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.output.FileNames;
import io.github.dpsplugin.core.pem.PemLayout;
import io.github.dpsplugin.core.rollout.PreviousFirmware;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.io.File;
import java.util.Locale;
import java.util.function.UnaryOperator;
import javax.inject.Inject;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProjectHelper;

/**
 * Writes, for each device, the DICE/RIoT alias certificate the device will present to the Azure IoT
 * Hub Device Provisioning Service ({@code <registrationId>.pem}, the file to upload for individual
 * X.509 enrollment), its DeviceID certificate ({@code <registrationId>-deviceid.pem}) and a
 * manifest ({@code dps-manifest.json}) with the thumbprints.
 *
 * <p>Works in a project (bound to {@code package}) and without one:
 * {@code mvn io.github.dpsplugin:dps-maven-plugin:generate -Ddps.firmwareBin=… -Ddps.firmwareMap=…
 * -Ddps.registrationId=… -Ddps.udsEnv=…}.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true, requiresProject = false)
public class GenerateMojo extends AbstractFirmwareMojo {

    /** Devices up to this many get one INFO line each; more get a summary only. */
    static final int MAX_DEVICES_LISTED = 20;
    /** Up to this many devices (and no devices file), each alias certificate is attached on its own. */
    static final int MAX_DEVICES_ATTACHED = 100;

    private static final String NONCE_WARNED_KEY = GenerateMojo.class.getName() + ".nonceWarned";

    /**
     * Also write {@code dps-certificates.zip} with every certificate; default: on when a devicesFile
     * is used (then the archive, not one artifact per device, is attached).
     */
    @Parameter(property = "dps.archive") private Boolean archive;

    /**
     * Write {@code <registrationId>.pem} and {@code <registrationId>-deviceid.pem} files. Turning it
     * off (with the archive on) makes very large fleets much faster where creating files is slow.
     */
    @Parameter(property = "dps.certificateFiles", defaultValue = "true") private boolean certificateFiles;

    /**
     * Let several devices have one UDS. They get one DeviceID key, so a build for real devices
     * refuses them; only a test fleet reproducing reference certificates needs this.
     */
    @Parameter(property = "dps.allowSharedUds", defaultValue = "false") private boolean allowSharedUds;

    /**
     * Also write {@code dps-enroll.sh} (one {@code az iot dps enrollment create} line per device) and
     * DPS bulk enrollment bodies {@code dps-enrollments-NNNN.json} (10 enrollments each). The build
     * sends nothing anywhere.
     */
    @Parameter(property = "dps.enrollmentScript", defaultValue = "false") private boolean enrollmentScript;

    /** The DPS instance named in {@code dps-enroll.sh}; if unset, the script reads {@code $DPS_NAME}. */
    @Parameter(property = "dps.dpsName") private String dpsName;

    /** The resource group named in {@code dps-enroll.sh}; if unset, the script reads {@code $RESOURCE_GROUP}. */
    @Parameter(property = "dps.resourceGroup") private String resourceGroup;

    /** Attaches the manifest (type json) and each alias certificate (type pem) to the project. */
    @Parameter(property = "dps.attach", defaultValue = "true") private boolean attach;

    /** PEM layout: {@code one-line} (as the old tool wrote it, byte-identical files) or {@code rfc7468} (64 columns). */
    @Parameter(property = "dps.pemLayout", defaultValue = "one-line") private String pemLayout;

    @Inject private MavenProjectHelper projectHelper;

    @Override
    protected void doExecute() {
        Log log = getLog();
        if (devicesFile != null) {
            WarmUp.start(); // while the UDS files are read, on the other core: see WarmUp
        }
        try (UdsFiles secrets = udsFiles()) {
            BatchRequest request = request(secrets);
            BatchResult result = BatchGenerator.run(request, new LogListener(log, logPrefix()));
            boolean listEach = result.deviceCount() <= MAX_DEVICES_LISTED;
            for (DeviceOutput d : result.devices()) {
                String where = d.aliasCertificateFile() != null ? relative(d.aliasCertificateFile())
                        : "in " + relative(result.archive());
                String line = d.registrationId() + ": " + where + " (SHA-1 " + d.certificates().aliasSha1Thumbprint() + ")";
                if (listEach) {
                    log.info(line);
                } else {
                    log.debug(line);
                }
            }
            log.info(String.format(Locale.ROOT, "DPS certificates: %d device%s written to %s (nonce %s%s%s)",
                    result.deviceCount(), result.deviceCount() == 1 ? "" : "s", relative(outputDirectory.toPath()),
                    request.noncePolicy().name().toLowerCase(Locale.ROOT),
                    request.shard().isAll() ? "" : ", shard " + request.shard(),
                    result.deviceCount() >= 1000 ? String.format(Locale.ROOT, ", %.0f devices/s",
                            result.deviceCount() / (result.elapsedNanos() / 1e9)) : ""));
            if (result.rollout() != null) {
                log.info(result.rollout().describe());
            }
            // about certificates that exist: a run that failed wrote none
            warnAboutNonce(request.noncePolicy());
            if (attach) {
                attach(result, perDeviceAttach(result));
            }
        }
    }

    /** Each alias certificate is attached on its own for small POM lists; fleets attach the archive. */
    private boolean perDeviceAttach(BatchResult result) {
        return devicesFile == null && result.deviceCount() <= MAX_DEVICES_ATTACHED && result.archive() == null;
    }

    /** Maps the parameters onto a core request; no computation here. */
    BatchRequest request() {
        return request(null);
    }

    /** The core request, in the order its parameters are checked; {@code secrets}: the UDS files, or null. */
    BatchRequest request(UdsFiles secrets) {
        refuseUdsValues();
        PreviousFirmware previous = previousFirmware();
        if (previous != null && previous.version() == null && notBlank(previousRelease)) {
            getLog().warn("previousRelease " + previousRelease.strip() + " is not a version a DevKit reports (N.N.N):"
                    + " devices whose registration ID is derived from their MAC address are taken to have had the same"
                    + " ID under it; give previousFirmwareVersion (N.N.N) if they reported another version");
        }
        BatchRequest.Builder b = BatchRequest.builder();
        listedDevices(b, secrets, previous == null ? null : previous::previousId);
        b.firmware(firmware());
        if (devicesFile != null) {
            if (secrets == null) {
                throw new DpsException("udsFile", "a devicesFile needs the UDS of its devices: give udsFile (or"
                        + " udsFileEnv / udsFileServerId naming it), a CSV of registrationId,uds lines");
            }
            b.devicesFile(devicesFile.toPath(), firmwareVersion, secrets::lookup);
        }
        b.shard(shard());
        outputs(b);
        return b.noncePolicy(noncePolicy(false))
                .pemLayout(pemLayout())
                .defaultFirmwareVersion(blankToNull(firmwareVersion))
                .previousFirmware(previous)
                .build();
    }

    /**
     * The POM's and the command line's devices; one without udsServerId/udsEnv takes its UDS from
     * the UDS file. In a rollout, {@code previousId} gives the ID its UDS file line may be under.
     */
    private void listedDevices(BatchRequest.Builder b, UdsFiles secrets, UnaryOperator<RegistrationId> previousId) {
        MavenUdsSources sources = udsSources();
        forEachListedDevice((label, id, mac, version, uds) -> {
            UdsSource explicit = uds.source(sources);
            b.device(DeviceSpec.parse(label, id, mac, version,
                    finalId -> explicit != null ? explicit : secrets == null ? null : secrets.lookup(finalId),
                    previousId, "udsServerId", "no UDS source; give udsServerId (a settings.xml server whose password"
                            + " is the UDS) or udsEnv (an environment variable), or a line for this device in the"
                            + " udsFile"));
        });
        if (!singleDevice() && (notBlank(udsServerId) || notBlank(udsEnv))) {
            throw new DpsException("registrationId", "udsServerId/udsEnv is given without a device; add"
                    + " -Ddps.registrationId=<id> (or -Ddps.macAddress=<mac> with -Ddps.firmwareVersion=<N.N.N>),"
                    + " or set udsServerId/udsEnv inside each <device>");
        }
    }

    /** What is written, and how. */
    private void outputs(BatchRequest.Builder b) {
        b.threads(threads())
                .archive(archive != null ? archive : devicesFile != null)
                .certificateFiles(certificateFiles)
                .sharedUdsAllowed(allowSharedUds)
                .enrollment(enrollmentScript, blankToNull(dpsName), blankToNull(resourceGroup))
                .outputDirectory(path(outputDirectory, "outputDirectory"));
    }

    private PemLayout pemLayout() {
        String p = pemLayout == null ? "one-line" : pemLayout.strip().toLowerCase(Locale.ROOT);
        switch (p) {
            case "one-line":
                return PemLayout.ONE_LINE;
            case "rfc7468":
                return PemLayout.RFC7468;
            default:
                throw new DpsException("pemLayout", DpsException.quote(pemLayout) + " is not a PEM layout; expected"
                        + " one-line or rfc7468");
        }
    }

    private void warnAboutNonce(NoncePolicy policy) {
        if (policy != NoncePolicy.DEVKIT) {
            return;
        }
        if (acknowledgeDevkitNonce) {
            getLog().debug("devkit nonce acknowledged (dps.acknowledgeDevkitNonce)");
            return;
        }
        if (!firstInThisBuild()) {
            return;
        }
        getLog().warn("DPS certificates are signed with the DevKit's fixed ECDSA nonce (dps.nonce=devkit): anyone who"
                + " has one of these certificates can compute that device's DeviceID private key. DevKit firmware"
                + " signs this way, so its certificates must too. Treat the certificates as sensitive, prefer firmware"
                + " whose RIoT signer uses RFC 6979 (dps.nonce=rfc6979), and set dps.acknowledgeDevkitNonce=true to"
                + " silence this warning.");
    }

    /** True once per build, also across the modules of a reactor. */
    private boolean firstInThisBuild() {
        if (session == null || session.getRepositorySession() == null) {
            return true;
        }
        return session.getRepositorySession().getData().set(NONCE_WARNED_KEY, null, Boolean.TRUE);
    }

    private void attach(BatchResult result, boolean perDevice) {
        if (project == null || project.getArtifact() == null) {
            getLog().debug("no project artifact to attach to");
            return;
        }
        projectHelper.attachArtifact(project, "json", "dps-manifest", result.manifest().toFile());
        if (result.archive() != null) {
            projectHelper.attachArtifact(project, "zip", "dps-certificates", result.archive().toFile());
        }
        if (perDevice) {
            for (DeviceOutput d : result.devices()) {
                projectHelper.attachArtifact(project, "pem", classifier(d), d.aliasCertificateFile().toFile());
            }
        }
    }

    /** {@code dps-<file name stem>}: the registration ID in the portable form of {@link FileNames}. */
    static String classifier(DeviceOutput d) {
        return "dps-" + FileNames.stem(d.registrationId());
    }

    @Override
    protected String logPrefix() {
        return "DPS certificates";
    }
}
