package io.github.dpsplugin.core.bench;

import io.github.dpsplugin.core.DeviceCertificateGenerator;
import io.github.dpsplugin.core.DeviceCertificates;
import io.github.dpsplugin.core.Vectors;
import io.github.dpsplugin.core.dice.Uds;
import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.fleet.BatchGenerator;
import io.github.dpsplugin.core.fleet.BatchListener;
import io.github.dpsplugin.core.fleet.BatchRequest;
import io.github.dpsplugin.core.fleet.BatchResult;
import io.github.dpsplugin.core.fleet.UdsFile;
import io.github.dpsplugin.core.id.RegistrationId;
import io.github.dpsplugin.core.pem.PemLayout;
import io.github.dpsplugin.core.riot.BaseMultiplier;
import io.github.dpsplugin.core.riot.P256;
import io.github.dpsplugin.core.x509.NoncePolicy;
import java.io.BufferedWriter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Fleet benchmark (not a test): prints devices/s, µs per device and peak heap for fleets of
 * 1, 1 000, 20 000 and 100 000 devices generated from a devices file and a UDS file, with and
 * without the per-device {@code .pem} files (the manifest and the archive always); and, in the
 * same run, OpenSSL's ECDSA P-256 sign rate ({@code openssl speed -seconds 2 -multi <threads>
 * ecdsap256}, before and after the fleets, when openssl is on the PATH) with the ratio
 * devices/s ÷ (sign rate / 2), the table's build time, the multiplication rates of Bouncy
 * Castle's comb and of our table, and CPU time per multiplication and per device.
 *
 * <p>Then the cold runs ({@link ColdRuns}): a fresh JVM per run, as a build runs the plugin, with
 * the cold and warm ratios side by side ({@code -Dbench.coldRuns=0} skips them,
 * {@code -Dbench.warm=false} runs only them).
 *
 * <p>Run: {@code ./mvnw -B -ntp -pl dps-core -Pbench verify} (see the benchmark guide, performance.md
 * and performance-cold.md).
 */
public final class FleetBenchmark {

    public static void main(String[] args) throws Exception {
        int threads = Integer.getInteger("threads", Runtime.getRuntime().availableProcessors());
        int[] sizes = {1, 1_000, 10_000, 100_000};
        if (args.length > 0) {
            sizes = Stream.of(args).flatMap(a -> Stream.of(a.trim().split("\\s+"))).filter(a -> !a.isEmpty())
                    .mapToInt(Integer::parseInt).toArray();
        }
        // under target/ by default: the output directory's file system is part of what is measured
        Path work = Path.of(System.getProperty("bench.dir", "target/bench")).toAbsolutePath();
        delete(work);
        Files.createDirectories(work);
        try {
            System.out.printf(Locale.ROOT, "dps fleet benchmark: %d threads, %d processors, max heap %d MB, %s %s%n",
                    threads, Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20,
                    System.getProperty("java.vm.name"), System.getProperty("java.version"));
            long tc = System.nanoTime();
            P256.N.bitLength(); // Bouncy Castle's curve parameters: loaded by any multiplier
            long tt = System.nanoTime();
            BaseMultiplier.prepareTable();
            System.out.printf(Locale.ROOT, "constant-time fixed-base table built in %.1f ms (first use in this JVM;"
                    + " loading the curve took %.1f ms before)%n", (System.nanoTime() - tt) / 1e6, (tt - tc) / 1e6);
            double opensslBefore = opensslSignRate(threads);
            // -Dbench.rates=false skips the multiplication rates (e.g. to profile the fleet runs alone)
            boolean rateRuns = Boolean.parseBoolean(System.getProperty("bench.rates", "true"));
            double mults = rateRuns ? fixedBaseRate(threads, BaseMultiplier.COMB) : Double.NaN;
            if (rateRuns) {
                System.out.printf(Locale.ROOT, "Bouncy Castle fixed-base P-256 multiplication (comb): %.0f /s on %d"
                        + " threads -> ceiling %.0f devices/s (2 per device)%n", mults, threads, mults / 2);
                double table = fixedBaseRate(threads, BaseMultiplier.TABLE);
                System.out.printf(Locale.ROOT, "our constant-time table on BC field arithmetic: %.0f /s on %d threads"
                        + " (%.1fx the comb) -> ceiling %.0f devices/s%n", table, threads, table / mults, table / 2);
            }
            if (rateRuns) {
                cpuPerOperation();
            }
            System.out.printf(Locale.ROOT, "output in %s%n", work);
            System.out.printf(Locale.ROOT, "%-28s %9s %12s %12s %14s %11s %9s %9s %9s %9s%n", "outputs", "devices", "devices/s",
                    "us/device", "peak heap MB", "of BC ceil.", "seconds", "ratio", "CPU us/d", "main us/d");
            List<double[]> rates = new ArrayList<>();
            // warm-up, not reported: the JIT compiler (C2) is still busy, on one of the two cores, for
            // the first 30 000 or so devices; the figures below are steady-state, as OpenSSL's are
            int warmUp = Integer.getInteger("bench.warmUp", 40_000);
            // -Dbench.warm=false: only the cold runs (below)
            boolean warm = Boolean.parseBoolean(System.getProperty("bench.warm", "true"));
            if (!warm) {
                sizes = new int[0];
                warmUp = 0;
            }
            long tw = System.nanoTime();
            if (warm) {
                prepare(work, warmUp);
                run(work, warmUp, threads, false, true);
                setAside(work, work.resolve("fleet-" + warmUp));
                prepare(work, 2_000);
                run(work, 2_000, threads, true, true);
                setAside(work, work.resolve("fleet-2000"));
            }
            if (warm) {
                System.out.printf(Locale.ROOT, "warm-up (JIT): %d devices, then 2 000 with pem files, in %.1f s%n",
                        warmUp, (System.nanoTime() - tw) / 1e9);
            }
            for (int n : sizes) {
                prepare(work, n);
                for (boolean files : Boolean.getBoolean("bench.noFiles") ? new boolean[] {false} : new boolean[] {true, false}) {
                    resetPeaks();
                    long cpu0 = OS.getProcessCpuTime();
                    long ordered0 = THREADS.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    BatchResult r = run(work, n, threads, files, true);
                    long elapsed = System.nanoTime() - t0;
                    long cpu = OS.getProcessCpuTime() - cpu0;
                    long ordered = THREADS.getCurrentThreadCpuTime() - ordered0;
                    double rate = n / (elapsed / 1e9);
                    System.out.printf(Locale.ROOT, "%-28s %9d %12.0f %12.1f %14d %10.0f%% %9.2f %9s %9.1f %9.1f%n",
                            files ? "pem files+zip+manifest" : "zip+manifest (no pem files)", r.deviceCount(), rate,
                            elapsed / 1e3 / n, peakHeap() >> 20, 100 * rate / (mults / 2), elapsed / 1e9,
                            opensslBefore > 0 ? String.format(Locale.ROOT, "%.3f", rate / (opensslBefore / 2)) : "-",
                            cpu / 1e3 / n, ordered / 1e3 / n);
                    rates.add(new double[] {n, files ? 1 : 0, rate});
                    setAside(work, work.resolve("fleet-" + n).resolve("out"));
                }
                setAside(work, work.resolve("fleet-" + n));
            }
            double opensslAfter = opensslSignRate(threads);
            if (opensslBefore > 0 && opensslAfter > 0) {
                // the machine is shared: OpenSSL is measured before and after; the ratio's range uses both
                System.out.printf(Locale.ROOT, "ratio = devices/s / (OpenSSL ECDSA P-256 sign/s / 2); OpenSSL before"
                        + " %.0f, after %.0f sign/s on %d processes%n", opensslBefore, opensslAfter, threads);
                for (double[] r : rates) {
                    double a = r[2] / (opensslBefore / 2);
                    double b = r[2] / (opensslAfter / 2);
                    System.out.printf(Locale.ROOT, "  %7.0f devices, %-5s: %.0f devices/s, ratio %.3f .. %.3f%n", r[0],
                            r[1] == 1 ? "files" : "zip", r[2], Math.min(a, b), Math.max(a, b));
                }
            }
            int coldRuns = Integer.getInteger("bench.coldRuns", 3);
            if (coldRuns > 0) {
                ColdRuns.run(work, System.getProperty("bench.cold", "100000:zip 20000:files"), coldRuns, threads,
                        Math.max(opensslBefore, opensslAfter) > 0 ? (opensslBefore > 0 && opensslAfter > 0
                                ? (opensslBefore + opensslAfter) / 2 : Math.max(opensslBefore, opensslAfter)) : 0,
                        rates);
            }
            int rolloutDevices = Integer.getInteger("bench.rolloutDevices", warm ? 10_000 : 0);
            if (rolloutDevices > 0) {
                rollout(work, rolloutDevices, threads);
            }
        } finally {
            // -Dbench.keep=true leaves the outputs: on this machine's ext4 (no journal) deleting a few
            // hundred thousand files makes creating files several times slower for the next minutes
            // (setAside), so back-to-back benchmarks should not delete in between
            if (!Boolean.getBoolean("bench.keep")) {
                delete(work);
            }
        }
    }

    /** Writes the fleet's input: a devices file of MAC addresses and the matching UDS file (not timed). */
    static void prepare(Path work, int n) throws IOException {
        Path dir = work.resolve("fleet-" + n);
        Files.createDirectories(dir);
        Path devices = dir.resolve("devices.csv");
        Path udsCsv = dir.resolve("uds.csv");
        SplittableRandom random = new SplittableRandom(n);
        try (BufferedWriter d = Files.newBufferedWriter(devices, StandardCharsets.US_ASCII);
                BufferedWriter u = Files.newBufferedWriter(udsCsv, StandardCharsets.US_ASCII)) {
            d.write("macAddress\n");
            byte[] uds = new byte[32];
            for (int i = 0; i < n; i++) {
                String mac = String.format(Locale.ROOT, "c89346%06x", i);
                random.nextBytes(uds);
                d.write(mac + "\n");
                u.write("az-" + mac + "v2v0v0," + HexFormat.of().formatHex(uds) + "\n");
            }
        }
    }

    /** One fleet, end to end: devices file + UDS file in, certificates + manifest (+ archive) out. */
    private static BatchResult run(Path work, int n, int threads, boolean files, boolean archive) throws IOException {
        Path dir = work.resolve("fleet-" + n);
        Path devices = dir.resolve("devices.csv");
        Path udsCsv = dir.resolve("uds.csv");
        long tu = System.nanoTime();
        try (UdsFile udsFile = UdsFile.read(udsCsv)) {
            if (Boolean.getBoolean("bench.verbose")) {
                System.out.printf(Locale.ROOT, "  UDS file read in %d ms%n", (System.nanoTime() - tu) / 1_000_000);
            }
            BatchRequest request = BatchRequest.builder()
                    .firmware(FirmwareFiles.of(Vectors.file("firmware/fw-a.ino.bin"), Vectors.file("firmware/fw-a.ino.map"), null))
                    .devicesFile(devices, "2.0.0", udsFile::lookup)
                    .threads(threads)
                    .archive(archive)
                    .certificateFiles(files)
                    .outputDirectory(dir.resolve("out"))
                    .build();
            BatchListener listener = !Boolean.getBoolean("bench.verbose") ? BatchListener.NONE : new BatchListener() {
                @Override
                public void debug(String message) {
                    System.out.println("  debug: " + message);
                }
            };
            long t0 = System.nanoTime();
            BatchResult result = BatchGenerator.run(request, listener);
            if (Boolean.getBoolean("bench.verbose")) {
                System.out.printf(Locale.ROOT, "  run %d ms, of which generation %d ms%n",
                        (System.nanoTime() - t0) / 1_000_000, result.elapsedNanos() / 1_000_000);
            }
            return result;
        }
    }

    /**
     * A rollout against a plain run of the same fleet and the same new firmware (fw-b),
     * previous firmware fw-a: once with the version unchanged (every device: update, both
     * certificates) and once with it changed (every MAC-derived ID changes: create + delete). The
     * three are alternated for {@link #ROUNDS} rounds after one round of warm-up, and the fastest
     * run of each is compared: the machine is shared, the fastest run is the least disturbed, and
     * alternating spreads the disk's drift (it slows down for minutes after many files are
     * deleted, and while it writes back what earlier runs created) over all three. The warm-up
     * round compiles each path, so no counted run pays for the JIT's recompilation after a switch.
     */
    /** Runs of each rollout configuration; the fastest counts. */
    private static final int ROUNDS = Integer.getInteger("bench.rolloutRounds", 5);

    private static void rollout(Path work, int n, int threads) throws IOException {
        prepare(work, n);
        String[] labels = {"plain run (fw-b)", "rollout fw-a -> fw-b, same version", "rollout fw-a 1.9.0 -> fw-b 2.0.0"};
        String[] previousVersions = {null, "2.0.0", "1.9.0"};
        long[] best = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
        // CPU time of the whole process (workers, writers, GC, JIT) and of the ordered writer (this
        // thread), least of the rounds: on a shared machine wall time alone says little
        long[] bestCpu = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
        long[] bestOrdered = {Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE};
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                ManagementFactory.getOperatingSystemMXBean();
        java.lang.management.ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
        String[] counts = new String[3];
        // -Dbench.rolloutReverse=true runs the configurations in the opposite order in every round
        boolean reverse = Boolean.getBoolean("bench.rolloutReverse");
        // rounds alternate the three configurations (plain, update, create + delete, then again), so
        // that the disk's and the machine's drift over the minute touches all three alike; round 0 is
        // a warm-up (the rollout path's JIT compilation) and is not counted
        for (int round = 0; round <= ROUNDS; round++) {
            for (int j = 0; j < 3; j++) {
                int k = reverse ? 2 - j : j;
                Path dir = work.resolve("fleet-" + n);
                Path out = dir.resolve("rollout-out");
                try (UdsFile udsFile = UdsFile.read(dir.resolve("uds.csv"))) {
                    BatchRequest.Builder b = BatchRequest.builder()
                            .firmware(FirmwareFiles.of(Vectors.file("firmware/fw-b.ino.bin"), Vectors.file("firmware/fw-b.ino.map"), null))
                            .devicesFile(dir.resolve("devices.csv"), "2.0.0", udsFile::lookup)
                            .threads(threads).archive(true).certificateFiles(true).outputDirectory(out);
                    if (k > 0) {
                        b.previousFirmware(io.github.dpsplugin.core.rollout.PreviousFirmware.of(
                                Vectors.file("firmware/fw-a.ino.bin"), Vectors.file("firmware/fw-a.ino.map"), null,
                                previousVersions[k]));
                    }
                    resetPeaks();
                    long cpu0 = os.getProcessCpuTime();
                    long ordered0 = threadBean.getCurrentThreadCpuTime();
                    long t0 = System.nanoTime();
                    BatchResult r = BatchGenerator.run(b.build(), BatchListener.NONE);
                    if (round > 0) {
                        best[k] = Math.min(best[k], System.nanoTime() - t0);
                        bestCpu[k] = Math.min(bestCpu[k], os.getProcessCpuTime() - cpu0);
                        bestOrdered[k] = Math.min(bestOrdered[k], threadBean.getCurrentThreadCpuTime() - ordered0);
                    }
                    counts[k] = r.rollout() == null ? r.deviceCount() + " devices" : r.rollout().describe();
                }
                setAside(work, out);
            }
        }
        System.out.printf(Locale.ROOT, "%nrollout of %d devices (fastest of %d runs each, alternated, after one round of warm-up;"
                + " pem files+zip+manifest):%n",
                n, ROUNDS);
        for (int k = 0; k < 3; k++) {
            System.out.printf(Locale.ROOT, "  %-38s %8.2f s %9.0f devices/s  %5.2fx the plain run;"
                    + " CPU %5.0f us/device (%4.2fx), ordered writer %4.0f us/device%n", labels[k],
                    best[k] / 1e9, n / (best[k] / 1e9), (double) best[k] / best[0], bestCpu[k] / 1e3 / n,
                    (double) bestCpu[k] / bestCpu[0], bestOrdered[k] / 1e3 / n);
        }
        for (int k = 1; k < 3; k++) {
            System.out.println("  " + counts[k]);
        }
        setAside(work, work.resolve("fleet-" + n));
    }

    /**
     * CPU time (not wall time: the machine may be shared) of one thread per operation, best of 7
     * rounds: Bouncy Castle's comb, our table (each with its normalisation), and one whole device
     * (both keys, both certificates, both PEMs) as the fleet's workers compute it.
     */
    private static void cpuPerOperation() {
        java.lang.management.ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
        SplittableRandom random = new SplittableRandom(1);
        BigInteger[] scalars = new BigInteger[256];
        String[] uds = new String[256];
        byte[] b = new byte[32];
        for (int i = 0; i < scalars.length; i++) {
            random.nextBytes(b);
            scalars[i] = new BigInteger(1, b).mod(P256.N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
            random.nextBytes(b);
            uds[i] = HexFormat.of().formatHex(b);
        }
        DeviceCertificateGenerator generator = DeviceCertificateGenerator.forFirmware(
                Vectors.file("firmware/fw-a.ino.bin"), Vectors.file("firmware/fw-a.ino.map"), NoncePolicy.DEVKIT);
        double comb = Double.MAX_VALUE;
        double table = Double.MAX_VALUE;
        double device = Double.MAX_VALUE;
        for (int round = 0; round < 7; round++) {
            long t = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < 500; i++) {
                P256.multiplyG(scalars[i & 255], BaseMultiplier.COMB);
            }
            comb = Math.min(comb, (cpu.getCurrentThreadCpuTime() - t) / 1e3 / 500);
            t = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < 1000; i++) {
                P256.multiplyG(scalars[i & 255], BaseMultiplier.TABLE);
            }
            table = Math.min(table, (cpu.getCurrentThreadCpuTime() - t) / 1e3 / 1000);
            t = cpu.getCurrentThreadCpuTime();
            for (int i = 0; i < 500; i++) {
                try (Uds u = Uds.fromHex(uds[i & 255])) {
                    DeviceCertificates c = generator.generate(RegistrationId.of(
                            String.format(Locale.ROOT, "az-c89346%06xv2v0v0", i)), u);
                    c.aliasCertificatePem(PemLayout.ONE_LINE);
                    c.deviceIdCertificatePem(PemLayout.ONE_LINE);
                }
            }
            device = Math.min(device, (cpu.getCurrentThreadCpuTime() - t) / 1e3 / 500);
        }
        System.out.printf(Locale.ROOT, "CPU time per operation, one thread, best of 7: d·G by BC's comb %.1f us,"
                + " by our table %.1f us; one device (2 keys, 2 certificates, 2 PEMs) %.1f us%n", comb, table, device);
    }

    /**
     * ECDSA P-256 signatures per second of {@code openssl speed -seconds 2 -multi <threads> ecdsap256}
     * in this run, or 0 when openssl is not on the PATH (printed).
     */
    private static double opensslSignRate(int threads) {
        try {
            Process p = new ProcessBuilder("openssl", "speed", "-seconds", "2", "-multi", String.valueOf(threads),
                    "ecdsap256").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            for (String line : out.split("\\R")) {
                if (line.contains("ecdsa (nistp256)")) {
                    String[] f = line.trim().split("\\s+");
                    double sign = Double.parseDouble(f[f.length - 2]);
                    System.out.printf(Locale.ROOT, "openssl speed -seconds 2 -multi %d ecdsap256: %.0f sign/s -> OpenSSL"
                            + " sign rate / 2 = %.0f%n", threads, sign, sign / 2);
                    return sign;
                }
            }
            System.out.println("openssl speed printed no nistp256 line; no ratio");
        } catch (IOException e) {
            System.out.println("openssl not on the PATH; no ratio (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.out.println("openssl speed output not understood; no ratio (" + e + ")");
        }
        return 0;
    }

    /** Fixed-base multiplications per second on {@code threads} threads, over ~3 s. */
    private static double fixedBaseRate(int threads, BaseMultiplier multiplier) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 2; round++) { // the first round warms up
                long durationNanos = round == 0 ? 1_000_000_000L : 3_000_000_000L;
                Future<?>[] f = new Future<?>[threads];
                long[] counts = new long[threads];
                long start = System.nanoTime();
                for (int t = 0; t < threads; t++) {
                    int id = t;
                    f[t] = pool.submit(() -> {
                        SplittableRandom r = new SplittableRandom(id);
                        byte[] b = new byte[32];
                        long c = 0;
                        while (System.nanoTime() - start < durationNanos) {
                            r.nextBytes(b);
                            P256.multiplyG(new BigInteger(1, b).mod(P256.N.subtract(BigInteger.ONE)).add(BigInteger.ONE),
                                    multiplier);
                            c++;
                        }
                        counts[id] = c;
                    });
                }
                for (Future<?> x : f) {
                    x.get();
                }
                if (round == 1) {
                    long total = 0;
                    for (long c : counts) {
                        total += c;
                    }
                    return total / ((System.nanoTime() - start) / 1e9);
                }
            }
            throw new IllegalStateException();
        } finally {
            pool.shutdownNow();
        }
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                p.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                sum += p.getPeakUsage().getUsed();
            }
        }
        return sum;
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final java.lang.management.ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static int setAside;

    /**
     * Moves a run's outputs out of the way, to be deleted when the benchmark ends. Not deleted now:
     * on ext4 without a journal (this machine's disk) the inode allocator skips every inode freed in
     * the last seconds to minutes and reads its inode-table block to find out (the kernel's
     * {@code recently_deleted()}), so creating files right after deleting tens of thousands costs
     * several times more, and a benchmark that deleted between runs would measure its own deletions
     * (the next run slower the more the previous one wrote). A rename costs nothing of the kind.
     */
    static void setAside(Path work, Path dir) throws IOException {
        if (Files.exists(dir)) {
            Path aside = work.resolve("set-aside");
            Files.createDirectories(aside);
            Files.move(dir, aside.resolve(String.valueOf(setAside++)));
        }
    }

    private static void delete(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
