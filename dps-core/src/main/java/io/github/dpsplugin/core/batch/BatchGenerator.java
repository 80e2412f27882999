package io.github.dpsplugin.core.batch;

import io.github.dpsplugin.core.DeviceCertificateGenerator;
import io.github.dpsplugin.core.DeviceCertificates;
import io.github.dpsplugin.core.DpsException;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.firmware.FirmwareImage;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.output.CertificateArchive;
import io.github.dpsplugin.core.output.EnrollmentWriter;
import io.github.dpsplugin.core.output.ManifestWriter;
import io.github.dpsplugin.core.output.RolloutWriter;
import io.github.dpsplugin.core.output.StagedOutput;
import io.github.dpsplugin.core.riot.BaseMultiplier;
import io.github.dpsplugin.core.rollout.PreviousFirmware;
import io.github.dpsplugin.core.rollout.RolloutSummary;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a {@link BatchRequest}: reads and measures the firmware once, validates every device,
 * computes the certificates on {@code threads} threads and writes them in the devices' order,
 * then publishes {@code <id>.pem}, {@code <id>-deviceid.pem}, the manifest (and the archive) all
 * at once. Streaming: memory does not grow with the fleet. Any error (reported for every failing
 * device, not just the first) leaves the output directory as it was. Output bytes do not depend
 * on the thread count or the shard split.
 */
public final class BatchGenerator {

    /** Suffix of the DeviceID certificate file: {@code <registrationId>-deviceid.pem}. */
    public static final String DEVICE_ID_SUFFIX = "-deviceid.pem";
    /** Most device errors listed in one message. */
    static final int MAX_LISTED_ERRORS = 20;
    /** From this many devices on, the fixed-base table pays for its start-up time. */
    static final long TABLE_THRESHOLD = 1000;
    /** Devices in flight per thread: bounds memory while keeping the threads busy. */
    static final int WINDOW_PER_THREAD = 64;

    private final BatchRequest request;
    private final BatchListener listener;
    /** The previous firmware's generator when the run prepares a rollout; set by {@link #run()}. */
    private DeviceCertificateGenerator previousGenerator;

    private BatchGenerator(BatchRequest request, BatchListener listener) {
        this.request = request;
        this.listener = listener;
    }

    public static String aliasFileName(RegistrationId id) {
        return id.value() + ".pem";
    }

    public static String deviceIdFileName(RegistrationId id) {
        return id.value() + DEVICE_ID_SUFFIX;
    }

    public static BatchResult run(BatchRequest request, BatchListener listener) {
        return new BatchGenerator(request, listener).run();
    }

    private BatchResult run() {
        long t0 = System.nanoTime();
        long total = validate();
        listener.debug(String.format(Locale.ROOT, "validated %d devices in %d ms", total,
                (System.nanoTime() - t0) / 1_000_000));
        FirmwareImage image = firmwareFiles().read();
        image.notes().forEach(listener::debug);
        DeviceCertificateGenerator generator = DeviceCertificateGenerator.forFirmware(image, request.noncePolicy());
        if (total >= TABLE_THRESHOLD) {
            generator = generator.withMultiplier(BaseMultiplier.TABLE);
        }
        listener.debug(String.format(Locale.ROOT, "firmware measured: riot_core %d bytes, riot_fw %d bytes, FWID %s",
                image.riotCoreSize(), image.riotFwSize(), generator.measurement().fwidHex()));
        PreviousFirmware previous = request.previousFirmware();
        if (previous != null) {
            FirmwareImage before = previous.read();
            before.notes().forEach(listener::debug);
            previousGenerator = DeviceCertificateGenerator.forFirmware(before, request.noncePolicy());
            if (total >= TABLE_THRESHOLD) {
                previousGenerator = previousGenerator.withMultiplier(BaseMultiplier.TABLE);
            }
            listener.debug(String.format(Locale.ROOT, "previous firmware measured: riot_core %d bytes, riot_fw %d bytes,"
                    + " FWID %s", before.riotCoreSize(), before.riotFwSize(), previousGenerator.measurement().fwidHex()));
        }
        return generate(generator, total);
    }

    /** First pass: every device's fields and UDS source, before any computation; returns the device count. */
    private long validate() {
        List<DpsException> errors = new ArrayList<>();
        long count = 0;
        try (Devices devices = new Devices()) {
            while (true) {
                DeviceSpec d;
                try {
                    if (!devices.hasNext()) {
                        break;
                    }
                    d = devices.next();
                } catch (DpsException e) {
                    if (e.device() == null) {
                        throw e; // the file itself is unusable
                    }
                    errors.add(e);
                    if (errors.size() > MAX_LISTED_ERRORS) {
                        break;
                    }
                    continue;
                }
                count++;
                if (d.registrationId().exceedsDocumentedLimit()) {
                    listener.warning("device " + d.label() + ": registrationId has "
                            + d.registrationId().value().length() + " characters; the device can encode it, but DPS"
                            + " documents " + RegistrationId.DPS_DOCUMENTED_MAX + " as the limit for X.509"
                            + " registration IDs and may refuse it");
                }
            }
        }
        if (!errors.isEmpty()) {
            throw combine(errors);
        }
        if (count == 0) {
            throw new DpsException("devices", request.shard().isAll()
                    ? "no device to generate for; list devices, give a devicesFile, or give a registrationId (or"
                            + " macAddress and firmwareVersion) with a udsServerId or udsEnv"
                    : "shard " + request.shard() + " holds no device; the fleet has fewer devices than shards");
        }
        return count;
    }

    private BatchResult generate(DeviceCertificateGenerator generator, long total) {
        List<DpsException> errors = new ArrayList<>();
        List<DeviceOutput> kept = new ArrayList<>();
        long written = 0;
        long start = System.nanoTime();
        long nextProgress = start + request.progressIntervalMillis() * 1_000_000L;
        int threads = request.threads();
        ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, new Named()) : null;
        ArrayDeque<Pending> window = new ArrayDeque<>();
        int maxWindow = threads * WINDOW_PER_THREAD;

        try (StagedOutput out = StagedOutput.open(request.outputDirectory());
                Devices devices = new Devices()) {
            PreviousFirmware previous = request.previousFirmware();
            ManifestWriter manifest = new ManifestWriter(out.newOutputStream(ManifestWriter.FILE_NAME),
                    firmwareFiles().names(), generator.measurement(),
                    request.noncePolicy().name().toLowerCase(Locale.ROOT),
                    request.shard().isAll() ? null : request.shard().toString(),
                    previous == null ? null : previous.names(),
                    previousGenerator == null ? null : previousGenerator.measurement(),
                    previous == null || previous.version() == null ? null : previous.version().value());
            RolloutWriter rollout = previous == null ? null : new RolloutWriter(out, request.dpsName(),
                    request.resourceGroup(), rolloutFrom() + " -> " + rolloutTo());
            CertificateArchive archive = request.archive()
                    ? new CertificateArchive(out.newOutputStream(CertificateArchive.FILE_NAME)) : null;
            EnrollmentWriter enrollment = request.enrollment()
                    ? new EnrollmentWriter(out, request.dpsName(), request.resourceGroup()) : null;
            try {
                boolean more = true;
                while (more || !window.isEmpty()) {
                    if (errors.size() > MAX_LISTED_ERRORS) {
                        // enough to report; a fleet of repeated IDs must not collect one error per line
                        more = false;
                    }
                    while (more && window.size() < maxWindow) {
                        if (!devices.hasNext()) {
                            more = false;
                            break;
                        }
                        DeviceSpec d = devices.next();
                        window.add(pool == null ? Pending.now(compute(generator, out, d), d)
                                : Pending.later(CompletableFuture.supplyAsync(() -> compute(generator, out, d), pool), d));
                    }
                    Pending p = window.poll();
                    if (p == null) {
                        break;
                    }
                    Done r = p.get();
                    if (r.error != null) {
                        errors.add(r.error);
                        continue;
                    }
                    if (!errors.isEmpty()) {
                        continue; // nothing will be published; keep validating the rest
                    }
                    DeviceOutput o;
                    try {
                        o = write(out, manifest, archive, rollout, p.device, r);
                        if (enrollment != null) {
                            enrollment.add(p.device.registrationId().value(), aliasFileName(p.device.registrationId()),
                                    new String(r.alias, StandardCharsets.US_ASCII));
                        }
                    } catch (DpsException e) {
                        errors.add(e);
                        continue;
                    }
                    written++;
                    if (kept.size() < BatchResult.MAX_KEPT) {
                        kept.add(o);
                    }
                    listener.deviceDone(o);
                    long now = System.nanoTime();
                    if (now >= nextProgress && written < total) {
                        listener.progress(written, total, now - start);
                        nextProgress = now + request.progressIntervalMillis() * 1_000_000L;
                    }
                }
            } finally {
                manifest.close();
                if (archive != null) {
                    archive.close();
                }
                if (enrollment != null) {
                    enrollment.close();
                }
                if (rollout != null) {
                    rollout.close();
                }
            }
            if (!errors.isEmpty()) {
                throw combine(errors);
            }
            out.publish();
            RolloutSummary summary = rollout == null ? null : new RolloutSummary(rolloutFrom(), rolloutTo(),
                    previousGenerator.measurement().fwidHex(), generator.measurement().fwidHex(),
                    rollout.certificateChanges(), rollout.registrationIdChanges(), rollout.unchanged(),
                    rollout.startFiles(), rollout.finishFiles());
            return new BatchResult(kept, written, out.finalPath(ManifestWriter.FILE_NAME),
                    archive == null ? null : out.finalPath(CertificateArchive.FILE_NAME), System.nanoTime() - start,
                    summary);
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
    }

    private DeviceOutput write(StagedOutput out, ManifestWriter manifest, CertificateArchive archive,
            RolloutWriter rollout, DeviceSpec device, Done done) {
        String aliasName = aliasFileName(device.registrationId());
        String deviceIdName = deviceIdFileName(device.registrationId());
        String previousName = done.previousAlias == null ? null
                : RolloutWriter.previousFileName(done.previous.registrationId().value());
        if (rollout != null) {
            // first: it refuses an ID that another device's previous ID shares, before anything else is added
            rollout.add(device.registrationId().value(), aliasName, text(done.alias),
                    done.previous.registrationId().value(), previousName,
                    done.previousAlias == null ? null : text(done.previousAlias), done.change);
        }
        manifest.device(done.certs, aliasName, deviceIdName, done.previous, previousName);
        if (archive != null) {
            if (!archive.add(aliasName, done.alias) || !archive.add(deviceIdName, done.deviceId)) {
                throw collision(device.registrationId());
            }
            if (previousName != null && !archive.add(previousName, done.previousAlias)) {
                throw previousCollision(done.previous.registrationId());
            }
        }
        return new DeviceOutput(done.certs, request.certificateFiles() ? out.finalPath(aliasName) : null,
                request.certificateFiles() ? out.finalPath(deviceIdName) : null);
    }

    /** One device's finished outputs, or its error; made on a worker thread. */
    private static final class Done {
        final DeviceCertificates certs;
        final byte[] alias;
        final byte[] deviceId;
        final DpsException error;
        /** With a rollout: the certificates under the previous firmware, what changes, and the previous PEM if it does. */
        final DeviceCertificates previous;
        final RolloutWriter.Change change;
        final byte[] previousAlias;

        Done(DeviceCertificates certs, byte[] alias, byte[] deviceId, DpsException error) {
            this(certs, alias, deviceId, error, null, null, null);
        }

        Done(DeviceCertificates certs, byte[] alias, byte[] deviceId, DpsException error, DeviceCertificates previous,
                RolloutWriter.Change change, byte[] previousAlias) {
            this.certs = certs;
            this.alias = alias;
            this.deviceId = deviceId;
            this.error = error;
            this.previous = previous;
            this.change = change;
            this.previousAlias = previousAlias;
        }
    }

    /**
     * Computes one device's certificates and, when certificate files are wanted, stages them; runs
     * on a worker thread. The order-dependent work (manifest, archive) is left to the writer.
     */
    private Done compute(DeviceCertificateGenerator generator, StagedOutput out, DeviceSpec device) {
        DeviceCertificates certs;
        DeviceCertificates previous = null;
        try (Uds uds = device.udsSource().open()) {
            if (previousGenerator != null) {
                // the same UDS under the previous firmware, and the ID the device had then
                DeviceCertificates[] both = generator.generateWithPrevious(device.registrationId(), uds,
                        previousGenerator, request.previousFirmware().previousId(device.registrationId()));
                certs = both[0];
                previous = both[1];
            } else {
                certs = generator.generate(device.registrationId(), uds);
            }
        } catch (DpsException e) {
            return new Done(null, null, null, e.device() == null ? e.forDevice(device.label()) : e);
        }
        byte[] alias = ascii(certs.aliasCertificatePem(request.pemLayout()));
        byte[] deviceId = ascii(certs.deviceIdCertificatePem(request.pemLayout()));
        if (request.certificateFiles()) {
            // a staged file that exists already means two devices share an ID or a file name
            String aliasName = aliasFileName(device.registrationId());
            String deviceIdName = deviceIdFileName(device.registrationId());
            if (!out.writeNew(aliasName, alias) || !out.writeNew(deviceIdName, deviceId)) {
                return new Done(null, null, null, collision(device.registrationId()));
            }
        }
        if (previous == null) {
            return new Done(certs, alias, deviceId, null);
        }
        RolloutWriter.Change change = RolloutWriter.change(device.registrationId().value(),
                previous.registrationId().value(), certs.aliasCertificateDer(), previous.aliasCertificateDer());
        byte[] previousAlias = null;
        if (change != RolloutWriter.Change.UNCHANGED) {
            previousAlias = ascii(previous.aliasCertificatePem(request.pemLayout()));
            if (request.certificateFiles() && !out.writeNew(RolloutWriter.previousFileName(
                    previous.registrationId().value()), previousAlias)) {
                return new Done(null, null, null, previousCollision(previous.registrationId()));
            }
        }
        return new Done(certs, alias, deviceId, null, previous, change, previousAlias);
    }

    /** Attributed to the ID, not to a line: which of two lines meets the other first depends on thread timing. */
    private static DpsException collision(RegistrationId id) {
        return new DpsException("registrationId", "'" + id + "' is listed more than once, or another device's ID"
                + " gives the same file name (" + aliasFileName(id) + ", " + deviceIdFileName(id) + "); each device"
                + " needs its own registration ID").forDevice("'" + id + "'");
    }

    private static DpsException previousCollision(RegistrationId previousId) {
        // attributed to the ID, not to a device: which of the two devices meets the other first depends on timing
        return new DpsException("registrationId", "'" + previousId + "' is the registration ID of two devices under"
                + " the previous firmware (" + RolloutWriter.previousFileName(previousId.value()) + "); each device"
                + " needs its own registration ID under both firmwares").forDevice("'" + previousId + "'");
    }

    /** How the rollout's summary names the previous firmware: its version, or its file. */
    private String rolloutFrom() {
        PreviousFirmware previous = request.previousFirmware();
        if (previous.version() != null && request.defaultFirmwareVersion() != null) {
            return previous.version().value();
        }
        return String.join(" + ", previous.names().values());
    }

    private String rolloutTo() {
        PreviousFirmware previous = request.previousFirmware();
        if (previous.version() != null && request.defaultFirmwareVersion() != null) {
            return request.defaultFirmwareVersion();
        }
        return String.join(" + ", firmwareFiles().names().values());
    }

    static DpsException combine(List<DpsException> errors) {
        if (errors.size() == 1) {
            return errors.get(0);
        }
        StringBuilder sb = new StringBuilder();
        boolean more = errors.size() > MAX_LISTED_ERRORS;
        sb.append(more ? "more than " + MAX_LISTED_ERRORS : String.valueOf(errors.size()))
                .append(" devices are in error; nothing was written:");
        for (int i = 0; i < Math.min(errors.size(), MAX_LISTED_ERRORS); i++) {
            sb.append("\n  ").append(errors.get(i).getMessage());
        }
        if (more) {
            sb.append("\n  ...");
        }
        return new DpsException("devices", sb.toString());
    }

    private static String text(byte[] pem) {
        return new String(pem, StandardCharsets.US_ASCII);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The firmware files this run reads: the ELF when given, else the .bin and .map. */
    private FirmwareFiles firmwareFiles() {
        return FirmwareFiles.of(request.firmwareBin(), request.firmwareMap(), request.firmwareElf());
    }

    /** The run's devices in order (listed ones, then the devices file), filtered to the shard. */
    private final class Devices extends DeviceSelection {
        Devices() {
            super(request.devices(), request.devicesFile(), request.defaultFirmwareVersion(), request.udsLookup(),
                    request.previousFirmware() == null ? null : request.previousFirmware()::previousId,
                    request.shard());
        }
    }

    /** A device whose certificates are being computed. */
    private static final class Pending {
        final DeviceSpec device;
        final Done done;
        final CompletableFuture<Done> future;

        private Pending(DeviceSpec device, Done done, CompletableFuture<Done> future) {
            this.device = device;
            this.done = done;
            this.future = future;
        }

        static Pending now(Done result, DeviceSpec device) {
            return new Pending(device, result, null);
        }

        static Pending later(CompletableFuture<Done> future, DeviceSpec device) {
            return new Pending(device, null, future);
        }

        Done get() {
            if (future == null) {
                return done;
            }
            try {
                return future.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DpsException("threads", "interrupted");
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException) {
                    throw (RuntimeException) c;
                }
                throw new IllegalStateException(c);
            }
        }
    }

    /** Daemon worker threads with a recognisable name. */
    private static final class Named implements ThreadFactory {
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "dps-generate-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
