package io.github.dpsplugin.core.fleet;

import io.github.dpsplugin.core.DeviceCertificateGenerator;
import io.github.dpsplugin.core.dice.FirmwareMeasurement;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.firmware.FirmwareImage;
import io.github.dpsplugin.core.id.FirmwareVersion;
import io.github.dpsplugin.core.id.MacAddress;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.riot.BaseMultiplier;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Computes made-up devices through a run's own per-device code on a thread of its own, while the
 * caller reads a large fleet's inputs on another (its UDS file takes a while, on one core). In a
 * fresh JVM that is when the classes of the hot path load, the fixed-base table is built and the
 * JIT compiler starts on the hot path; done then, on a core that would otherwise wait, none of it
 * delays the first real certificate. Nothing it computes is kept or written, no secret is read,
 * and its devices are the same in every run. It stops after {@value #MAX_DEVICES} devices, or as
 * soon as a run that the same thread starts begins to generate (builds of a {@code mvn -T}
 * reactor each have their own).
 */
public final class WarmUp {

    /** Made-up devices at most: enough for the JIT to compile the hot path, about a second of one core. */
    static final int MAX_DEVICES = 2048;
    /** The warm-up this thread started, stopped by the run this thread starts. */
    private static final ThreadLocal<WarmUp> STARTED = new ThreadLocal<>();

    private volatile boolean stop;

    private WarmUp() {
    }

    /**
     * Starts warming up on a daemon thread and returns at once; the archive, DevKit nonce and
     * one-line PEM path, a fleet's defaults. The next {@link BatchGenerator#run} on the calling
     * thread stops it.
     */
    public static void start() {
        stopStartedHere();
        WarmUp w = new WarmUp();
        STARTED.set(w);
        Thread t = new Thread(w::run, "dps-warm-up");
        t.setDaemon(true);
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /** Stops the warm-up this thread started, if any: its run computes real devices and needs the cores. */
    static void stopStartedHere() {
        WarmUp w = STARTED.get();
        if (w != null) {
            w.stop = true;
            STARTED.remove();
        }
    }

    private void run() {
        try {
            BaseMultiplier.prepareTable();
            DeviceCertificateGenerator generator = DeviceCertificateGenerator.forMeasurement(
                    FirmwareMeasurement.of(FirmwareImage.ofRanges(new byte[1024], new byte[4096])), NoncePolicy.DEVKIT);
            BatchRequest request = BatchRequest.builder().firmware(FirmwareFiles.of(Path.of("warm-up.bin"), Path.of("warm-up.map"), null))
                    .archive(true).outputDirectory(Path.of("warm-up")).build();
            SplittableRandom random = new SplittableRandom(1);
            FirmwareVersion version = FirmwareVersion.parse("0.0.0");
            for (int n = 0; n < MAX_DEVICES && !stop; n += BatchGenerator.CHUNK) {
                List<DeviceSpec> chunk = new ArrayList<>(BatchGenerator.CHUNK);
                for (int i = 0; i < BatchGenerator.CHUNK; i++) {
                    byte[] uds = new byte[Uds.LENGTH];
                    random.nextBytes(uds);
                    RegistrationId id = RegistrationId.derive(
                            MacAddress.parse(String.format(Locale.ROOT, "000000%06x", n + i)), version);
                    chunk.add(DeviceSpec.of(id, () -> Uds.fromBytes(uds)));
                }
                BatchGenerator.computeMadeUp(request, generator, chunk);
            }
        } catch (RuntimeException | LinkageError e) {
            // only a warm-up: the run itself reports whatever is wrong
        }
    }
}
