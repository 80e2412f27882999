package io.github.dpsplugin.maven;

import io.github.dpsplugin.core.DpsException;
import io.github.dpsplugin.core.batch.BatchGenerator;
import io.github.dpsplugin.core.batch.BatchListener;
import io.github.dpsplugin.core.batch.BatchRequest;
import io.github.dpsplugin.core.batch.BatchResult;
import io.github.dpsplugin.core.batch.DeviceOutput;
import io.github.dpsplugin.core.batch.DeviceSpec;
import io.github.dpsplugin.core.batch.UdsSource;
import io.github.dpsplugin.core.pem.PemLayout;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.inject.Inject;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.project.MavenProjectHelper;
import org.apache.maven.settings.crypto.SettingsDecrypter;

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
public class GenerateMojo extends AbstractMojo {

    /** Devices up to this many get one INFO line each; more get a summary only. */
    static final int MAX_DEVICES_LISTED = 20;

    private static final String NONCE_WARNED_KEY = GenerateMojo.class.getName() + ".nonceWarned";

    /** Skips the goal. */
    @Parameter(property = "dps.skip", defaultValue = "false")
    private boolean skip;

    /** The raw flash image of the firmware (objcopy {@code -O binary}); byte 0 is the FLASH origin. */
    @Parameter(property = "dps.firmwareBin", defaultValue = "${project.build.directory}/${project.build.finalName}.bin")
    private File firmwareBin;

    /** The GNU ld link map of the same link ({@code -Wl,-Map,…}): gives the FLASH origin and the riot symbols. */
    @Parameter(property = "dps.firmwareMap", defaultValue = "${project.build.directory}/${project.build.finalName}.map")
    private File firmwareMap;

    /**
     * The devices: each {@code <device>} has a {@code registrationId} or a {@code macAddress} (with
     * {@code firmwareVersion}), and a {@code udsServerId} or {@code udsEnv}.
     */
    @Parameter
    private List<Device> devices;

    /** One device's registration ID, for a single device without a {@code <devices>} list (e.g. direct invocation). */
    @Parameter(property = "dps.registrationId")
    private String registrationId;

    /** One device's Wi-Fi MAC address, from which the DevKit derives its registration ID (with {@code firmwareVersion}). */
    @Parameter(property = "dps.macAddress")
    private String macAddress;

    /** The firmware version devices report (N.N.N, the DevKit SDK version); the default for every device. */
    @Parameter(property = "dps.firmwareVersion")
    private String firmwareVersion;

    /** For the single device: id of the settings.xml {@code <server>} whose password is the UDS. */
    @Parameter(property = "dps.udsServerId")
    private String udsServerId;

    /** For the single device: name of the environment variable that holds the UDS. */
    @Parameter(property = "dps.udsEnv")
    private String udsEnv;

    /**
     * Refused on purpose: a UDS given in the POM or with {@code -D} ends up in version control, shell
     * history and logs. Use {@code udsServerId} (settings.xml, encryptable) or {@code udsEnv}.
     */
    @Parameter(property = "dps.uds")
    private String uds;

    /** Where the certificates and the manifest are written. */
    @Parameter(property = "dps.outputDirectory", defaultValue = "${project.build.directory}/dps")
    private File outputDirectory;

    /** Attaches the manifest (type json) and each alias certificate (type pem) to the project. */
    @Parameter(property = "dps.attach", defaultValue = "true")
    private boolean attach;

    /**
     * ECDSA nonce policy: {@code devkit} (the DevKit's fixed nonce: what DevKit firmware computes) or
     * {@code rfc6979} (deterministic and secret, for firmware whose RIoT signer uses RFC 6979).
     */
    @Parameter(property = "dps.nonce", defaultValue = "devkit")
    private String nonce;

    /**
     * Silences the warning that with the {@code devkit} nonce the DeviceID private key can be computed
     * from any certificate; set it once you have read and accepted that.
     */
    @Parameter(property = "dps.acknowledgeDevkitNonce", defaultValue = "false")
    private boolean acknowledgeDevkitNonce;

    /** PEM layout: {@code one-line} (as the old tool wrote it, byte-identical files) or {@code rfc7468} (64 columns). */
    @Parameter(property = "dps.pemLayout", defaultValue = "one-line")
    private String pemLayout;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    private MavenSession session;

    @Parameter(defaultValue = "${project}", readonly = true)
    private MavenProject project;

    private final SettingsDecrypter settingsDecrypter;
    private final MavenProjectHelper projectHelper;

    @Inject
    public GenerateMojo(SettingsDecrypter settingsDecrypter, MavenProjectHelper projectHelper) {
        this.settingsDecrypter = settingsDecrypter;
        this.projectHelper = projectHelper;
    }

    @Override
    public void execute() throws MojoFailureException {
        Log log = getLog();
        if (skip) {
            log.info("DPS certificates: skipped (dps.skip)");
            return;
        }
        try {
            BatchRequest request = request();
            warnAboutNonce(request.noncePolicy());
            boolean listEach = request.devices().size() <= MAX_DEVICES_LISTED;
            BatchResult result = BatchGenerator.run(request, new BatchListener() {
                @Override
                public void debug(String message) {
                    log.debug(message);
                }

                @Override
                public void warning(String message) {
                    log.warn(message);
                }
            });
            for (DeviceOutput d : result.devices()) {
                String line = d.registrationId() + ": " + relative(d.aliasCertificateFile()) + " (SHA-1 "
                        + d.certificates().aliasSha1Thumbprint() + ")";
                if (listEach) {
                    log.info(line);
                } else {
                    log.debug(line);
                }
            }
            log.info("DPS certificates: " + result.devices().size() + " device" + (result.devices().size() == 1 ? "" : "s")
                    + " written to " + relative(outputDirectory.toPath()) + " (nonce "
                    + request.noncePolicy().name().toLowerCase(Locale.ROOT) + ")");
            if (attach) {
                attach(result);
            }
        } catch (DpsException e) {
            throw new MojoFailureException(e.getMessage());
        }
    }

    /** Maps the parameters onto a core request; no computation here. */
    BatchRequest request() {
        if (uds != null && !uds.isEmpty()) {
            throw refusedUds("the parameter uds / property dps.uds");
        }
        MavenUdsSources sources = new MavenUdsSources(session == null ? null : session.getSettings(),
                settingsDecrypter, MavenUdsSources.environmentOf(session == null ? null : session.getSystemProperties()));
        List<DeviceSpec> specs = new ArrayList<>();
        if (devices != null) {
            for (int i = 0; i < devices.size(); i++) {
                Device d = devices.get(i);
                String label = "#" + (i + 1) + " of <devices>";
                if (d.hasInlineUds()) {
                    throw refusedUds("<uds> of device " + label);
                }
                specs.add(DeviceSpec.parse(label, d.getRegistrationId(), d.getMacAddress(),
                        d.getFirmwareVersion() != null ? d.getFirmwareVersion() : firmwareVersion,
                        udsSource(sources, d.getUdsServerId(), d.getUdsEnv(), label)));
            }
        }
        boolean single = notBlank(registrationId) || notBlank(macAddress);
        if (single) {
            String label = "given by dps.registrationId/dps.macAddress";
            specs.add(DeviceSpec.parse(label, registrationId, macAddress, firmwareVersion,
                    udsSource(sources, udsServerId, udsEnv, label)));
        } else if (notBlank(udsServerId) || notBlank(udsEnv)) {
            throw new DpsException("registrationId", "udsServerId/udsEnv is given without a device; add"
                    + " -Ddps.registrationId=<id> (or -Ddps.macAddress=<mac> with -Ddps.firmwareVersion=<N.N.N>),"
                    + " or set udsServerId/udsEnv inside each <device>");
        }
        return BatchRequest.builder()
                .firmware(path(firmwareBin, "firmwareBin"), path(firmwareMap, "firmwareMap"))
                .devices(specs)
                .outputDirectory(path(outputDirectory, "outputDirectory"))
                .noncePolicy(noncePolicy())
                .pemLayout(pemLayout())
                .build();
    }

    private static UdsSource udsSource(MavenUdsSources sources, String serverId, String env, String label) {
        boolean hasServer = notBlank(serverId);
        boolean hasEnv = notBlank(env);
        if (hasServer && hasEnv) {
            throw new DpsException("udsServerId", "give either udsServerId or udsEnv, not both").forDevice(label);
        }
        if (hasServer) {
            return sources.settingsServer(serverId.strip());
        }
        if (hasEnv) {
            return sources.environmentVariable(env.strip());
        }
        return null; // DeviceSpec.parse reports the missing UDS with the device's name
    }

    private static DpsException refusedUds(String where) {
        return new DpsException("uds", where + " is refused: a UDS written in a POM or on the command line ends up"
                + " in version control, shell history and build logs. Put it in settings.xml as the <password> of a"
                + " <server> (encrypt it with mvn --encrypt-password) and reference it with udsServerId, or export it"
                + " in an environment variable and reference it with udsEnv");
    }

    private NoncePolicy noncePolicy() {
        String n = nonce == null ? "devkit" : nonce.strip().toLowerCase(Locale.ROOT);
        switch (n) {
            case "devkit":
                return NoncePolicy.DEVKIT;
            case "rfc6979":
                return NoncePolicy.RFC6979;
            default:
                throw new DpsException("nonce", "'" + nonce + "' is not a nonce policy; expected devkit (what DevKit"
                        + " firmware computes) or rfc6979");
        }
    }

    private PemLayout pemLayout() {
        String p = pemLayout == null ? "one-line" : pemLayout.strip().toLowerCase(Locale.ROOT);
        switch (p) {
            case "one-line":
                return PemLayout.ONE_LINE;
            case "rfc7468":
                return PemLayout.RFC7468;
            default:
                throw new DpsException("pemLayout", "'" + pemLayout + "' is not a PEM layout; expected one-line or"
                        + " rfc7468");
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

    private void attach(BatchResult result) {
        if (project == null || project.getArtifact() == null) {
            getLog().debug("no project artifact to attach to");
            return;
        }
        projectHelper.attachArtifact(project, "json", "dps-manifest", result.manifest().toFile());
        for (DeviceOutput d : result.devices()) {
            projectHelper.attachArtifact(project, "pem", classifier(d), d.aliasCertificateFile().toFile());
        }
    }

    /** {@code dps-<registrationId>}; ':' is not safe in artifact coordinates. */
    static String classifier(DeviceOutput d) {
        return "dps-" + d.registrationId().value().replace(':', '_');
    }

    private static Path path(File f, String field) {
        if (f == null) {
            throw new DpsException(field, "is not set");
        }
        return f.toPath();
    }

    private String relative(Path p) {
        Path base = project != null && project.getBasedir() != null ? project.getBasedir().toPath() : null;
        try {
            return base != null && p.isAbsolute() && p.startsWith(base) ? base.relativize(p).toString() : p.toString();
        } catch (IllegalArgumentException e) {
            return p.toString();
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
