package io.github.dpsplugin.core.fleet;

import io.github.dpsplugin.core.DeviceCertificateGenerator;
import io.github.dpsplugin.core.DeviceCertificates;
import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.common.OrderedWorkers;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.firmware.FirmwareImage;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.output.CertificateArchive;
import io.github.dpsplugin.core.output.FileNames;
import io.github.dpsplugin.core.output.RolloutWriter;
import io.github.dpsplugin.core.output.StagedOutput;
import io.github.dpsplugin.core.riot.BaseMultiplier;
import io.github.dpsplugin.core.rollout.PreviousFirmware;
import io.github.dpsplugin.core.rollout.RolloutSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Runs a {@link BatchRequest}: reads and measures the firmware once, validates every device,
 * computes the certificates on {@code threads} threads and writes them in the devices' order,
 * then publishes {@code <id>.pem}, {@code <id>-deviceid.pem}, the manifest (and the archive) all
 * at once. Streaming: memory does not grow with the fleet. Any error (reported for every failing
 * device, not just the first) leaves the output directory as it was. Output bytes do not depend
 * on the thread count or the shard split.
 */
public final class BatchGenerator {

    /** Most device errors listed in one message. */
    static final int MAX_LISTED_ERRORS = 20;
    /** From this many devices on, the fixed-base table pays for its start-up time. */
    static final long TABLE_THRESHOLD = 1000;
    /** Devices in flight per thread: bounds memory while keeping the threads busy. */
    static final int WINDOW_PER_THREAD = 128;
    /**
     * Devices per task: the ordered writer waits for (and a worker is woken for) a chunk, not a
     * device; one wake-up costs about as much CPU as the rest of the writer's work on a device.
     */
    static final int CHUNK = 32;

    private final BatchRequest request;
    private final BatchListener listener;
    /** The previous firmware's generator when the run prepares a rollout; set by {@link #run()}. */
    private DeviceCertificateGenerator previousGenerator;
    private final UdsFingerprints fingerprints = new UdsFingerprints();

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
                throw devices.exception();
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
                    throw devices.exception();
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
        image.warnings().forEach(listener::warning);
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
            before.warnings().forEach(listener::warning);
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
        Written written = new Written(devices);
        try (StagedOutput out = StagedOutput.open(request.outputDirectory(), request.storage(), listener::warning)) {
            RunOutputs outputs = new RunOutputs(out, request);
            boolean failed = true;
            try (OrderedWorkers<DeviceSpec, ComputedDevice[]> workers = new OrderedWorkers<>(request.threads(),
                    request.threads() * WINDOW_PER_THREAD / CHUNK, "dps-generate", chunk -> compute(generator, chunk))) {
                outputs.open(generator.measurement(),
                        previousGenerator == null ? null : previousGenerator.measurement(),
                        previousGenerator == null ? null : rolloutFrom() + " -> " + rolloutTo());
                boolean reading = true;
                while (true) {
                    // enough errors to report (a fleet of repeated IDs must not collect one error per line), or
                    // bad input: nothing will be published, the rest is only read for its errors
                    reading &= errors.size() <= MAX_LISTED_ERRORS && !devices.failed();
                    while (reading && !workers.full()) {
                        List<DeviceSpec> chunk = nextChunk(devices);
                        reading = !chunk.isEmpty();
                        if (reading) {
                            workers.submit(chunk);
                        }
                    }
                    OrderedWorkers.Pending<DeviceSpec, ComputedDevice[]> p = workers.take();
                    if (p == null) {
                        break;
                    }
                    ComputedDevice[] chunkDone = p.get();
                    for (int c = 0; c < chunkDone.length; c++) {
                        DeviceOutput o = writeOrCollect(outputs, p.items().get(c), chunkDone[c], errors);
                        if (o != null) {
                            written.add(o);
                        }
                    }
                }
                devices.drain(); // the devices not read yet: every bad line is reported
                failed = !errors.isEmpty() || devices.failed();
                listener.debug(String.format(Locale.ROOT, "read and validated %d devices in %d ms, while generating",
                        devices.count(), devices.readNanos() / 1_000_000));
            } finally {
                // the workers have stopped (closed first, as a resource of this try)
                outputs.close(failed);
            }
            if (devices.failed()) {
                throw devices.exception();
            }
            if (!errors.isEmpty()) {
                throw combine(errors);
            }
            out.publish();
            RolloutSummary summary = previousGenerator == null ? null : outputs.rolloutSummary(rolloutFrom(),
                    rolloutTo(), previousGenerator.measurement().fwidHex(), generator.measurement().fwidHex());
            return new BatchResult(written.kept, written.count, outputs.manifestPath(), outputs.archivePath(),
                    System.nanoTime() - written.start, summary);
        }
    }

    /**
     * Writes one computed device, or adds its error to {@code errors} and returns null. Once there is
     * an error nothing more is written, but every device is still checked, repeated IDs included.
     */
    private DeviceOutput writeOrCollect(RunOutputs outputs, DeviceSpec device, ComputedDevice r,
            List<DpsException> errors) {
        DpsException error = r.error != null ? r.error : fingerprints.check(r.udsFingerprint, device);
        if (error == null && !errors.isEmpty()) {
            outputs.reserve(device, r, errors);
            return null;
        }
        if (error == null) {
            try {
                return outputs.write(device, r);
            } catch (DpsException e) {
                error = e;
            }
        }
        if (error.kind() == DpsException.Kind.ENVIRONMENT) {
            throw error; // not the input's fault: stop now
        }
        errors.add(error);
        return null;
    }

    /** The devices written so far: their count, the first {@link BatchResult#MAX_KEPT}, and the progress lines. */
    private final class Written {
        final List<DeviceOutput> kept = new ArrayList<>();
        final long start = System.nanoTime();
        final CheckedDevices devices;
        long count;
        long nextProgress;

        Written(CheckedDevices devices) {
            this.devices = devices;
            this.nextProgress = start + request.progressIntervalMillis() * 1_000_000L;
        }

        void add(DeviceOutput o) {
            count++;
            if (kept.size() < BatchResult.MAX_KEPT) {
                kept.add(o);
            }
            listener.deviceDone(o);
            long now = System.nanoTime();
            if (now >= nextProgress && count < devices.total()) {
                listener.progress(count, devices.total(), now - start);
                nextProgress = now + request.progressIntervalMillis() * 1_000_000L;
            }
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

    /** The UDS's fingerprint, unless several devices may share one. */
    private Object fingerprint(Uds uds) {
        return request.sharedUdsAllowed() ? null : fingerprints.of(uds);
    }

    /** Computes a chunk of devices, in order, on one worker thread, with one zlib stream for their archive entries. */
    private ComputedDevice[] compute(DeviceCertificateGenerator generator, List<DeviceSpec> chunk) {
        ComputedDevice[] done = new ComputedDevice[chunk.size()];
        Object[] udsFingerprints = new Object[chunk.size()];
        DeviceCertificates[][] computed = chunk.size() > 1 ? computeAll(generator, chunk, udsFingerprints) : null;
        try (CertificateArchive.Compressor compressor = request.archive() ? new CertificateArchive.Compressor() : null) {
            for (int i = 0; i < done.length; i++) {
                done[i] = compute(generator, chunk.get(i), computed == null ? null : computed[i], compressor);
                if (computed != null && done[i].error == null) {
                    done[i].udsFingerprint = udsFingerprints[i];
                }
            }
        }
        return done;
    }

    /**
     * The chunk's certificates ({@code [i]}: the device's, then in a rollout its previous
     * firmware's), their public keys computed together; or null when a device's UDS cannot be
     * opened or anything else fails, and each device is then computed on its own, which
     * attributes the error to it.
     */
    private DeviceCertificates[][] computeAll(DeviceCertificateGenerator generator, List<DeviceSpec> chunk,
            Object[] udsFingerprints) {
        Uds[] uds = new Uds[chunk.size()];
        RegistrationId[] ids = new RegistrationId[chunk.size()];
        try {
            for (int i = 0; i < uds.length; i++) {
                ids[i] = chunk.get(i).registrationId();
                uds[i] = chunk.get(i).udsSource().open();
                udsFingerprints[i] = fingerprint(uds[i]);
            }
            if (previousGenerator != null) {
                RegistrationId[] previousIds = new RegistrationId[ids.length];
                for (int i = 0; i < ids.length; i++) {
                    previousIds[i] = request.previousFirmware().previousId(ids[i]);
                }
                return generator.generateAllWithPrevious(ids, uds, previousGenerator, previousIds);
            }
            DeviceCertificates[] certs = generator.generateAll(ids, uds);
            DeviceCertificates[][] each = new DeviceCertificates[certs.length][];
            for (int i = 0; i < certs.length; i++) {
                each[i] = new DeviceCertificates[] {certs[i]};
            }
            return each;
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
    private ComputedDevice compute(DeviceCertificateGenerator generator, DeviceSpec device,
            DeviceCertificates[] computed, CertificateArchive.Compressor compressor) {
        try {
            DeviceCertificates certs = computed == null ? null : computed[0];
            DeviceCertificates previous = computed == null || computed.length == 1 ? null : computed[1];
            Object udsFingerprint = null;
            if (certs == null) {
                try (Uds uds = device.udsSource().open()) {
                    udsFingerprint = fingerprint(uds);
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
            ComputedDevice done = new ComputedDevice(certs, alias, deviceId, null, previous, change, previousAlias, compressed);
            done.udsFingerprint = udsFingerprint;
            return done;
        } catch (DpsException e) {
            return new ComputedDevice(e.device() == null ? e.forDevice(device.label()) : e);
        } catch (RuntimeException e) {
            // not the input's fault (an I/O error reading a secret, a bug): reported as such, never thrown past the run
            return new ComputedDevice(DpsException.environment("devices", "unexpected "
                    + e.getClass().getName() + " while computing the certificates"
                    + (e.getMessage() != null ? ": " + e.getMessage() : ""), e).forDevice(device.label()));
        }
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

    /** The report of the errors of a run; more than {@link #MAX_LISTED_ERRORS} means it stopped early. */
    static DpsException combine(List<DpsException> errors) {
        DeviceErrors report = new DeviceErrors();
        boolean complete = errors.size() <= MAX_LISTED_ERRORS;
        (complete ? errors : errors.subList(0, MAX_LISTED_ERRORS + 1)).forEach(report::add);
        return report.exception(complete);
    }

    /** The firmware files this run reads: the ELF when given, else the .bin and .map. */
    private FirmwareFiles firmwareFiles() {
        return request.firmware();
    }

    /** The run's devices in order (listed ones, then the devices file), filtered to the shard. */
    private final class Devices extends DeviceSelection {
        Devices() {
            super(request.devices(), request.devicesFile(), request.defaultFirmwareVersion(), request.udsLookup(),
                    request.previousFirmware() == null ? null : request.previousFirmware()::previousId,
                    request.shard());
        }
    }

}
