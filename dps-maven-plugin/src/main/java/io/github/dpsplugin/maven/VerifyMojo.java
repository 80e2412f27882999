package io.github.dpsplugin.maven;

import io.github.dpsplugin.core.dice.UdsSource;
import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.fleet.DeviceSpec;
import io.github.dpsplugin.core.fleet.ListedDevices;
import io.github.dpsplugin.core.fleet.UdsFiles;
import io.github.dpsplugin.core.verify.Cause;
import io.github.dpsplugin.core.verify.CertificateReport;
import io.github.dpsplugin.core.verify.Check;
import io.github.dpsplugin.core.verify.Verifier;
import io.github.dpsplugin.core.verify.VerifyReport;
import io.github.dpsplugin.core.verify.VerifyRequest;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongSupplier;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Answers "will this device authenticate, and if not, why?": checks alias certificates (a PEM
 * file, or every certificate a {@code generate} manifest lists) against what a DevKit running the
 * given firmware computes, writes {@code dps-verify.txt} and {@code dps-verify.json}, and fails
 * the build naming the cause of each mismatch (riot_fw changed, riot_core or UDS changed,
 * registration ID differs, nonce policy differs, another tool or profile, signature invalid).
 *
 * <p>Without a UDS the certificate's layout, registration ID, FWID, signature and nonce are
 * checked (status {@code consistent}); with the device's UDS ({@code udsServerId} or {@code udsEnv}
 * for one certificate, the fleet's {@code udsFile}s for a manifest) the certificate is also
 * recomputed and compared byte for byte (status {@code recomputed}). With a previous firmware, a
 * certificate of that firmware has the status {@code previous-firmware}, counted and not a failure
 * unless {@code currentOnly}. Given the devices as {@code generate} is ({@code devices},
 * {@code devicesFile}, {@code shard}), every device selected must have a certificate among those
 * verified: one without is {@code missing} and fails the build. The log, {@code dps-verify.txt} and
 * {@code dps-verify.json} use the same words. Works without a POM:
 * {@code mvn io.github.dpsplugin:dps-maven-plugin:verify -Ddps.certificate=… -Ddps.firmwareElf=…}.
 */
@Mojo(name = "verify", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true, requiresProject = false)
public class VerifyMojo extends AbstractFirmwareMojo {

    /** Certificates up to this many get one INFO line each; more get a summary only. */
    static final int MAX_CERTIFICATES_LISTED = 20;
    /** A long run says how far it is at most this often (as generate does). */
    static final long PROGRESS_INTERVAL_NANOS = 5_000_000_000L;

    /**
     * The alias certificates to verify: each a {@code <registrationId>.pem} uploaded to DPS (PEM or
     * DER); one, or several comma-separated ({@code -Ddps.certificate=a.pem,b.pem}; in the POM also
     * {@code <certificates><certificate>…</certificate></certificates>}).
     */
    @Parameter(property = "dps.certificate", alias = "certificates") private List<File> certificate;

    /**
     * A {@code dps-manifest.json} written by {@code generate}: every alias certificate it lists
     * (beside it, or in its {@code dps-certificates.zip}) is verified against its registration ID.
     * When neither certificate nor manifest is given, {@code dps-manifest.json} in
     * {@code outputDirectory} (generate's) is used if it exists.
     */
    @Parameter(property = "dps.manifest") private File manifest;

    /**
     * Where {@code dps-verify.txt} and {@code dps-verify.json} are written; default
     * <code>${project.build.directory}/dps-verify</code>, and {@code target/dps-verify} in the current
     * directory when run without a POM.
     */
    @Parameter(property = "dps.reportDirectory") private File reportDirectory;

    /**
     * With a previous firmware: a certificate of the previous firmware fails the build instead of
     * being counted as {@code previous-firmware} (for after a rollout's finish).
     */
    @Parameter(property = "dps.currentOnly", defaultValue = "false") private boolean currentOnly;

    @Override
    protected void doExecute() throws MojoFailureException {
        Log log = getLog();
        Tally tally = new Tally(log, System::nanoTime, PROGRESS_INTERVAL_NANOS);
        VerifyReport report;
        try (FleetUds fleet = fleetUds()) {
            VerifyRequest request = request(fleet);
            report = Verifier.run(request, reportDirectory(), tally);
        }
        tally.flush();
        long count = report.count();
        Path text = report.files().get(0);
        if (tally.devkitSigned > 0) {
            String warning = tally.devkitSigned + " of " + count + " certificate"
                    + (count == 1 ? " is" : "s are") + " signed with the DevKit's fixed ECDSA"
                    + " nonce: DeviceID private key recoverable by anyone holding the certificate. DevKit firmware signs"
                    + " this way; treat the certificates as sensitive (dps.acknowledgeDevkitNonce=true silences this).";
            if (acknowledgeDevkitNonce) {
                log.debug(warning);
            } else {
                log.warn(warning);
            }
        }
        // the report's own words ("2 certificates: 1 recomputed, 1 consistent"), and what "consistent" left out
        StringBuilder verdict = new StringBuilder(report.summary());
        if (!tally.notChecked.isEmpty()) {
            String sep = "; not checked: ";
            for (Map.Entry<String, long[]> e : tally.notChecked.entrySet()) {
                verdict.append(sep).append(e.getKey()).append(" (").append(e.getValue()[0]).append(" of ").append(count)
                        .append(": ").append(tally.whyNotChecked.get(e.getKey())).append(')');
                sep = "; ";
            }
        }
        if (tally.unlisted > 0) {
            verdict.append("; ").append(tally.unlisted).append(" of ").append(count).append(" certificate")
                    .append(count == 1 ? "" : "s").append(tally.unlisted == 1 ? " is of a device" : " are of devices")
                    .append(" not listed (not a failure)");
        }
        log.info("DPS verify: " + verdict + "; report: " + relative(text));
        if (!report.ok()) {
            throw new MojoFailureException(report.failureSummary() + "\nReport: " + relative(text));
        }
    }

    /**
     * Logs the certificates as they are verified, with bounded memory: up to
     * {@value #MAX_CERTIFICATES_LISTED} certificates one line each (held until the run shows it is
     * no longer), beyond that only the ones that do not match, and a progress line at most every
     * {@code intervalNanos}; and counts what the summary needs.
     */
    static final class Tally implements Consumer<CertificateReport> {
        private final Log log;
        private final LongSupplier clock;
        private final long intervalNanos;
        private final long start;
        private long nextProgress;
        private long count;
        private final List<String[]> held = new ArrayList<>(); // {line, "ok"/"failed"}
        private boolean listing = true;
        long devkitSigned;
        long unlisted;
        final Map<String, long[]> notChecked = new TreeMap<>();
        final Map<String, String> whyNotChecked = new TreeMap<>();

        Tally(Log log, LongSupplier clock, long intervalNanos) {
            this.log = log;
            this.clock = clock;
            this.intervalNanos = intervalNanos;
            this.start = clock.getAsLong();
            this.nextProgress = start + intervalNanos;
        }

        @Override
        public void accept(CertificateReport c) {
            count++;
            List<Check> skipped = c.ok() ? skipped(c) : List.of();
            for (Check k : skipped) {
                notChecked.computeIfAbsent(k.name(), n -> new long[1])[0]++;
                whyNotChecked.putIfAbsent(k.name(), k.detail());
            }
            if (c.warnings().contains(Cause.DEVICE_ID_KEY_RECOVERABLE)) {
                devkitSigned++;
            }
            if (c.warnings().contains(Cause.NOT_LISTED)) {
                unlisted++;
            }
            String line = c.label() + (c.registrationId() == null ? "" : " (" + c.registrationId() + ")") + ": "
                    + c.status().word() + (!c.ok() ? " " + c.causes() : skipped.isEmpty() ? ""
                            : "; not checked: " + describe(skipped));
            if (!listing) {
                if (!c.ok()) {
                    log.info(line);
                }
                progress();
                return;
            }
            held.add(new String[] {line, c.ok() ? "ok" : "failed"});
            if (held.size() > MAX_CERTIFICATES_LISTED) {
                listing = false;
                for (String[] h : held) {
                    if (h[1].equals("failed")) {
                        log.info(h[0]);
                    }
                }
                held.clear();
            }
        }

        /** A long run's progress: the manifest is streamed, so how many there are in all is not known. */
        private void progress() {
            long now = clock.getAsLong();
            if (now - nextProgress < 0) {
                return;
            }
            nextProgress = now + intervalNanos;
            log.info(String.format(Locale.ROOT, "DPS verify: %d certificates checked, %.0f certificates/s", count,
                    count / Math.max((now - start) / 1e9, 1e-9)));
        }

        /** At the end: a short run lists every certificate. */
        void flush() {
            for (String[] h : held) {
                log.info(h[0]);
            }
            held.clear();
        }
    }

    /** The checks of a certificate that were not made (e.g. the recomputation, without a UDS). */
    private static List<Check> skipped(CertificateReport c) {
        List<Check> out = new ArrayList<>();
        for (Check k : c.checks()) {
            if (k.outcome() == Check.Outcome.SKIP) {
                out.add(k);
            }
        }
        return out;
    }

    private static String describe(List<Check> skipped) {
        StringBuilder sb = new StringBuilder();
        for (Check k : skipped) {
            sb.append(sb.length() == 0 ? "" : "; ").append(k.name()).append(" (").append(k.detail()).append(')');
        }
        return sb.toString();
    }

    /** The UDS files' lookup, what the report says of it, and the files to close (their secrets are cleared). */
    private record FleetUds(Function<String, UdsSource> lookup, String description, UdsFiles files)
            implements AutoCloseable {
        @Override
        public void close() {
            files.close();
        }
    }

    /**
     * The fleet's UDS files as one lookup by registration ID, or null without udsFile; a device with
     * a line in two files is refused, naming both.
     */
    private FleetUds fleetUds() {
        List<Path> paths = udsFilePaths();
        if (paths.isEmpty()) {
            return null;
        }
        UdsFiles files = readUdsFiles(paths);
        StringBuilder names = new StringBuilder("udsFile ");
        for (int i = 0; i < paths.size(); i++) {
            names.append(i == 0 ? "" : ", ").append(paths.get(i).getFileName());
        }
        return new FleetUds(files::lookup, names.toString(), files);
    }

    /** Maps the parameters onto a core request; no computation here. */
    VerifyRequest request() {
        return request(null);
    }

    private VerifyRequest request(FleetUds fleet) {
        refuseUdsValues();
        VerifyRequest.Builder b = VerifyRequest.builder();
        b.firmware(firmware());
        if (certificate != null) {
            certificate.forEach(f -> b.certificate(f.toPath()));
        }
        File m = manifest != null ? manifest : defaultManifest();
        if (m != null) {
            getLog().debug("verifying the certificates listed in " + m);
            b.manifest(m.toPath());
        }
        Map<String, UdsSource> own = coverage(b, m);
        b.noncePolicy(noncePolicy(true));
        b.uds(udsReference(null).source(udsSources()));
        udsLookup(b, fleet, own);
        b.currentOnly(currentOnly);
        b.threads(threads());
        b.previousFirmware(previousFirmware());
        return b.build();
    }

    /**
     * The listed devices, selected as {@code generate} selects them, which the certificates must
     * cover; without any, only the certificates are checked. A single device given with its
     * certificate files (no manifest) is, as ever, the registration ID those certificates must carry.
     * Returns the UDS sources that POM devices name for themselves, by registration ID.
     */
    private Map<String, UdsSource> coverage(VerifyRequest.Builder b, File manifestUsed) {
        boolean fleet = (devices != null && !devices.isEmpty()) || devicesFile != null;
        Map<String, UdsSource> own = new HashMap<>();
        if (!fleet && !singleDevice()) {
            if (notBlank(shard)) {
                throw new DpsException("shard", "is given without devices; it takes a part of the listed devices:"
                        + " give devices or devicesFile");
            }
            return own;
        }
        ListedDevices.Builder listed = ListedDevices.builder();
        MavenUdsSources sources = udsSources();
        forEachListedDevice((label, id, mac, version, uds) -> {
            listed.device(label, id, mac, version);
            // the single device's udsServerId/udsEnv is the one certificate's UDS (uds), not a fleet's
            if (uds.given() && !SINGLE_DEVICE.equals(label)) {
                UdsSource source = uds.source(sources);
                own.put(DeviceSpec.parse(label, id, mac, version, source).registrationId().value(), source);
            }
        });
        if (devicesFile != null) {
            listed.devicesFile(devicesFile.toPath(), blankToNull(firmwareVersion));
        }
        ListedDevices selected = listed.shard(shard()).build();
        if (!fleet && manifestUsed == null) {
            selected.forEach(d -> b.expectedRegistrationId(d.registrationId()));
        } else {
            b.devices(selected);
        }
        return own;
    }

    /**
     * The fleet's UDS, as {@code generate} takes it: a POM device's own udsServerId/udsEnv, else the
     * UDS files' line for it.
     */
    private static void udsLookup(VerifyRequest.Builder b, FleetUds fleet, Map<String, UdsSource> own) {
        if (own.isEmpty()) {
            if (fleet != null) {
                b.udsLookup(fleet.lookup(), fleet.description());
            }
            return;
        }
        Function<String, UdsSource> files = fleet == null ? id -> null : fleet.lookup();
        String owners = own.size() + " listed device" + (own.size() == 1 ? "'s" : "s'") + " own udsServerId/udsEnv";
        b.udsLookup(id -> own.containsKey(id) ? own.get(id) : files.apply(id),
                fleet == null ? owners : fleet.description() + ", " + owners);
    }

    private Path reportDirectory() {
        if (reportDirectory != null) {
            return reportDirectory.toPath();
        }
        return buildDirectory().resolve("dps-verify");
    }

    /**
     * generate's manifest in its outputDirectory, when nothing else is to be verified and it exists;
     * without a POM the default outputDirectory means {@code target/dps} in the base directory.
     */
    private File defaultManifest() {
        boolean noCertificates = certificate == null || certificate.isEmpty();
        if (!noCertificates) {
            return null;
        }
        Path dir = outputDirectory == null || outputDirectory.getPath().contains("${")
                ? buildDirectory().resolve("dps") : outputDirectory.toPath();
        File f = dir.resolve("dps-manifest.json").toFile();
        return f.isFile() ? f : null;
    }

    @Override
    protected String logPrefix() {
        return "DPS verify";
    }
}
