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
import io.github.dpsplugin.core.output.FileNames;
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
    public static final String DEVICE_ID_SUFFIX = FileNames.DEVICE_ID_SUFFIX;
    /** Most device errors listed in one message. */
    static final int MAX_LISTED_ERRORS = 20;
    /** From this many devices on, the fixed-base table pays for its start-up time. */
    static final long TABLE_THRESHOLD = 1000;
    /** Devices in flight per thread: bounds memory while keeping the threads busy. */
    static final int WINDOW_PER_THREAD = 64;
    /**
     * Devices per task: the ordered writer waits for (and a worker is woken for) a chunk, not a
     * device; one wake-up costs about as much CPU as the rest of the writer's work on a device.
     */
    static final int CHUNK = 16;

    private final BatchRequest request;
    private final BatchListener listener;
    /** The previous firmware's generator when the run prepares a rollout; set by {@link #run()}. */
    private DeviceCertificateGenerator previousGenerator;

    private BatchGenerator(BatchRequest request, BatchListener listener) {
        this.request = request;
        this.listener = listener;
    }

    /** The alias certificate's file name (and archive entry): see {@link FileNames}. */
    public static String aliasFileName(RegistrationId id) {
        return FileNames.aliasCertificate(id);
    }

    /** The DeviceID certificate's file name (and archive entry): see {@link FileNames}. */
    public static String deviceIdFileName(RegistrationId id) {
        return FileNames.deviceIdCertificate(id);
    }

    /**
     * Runs the request. Bad input throws {@link DpsException} of kind {@link DpsException.Kind#INPUT};
     * an I/O or environment fault (a full disk, a file that cannot be replaced, an unexpected
     * exception on a worker thread) throws one of kind {@link DpsException.Kind#ENVIRONMENT} with
     * the cause attached. In every case the worker threads have stopped and the output directory
     * is as it was.
     */
    public static BatchResult run(BatchRequest request, BatchListener listener) {
        try {
            return new BatchGenerator(request, listener).run();
        } catch (java.io.UncheckedIOException e) {
            throw DpsException.environment("outputDirectory", "I/O error: " + e.getCause().getMessage(), e);
        } finally {
            WarmUp.stopStartedHere(); // also when the run fails before it generates
        }
    }

    private BatchResult run() {
        // one pass over the devices, while their certificates are computed; the first ones now: they
        // tell whether the fixed-base table pays, and bad input is reported before the firmware is read
        try (CheckedDevices devices = new CheckedDevices(new Devices(), listener)) {
            boolean large = devices.readAhead((int) TABLE_THRESHOLD);
            if (devices.failed()) {
                devices.drain();
                throw combine(devices.errors());
            }
            if (devices.count() == 0) {
                throw new DpsException("devices", request.shard().isAll()
                        ? "no device to generate for; list devices, give a devicesFile, or give a registrationId (or"
                                + " macAddress and firmwareVersion) with a udsServerId or udsEnv"
                        : "shard " + request.shard() + " holds no device; the fleet has fewer devices than shards");
            }
            DeviceCertificateGenerator generator;
            try {
                generator = generator(large);
            } catch (DpsException e) {
                // the devices' errors come first, as they did when the devices were validated before the firmware
                devices.drain();
                if (devices.failed()) {
                    throw combine(devices.errors());
                }
                throw e;
            }
            return generate(generator, devices);
        }
    }

    /** Reads and measures the firmware (and the previous firmware of a rollout). */
    private DeviceCertificateGenerator generator(boolean large) {
        FirmwareImage image = firmwareFiles().read();
        image.notes().forEach(listener::debug);
        DeviceCertificateGenerator generator = DeviceCertificateGenerator.forFirmware(image, request.noncePolicy());
        if (large) {
            generator = generator.withMultiplier(BaseMultiplier.TABLE);
        }
        listener.debug(String.format(Locale.ROOT, "firmware measured: riot_core %d bytes, riot_fw %d bytes, FWID %s",
                image.riotCoreSize(), image.riotFwSize(), generator.measurement().fwidHex()));
        PreviousFirmware previous = request.previousFirmware();
        if (previous != null) {
            FirmwareImage before = previous.read();
            before.notes().forEach(listener::debug);
            previousGenerator = DeviceCertificateGenerator.forFirmware(before, request.noncePolicy());
            if (large) {
                previousGenerator = previousGenerator.withMultiplier(BaseMultiplier.TABLE);
            }
            listener.debug(String.format(Locale.ROOT, "previous firmware measured: riot_core %d bytes, riot_fw %d bytes,"
                    + " FWID %s", before.riotCoreSize(), before.riotFwSize(), previousGenerator.measurement().fwidHex()));
        }
        return generator;
    }

    private BatchResult generate(DeviceCertificateGenerator generator, CheckedDevices devices) {
        WarmUp.stopStartedHere();
        List<DpsException> errors = new ArrayList<>();
        List<DeviceOutput> kept = new ArrayList<>();
        long written = 0;
        long start = System.nanoTime();
        long nextProgress = start + request.progressIntervalMillis() * 1_000_000L;
        int threads = request.threads();
        ArrayDeque<Pending> window = new ArrayDeque<>();
        int maxWindow = Math.max(1, threads * WINDOW_PER_THREAD / CHUNK);

        try (StagedOutput out = StagedOutput.open(request.outputDirectory(), request.storage(), listener::warning)) {
            ExecutorService pool = threads > 1 ? Executors.newFixedThreadPool(threads, new Named()) : null;
            PreviousFirmware previous = request.previousFirmware();
            ManifestWriter manifest = null;
            RolloutWriter rollout = null;
            CertificateArchive archive = null;
            EnrollmentWriter enrollment = null;
            boolean failed = true;
            try {
                manifest = new ManifestWriter(out.newOutputStream(ManifestWriter.FILE_NAME),
                        firmwareFiles().names(), generator.measurement(),
                        request.noncePolicy().name().toLowerCase(Locale.ROOT),
                        request.shard().isAll() ? null : request.shard().toString(),
                        previous == null ? null : previous.names(),
                        previousGenerator == null ? null : previousGenerator.measurement(),
                        previous == null || previous.version() == null ? null : previous.version().value());
                rollout = previous == null ? null : new RolloutWriter(out, request.dpsName(),
                        request.resourceGroup(), rolloutFrom() + " -> " + rolloutTo());
                archive = request.archive()
                        ? new CertificateArchive(out.newOutputStream(CertificateArchive.FILE_NAME)) : null;
                enrollment = request.enrollment()
                        ? new EnrollmentWriter(out, request.dpsName(), request.resourceGroup()) : null;
                boolean more = true;
                while (more || !window.isEmpty()) {
                    if (errors.size() > MAX_LISTED_ERRORS || devices.failed()) {
                        // enough to report (a fleet of repeated IDs must not collect one error per line), or
                        // bad input: nothing will be published, the rest is only read for its errors
                        more = false;
                    }
                    while (more && window.size() < maxWindow) {
                        List<DeviceSpec> chunk = nextChunk(devices);
                        if (chunk.isEmpty()) {
                            more = false;
                            break;
                        }
                        window.add(pool == null ? Pending.now(compute(generator, chunk), chunk)
                                : Pending.later(CompletableFuture.supplyAsync(() -> compute(generator, chunk), pool),
                                        chunk));
                    }
                    Pending p = window.poll();
                    if (p == null) {
                        break;
                    }
                    Done[] chunkDone = p.get();
                    for (int c = 0; c < chunkDone.length; c++) {
                        DeviceSpec device = p.devices.get(c);
                        Done r = chunkDone[c];
                        if (r.error != null) {
                            if (r.error.kind() == DpsException.Kind.ENVIRONMENT) {
                                throw r.error; // not the input's fault: stop now
                            }
                            errors.add(r.error);
                            continue;
                        }
                        if (!errors.isEmpty()) {
                            // nothing will be published; keep validating the rest, repeated IDs included
                            RegistrationId id = device.registrationId();
                            if (request.certificateFiles()
                                    && !(out.reserve(aliasFileName(id)) & out.reserve(deviceIdFileName(id)))) {
                                errors.add(collision(id));
                            }
                            if (request.certificateFiles() && r.previousAlias != null
                                    && !out.reserve(RolloutWriter.previousFileName(r.previous.registrationId()))) {
                                errors.add(previousCollision(r.previous.registrationId()));
                            }
                            continue;
                        }
                        DeviceOutput o;
                        try {
                            o = write(out, manifest, archive, rollout, device, r);
                            if (enrollment != null) {
                                enrollment.add(device.registrationId().value(), aliasFileName(device.registrationId()),
                                        new String(r.alias, StandardCharsets.US_ASCII));
                            }
                        } catch (DpsException e) {
                            if (e.kind() == DpsException.Kind.ENVIRONMENT) {
                                throw e;
                            }
                            errors.add(e);
                            continue;
                        }
                        written++;
                        if (kept.size() < BatchResult.MAX_KEPT) {
                            kept.add(o);
                        }
                        listener.deviceDone(o);
                        long now = System.nanoTime();
                        if (now >= nextProgress && written < devices.total()) {
                            listener.progress(written, devices.total(), now - start);
                            nextProgress = now + request.progressIntervalMillis() * 1_000_000L;
                        }
                    }
                }
                devices.drain(); // the devices not read yet: every bad line is reported
                failed = !errors.isEmpty() || devices.failed();
                listener.debug(String.format(Locale.ROOT, "read and validated %d devices in %d ms, while generating",
                        devices.count(), devices.readNanos() / 1_000_000));
            } finally {
                // no worker may still run when the staging directory is published or deleted
                stop(pool);
                closeAll(failed, manifest, archive, enrollment, rollout);
            }
            if (devices.failed()) {
                throw combine(devices.errors());
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
        }
    }

    /**
     * The next devices for one task. A method of its own: the run's loop is compiled on the stack,
     * and it should not take the whole front end (reading, validating) with it each time.
     */
    private static List<DeviceSpec> nextChunk(CheckedDevices devices) {
        List<DeviceSpec> chunk = new ArrayList<>(CHUNK);
        DeviceSpec next;
        while (chunk.size() < CHUNK && (next = devices.next()) != null) {
            chunk.add(next);
        }
        return chunk;
    }

    /** Computes made-up devices through the run's own code and drops them ({@link WarmUp}). */
    static void computeMadeUp(BatchRequest request, DeviceCertificateGenerator generator, List<DeviceSpec> chunk) {
        new BatchGenerator(request, BatchListener.NONE).compute(generator, chunk);
    }

    /** Stops the worker threads and waits until they have. */
    private static void stop(ExecutorService pool) {
        if (pool == null) {
            return;
        }
        pool.shutdownNow();
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, java.util.concurrent.TimeUnit.MINUTES)) {
                    break;
                }
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Finishes the staged writers; after a failure, quietly (their files are discarded and their
     * own errors would hide the first one).
     */
    private static void closeAll(boolean failed, AutoCloseable... writers) {
        RuntimeException first = null;
        for (AutoCloseable w : writers) {
            if (w == null) {
                continue;
            }
            try {
                w.close();
            } catch (Exception e) {
                if (!failed && first == null) {
                    first = e instanceof RuntimeException ? (RuntimeException) e
                            : DpsException.environment("outputDirectory", e.getMessage(), e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private DeviceOutput write(StagedOutput out, ManifestWriter manifest, CertificateArchive archive,
            RolloutWriter rollout, DeviceSpec device, Done done) {
        String aliasName = aliasFileName(device.registrationId());
        String deviceIdName = deviceIdFileName(device.registrationId());
        String previousName = done.previousAlias == null ? null
                : RolloutWriter.previousFileName(done.previous.registrationId());
        if (rollout != null) {
            // first: it refuses an ID that another device's previous ID shares, before anything else is added
            rollout.add(device.registrationId().value(), aliasName, text(done.alias),
                    done.previous.registrationId().value(), previousName,
                    done.previousAlias == null ? null : text(done.previousAlias), done.change);
        }
        if (request.certificateFiles()) {
            // written by the output's writer threads: file creation is slow and needs no CPU of the generators
            if (!out.writeNewLater(aliasName, done.alias) || !out.writeNewLater(deviceIdName, done.deviceId)) {
                throw collision(device.registrationId());
            }
            if (previousName != null && !out.writeNewLater(previousName, done.previousAlias)) {
                throw previousCollision(done.previous.registrationId());
            }
        }
        manifest.device(done.certs, aliasName, deviceIdName, done.previous, previousName);
        if (archive != null) {
            // compressed by the worker that computed them: the ordered writer only lays out the records
            CertificateArchive.Entry[] z = done.compressed;
            if (!archive.add(aliasName, z[0]) || !archive.add(deviceIdName, z[1])) {
                throw collision(device.registrationId());
            }
            if (previousName != null && !archive.add(previousName, z[2])) {
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
        /** With an archive: alias, DeviceID and previous alias PEM compressed for it (the last null when not written). */
        final CertificateArchive.Entry[] compressed;

        Done(DpsException error) {
            this(null, null, null, error, null, null, null, null);
        }

        Done(DeviceCertificates certs, byte[] alias, byte[] deviceId, DpsException error, DeviceCertificates previous,
                RolloutWriter.Change change, byte[] previousAlias, CertificateArchive.Entry[] compressed) {
            this.compressed = compressed;
            this.certs = certs;
            this.alias = alias;
            this.deviceId = deviceId;
            this.error = error;
            this.previous = previous;
            this.change = change;
            this.previousAlias = previousAlias;
        }
    }

    /** Computes a chunk of devices, in order, on one worker thread, with one zlib stream for their archive entries. */
    private Done[] compute(DeviceCertificateGenerator generator, List<DeviceSpec> chunk) {
        Done[] done = new Done[chunk.size()];
        DeviceCertificates[] computed = previousGenerator == null && chunk.size() > 1 ? computeAll(generator, chunk)
                : null;
        try (CertificateArchive.Compressor compressor = request.archive() ? new CertificateArchive.Compressor() : null) {
            for (int i = 0; i < done.length; i++) {
                done[i] = compute(generator, chunk.get(i), computed == null ? null : computed[i], compressor);
            }
        }
        return done;
    }

    /**
     * The chunk's certificates with one field inversion for all its public keys; or null when a
     * device's UDS cannot be opened or anything else fails, and each device is then computed on
     * its own, which attributes the error to it.
     */
    private static DeviceCertificates[] computeAll(DeviceCertificateGenerator generator, List<DeviceSpec> chunk) {
        Uds[] uds = new Uds[chunk.size()];
        RegistrationId[] ids = new RegistrationId[chunk.size()];
        try {
            for (int i = 0; i < uds.length; i++) {
                ids[i] = chunk.get(i).registrationId();
                uds[i] = chunk.get(i).udsSource().open();
            }
            return generator.generateAll(ids, uds);
        } catch (RuntimeException e) {
            return null;
        } finally {
            for (Uds u : uds) {
                if (u != null) {
                    u.close();
                }
            }
        }
    }

    /**
     * Computes one device's certificates and their PEM bytes; runs on a worker thread. Writing
     * (files, manifest, archive) is left to the writer, in the devices' order.
     */
    private Done compute(DeviceCertificateGenerator generator, DeviceSpec device, DeviceCertificates computed,
            CertificateArchive.Compressor compressor) {
        try {
            DeviceCertificates certs = computed;
            DeviceCertificates previous = null;
            if (certs == null) {
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
                }
            }
            byte[] alias = certs.aliasCertificatePemBytes(request.pemLayout());
            byte[] deviceId = certs.deviceIdCertificatePemBytes(request.pemLayout());
            RolloutWriter.Change change = null;
            byte[] previousAlias = null;
            if (previous != null) {
                change = RolloutWriter.change(device.registrationId().value(), previous.registrationId().value(),
                        certs.aliasCertificateDer(), previous.aliasCertificateDer());
                previousAlias = change == RolloutWriter.Change.UNCHANGED ? null
                        : previous.aliasCertificatePemBytes(request.pemLayout());
            }
            // compressed here, in parallel, rather than by the one ordered writer (CertificateArchive)
            CertificateArchive.Entry[] compressed = compressor == null ? null
                    : compressor.compress(alias, deviceId, previousAlias);
            return new Done(certs, alias, deviceId, null, previous, change, previousAlias, compressed);
        } catch (DpsException e) {
            return new Done(e.device() == null ? e.forDevice(device.label()) : e);
        } catch (RuntimeException e) {
            // not the input's fault (an I/O error reading a secret, a bug): reported as such, never thrown past the run
            return new Done(DpsException.environment("devices", "unexpected "
                    + e.getClass().getName() + " while computing the certificates"
                    + (e.getMessage() != null ? ": " + e.getMessage() : ""), e).forDevice(device.label()));
        }
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
                + " the previous firmware (" + RolloutWriter.previousFileName(previousId) + "); each device"
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

    /** A chunk of devices whose certificates are being computed. */
    private static final class Pending {
        final List<DeviceSpec> devices;
        final Done[] done;
        final CompletableFuture<Done[]> future;

        private Pending(List<DeviceSpec> devices, Done[] done, CompletableFuture<Done[]> future) {
            this.devices = devices;
            this.done = done;
            this.future = future;
        }

        static Pending now(Done[] result, List<DeviceSpec> devices) {
            return new Pending(devices, result, null);
        }

        static Pending later(CompletableFuture<Done[]> future, List<DeviceSpec> devices) {
            return new Pending(devices, null, future);
        }

        Done[] get() {
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
