package io.github.dpsplugin.maven;

import io.github.dpsplugin.core.DpsException;
import io.github.dpsplugin.core.batch.UdsSource;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.verify.Cause;
import io.github.dpsplugin.core.verify.CertificateReport;
import io.github.dpsplugin.core.verify.Verifier;
import io.github.dpsplugin.core.verify.VerifyReport;
import io.github.dpsplugin.core.verify.VerifyRequest;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.inject.Inject;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Answers "will this device authenticate, and if not, why?": checks alias certificates (a PEM
 * file, or every certificate a {@code generate} manifest lists) against what a DevKit running the
 * given firmware computes, writes {@code dps-verify.txt} and {@code dps-verify.json}, and fails
 * the build naming the cause of each mismatch (riot_fw changed, riot_core or UDS changed,
 * registration ID differs, nonce policy differs, another tool or profile, signature invalid).
 *
 * <p>Without a UDS the certificate's layout, registration ID, FWID, signature and nonce are
 * checked; with the device's UDS ({@code udsServerId} or {@code udsEnv}) the certificate is also
 * recomputed and compared byte for byte. Works without a POM:
 * {@code mvn io.github.dpsplugin:dps-maven-plugin:verify -Ddps.certificate=… -Ddps.firmwareElf=…}.
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true, requiresProject = false)
public class VerifyMojo extends AbstractDpsMojo {

    /** Certificates up to this many get one INFO line each; more get a summary only. */
    static final int MAX_CERTIFICATES_LISTED = 20;

    /** An alias certificate to verify: the {@code <registrationId>.pem} uploaded to DPS (PEM or DER). */
    @Parameter(property = "dps.certificate")
    private File certificate;

    /** More alias certificates to verify (in a POM). */
    @Parameter
    private List<File> certificates;

    /**
     * A {@code dps-manifest.json} written by {@code generate}: every alias certificate it lists
     * (beside it, or in its {@code dps-certificates.zip}) is verified against its registration ID.
     * When neither certificate nor manifest is given, {@code ${project.build.directory}/dps/dps-manifest.json}
     * is used if it exists (the output of {@code generate} with its default outputDirectory).
     */
    @Parameter(property = "dps.manifest")
    private File manifest;

    /** The registration ID the certificate must carry (with certificate files; a manifest names each device's). */
    @Parameter(property = "dps.registrationId")
    private String registrationId;

    /**
     * Where {@code dps-verify.txt} and {@code dps-verify.json} are written; default
     * {@code ${project.build.directory}/dps-verify}, and {@code target/dps-verify} in the current
     * directory when run without a POM.
     */
    @Parameter(property = "dps.reportDirectory")
    private File reportDirectory;


    @Inject
    public VerifyMojo(SettingsDecrypter settingsDecrypter) {
        super(settingsDecrypter);
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        Log log = getLog();
        if (skip) {
            log.info("DPS verify: skipped (dps.skip)");
            return;
        }
        VerifyReport report;
        List<Path> written;
        try {
            report = Verifier.run(request());
            written = report.write(reportDirectory());
        } catch (DpsException e) {
            fail(e);
            return; // not reached: fail always throws
        } catch (RuntimeException e) {
            throw unexpected(e);
        }
        boolean listEach = report.certificates().size() <= MAX_CERTIFICATES_LISTED;
        long devkitSigned = 0;
        for (CertificateReport c : report.certificates()) {
            String line = c.label() + (c.registrationId() == null ? "" : " (" + c.registrationId() + ")") + ": "
                    + (c.ok() ? "matches" : "DOES NOT MATCH " + c.causes());
            if (listEach || !c.ok()) {
                log.info(line);
            }
            if (c.warnings().contains(Cause.DEVICE_ID_KEY_RECOVERABLE)) {
                devkitSigned++;
            }
        }
        if (devkitSigned > 0) {
            String warning = devkitSigned + " of " + report.certificates().size() + " certificate"
                    + (report.certificates().size() == 1 ? " is" : "s are") + " signed with the DevKit's fixed ECDSA"
                    + " nonce: DeviceID private key recoverable by anyone holding the certificate. DevKit firmware signs"
                    + " this way; treat the certificates as sensitive (dps.acknowledgeDevkitNonce=true silences this).";
            if (acknowledgeDevkitNonce) {
                log.debug(warning);
            } else {
                log.warn(warning);
            }
        }
        log.info(String.format(Locale.ROOT, "DPS verify: %d certificate%s, %s; report: %s",
                report.certificates().size(), report.certificates().size() == 1 ? "" : "s",
                report.ok() ? "all match" : report.failed().size() + (report.failed().size() == 1 ? " does" : " do")
                        + " not match", relative(written.get(0))));
        if (!report.ok()) {
            throw new MojoFailureException(report.failureSummary() + "\nReport: " + relative(written.get(0)));
        }
    }

    /** Maps the parameters onto a core request; no computation here. */
    VerifyRequest request() {
        if (uds != null && !uds.isEmpty()) {
            throw new DpsException("uds", "the parameter uds / property dps.uds is refused: a UDS written in a POM or"
                    + " on the command line ends up in version control, shell history and build logs. Use udsServerId"
                    + " (a settings.xml server whose password is the UDS) or udsEnv (an environment variable)");
        }
        VerifyRequest.Builder b = VerifyRequest.builder();
        if (FirmwareParameters.useElf(firmwareElf, firmwareBin, firmwareMap, project, getLog())) {
            b.firmwareElf(firmwareElf.toPath());
        } else {
            b.firmware(firmwareBin == null ? null : firmwareBin.toPath(), firmwareMap == null ? null : firmwareMap.toPath());
        }
        if (certificate != null) {
            b.certificate(certificate.toPath());
        }
        if (certificates != null) {
            certificates.forEach(f -> b.certificate(f.toPath()));
        }
        File m = manifest != null ? manifest : defaultManifest();
        if (m != null) {
            getLog().debug("verifying the certificates listed in " + m);
            b.manifest(m.toPath());
        }
        if (notBlank(registrationId)) {
            b.expectedRegistrationId(RegistrationId.of(registrationId.strip()));
        }
        b.noncePolicy(noncePolicy());
        b.uds(udsSource());
        return b.build();
    }

    private Path reportDirectory() {
        if (reportDirectory != null) {
            return reportDirectory.toPath();
        }
        return buildDirectory().resolve("dps-verify");
    }

    /**
     * {@code ${project.build.directory}}; without a POM Maven's stub project leaves it uninterpolated,
     * so then {@code target} in the base directory.
     */
    private Path buildDirectory() {
        String dir = project == null || project.getBuild() == null ? null : project.getBuild().getDirectory();
        if (dir != null && !dir.contains("${")) {
            return Path.of(dir);
        }
        return baseDirectory().resolve("target");
    }

    /** The project's base directory; without a POM, the directory Maven was started in. */
    private Path baseDirectory() {
        if (project != null && project.getBasedir() != null) {
            return project.getBasedir().toPath().toAbsolutePath();
        }
        if (session != null && session.getExecutionRootDirectory() != null) {
            return Path.of(session.getExecutionRootDirectory()).toAbsolutePath();
        }
        return Path.of("").toAbsolutePath();
    }

    /** generate's manifest, when nothing else is to be verified and it exists. */
    private File defaultManifest() {
        boolean noCertificates = certificate == null && (certificates == null || certificates.isEmpty());
        if (!noCertificates) {
            return null;
        }
        File f = buildDirectory().resolve("dps").resolve("dps-manifest.json").toFile();
        return f.isFile() ? f : null;
    }

    private UdsSource udsSource() {
        boolean hasServer = notBlank(udsServerId);
        boolean hasEnv = notBlank(udsEnv);
        if (hasServer && hasEnv) {
            throw new DpsException("udsServerId", "give either udsServerId or udsEnv, not both");
        }
        if (!hasServer && !hasEnv) {
            return null;
        }
        MavenUdsSources sources = new MavenUdsSources(session == null ? null : session.getSettings(),
                settingsDecrypter, MavenUdsSources.environmentOf(session == null ? null : session.getSystemProperties()));
        return hasServer ? sources.settingsServer(udsServerId.strip()) : sources.environmentVariable(udsEnv.strip());
    }

    private NoncePolicy noncePolicy() {
        String n = nonce == null ? "devkit" : nonce.strip().toLowerCase(Locale.ROOT);
        switch (n) {
            case "devkit":
                return NoncePolicy.DEVKIT;
            case "rfc6979":
                return NoncePolicy.RFC6979;
            case "any":
                return null;
            default:
                throw new DpsException("nonce", "'" + nonce + "' is not a nonce policy; expected devkit (what DevKit"
                        + " firmware signs with), rfc6979, or any");
        }
    }

    private String relative(Path p) {
        Path base = baseDirectory();
        try {
            return p.isAbsolute() && p.startsWith(base) ? base.relativize(p).toString() : p.toString();
        } catch (IllegalArgumentException e) {
            return p.toString();
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }
}
