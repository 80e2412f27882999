package io.github.dpsplugin.core.bench;

import io.github.dpsplugin.core.firmware.FirmwareFiles;
import io.github.dpsplugin.core.fleet.BatchGenerator;
import io.github.dpsplugin.core.fleet.BatchListener;
import io.github.dpsplugin.core.fleet.BatchRequest;
import io.github.dpsplugin.core.fleet.BatchResult;
import io.github.dpsplugin.core.fleet.DeviceOutput;
import io.github.dpsplugin.core.fleet.UdsFile;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.util.Locale;

/**
 * One cold fleet run, the way {@code dps:generate} runs it (the UDS file read, then the core's
 * batch run over the devices file), in a JVM started for it alone: the first seconds of a real
 * build, class loading and JIT compilation included. {@link FleetBenchmark} starts it once per
 * measured run and reads the one line it prints:
 *
 * <pre>cold devices=N mainMs=.. udsMs=.. firstMs=.. endMs=.. jitMs=.. cpuMs=.. heapMb=.. devicesMs=.. cpu.jit=.. ...</pre>
 *
 * <p>Times are milliseconds since the JVM started (as the JVM counts it: {@code mainMs} is its
 * own start-up); {@code firstMs} is the first device staged, {@code endMs} the outputs published;
 * {@code jitMs} the JIT compilers' time as the JVM counts it (wall time of the compiler threads),
 * {@code cpuMs} the process CPU time, {@code devicesMs} the time the run spent reading and validating
 * the devices file (its debug line), {@code cpu.*} the CPU milliseconds of groups of threads
 * ({@link ThreadCpu}): the JIT compilers, the GC, the calling thread (UDS file, devices file,
 * ordered writer), the generating threads, the file writer threads, and {@code cpu.mainBeforeFirst},
 * the calling thread's CPU until the first device was staged.
 *
 * <p>Arguments: devices file, UDS file, firmware .bin, firmware .map, output directory,
 * {@code files|zip}, threads.
 */
public final class ColdRun {

    private static final java.util.regex.Pattern VALIDATED = java.util.regex.Pattern.compile(
            "validated \\d+ devices in (\\d+) ms");

    public static void main(String[] args) {
        long mainMs = ManagementFactory.getRuntimeMXBean().getUptime();
        long t0 = System.nanoTime();
        ThreadCpu threadCpu = ThreadCpu.start();
        // as dps:generate does for a devices file (by name: the same driver runs older builds too)
        if (!Boolean.getBoolean("cold.noWarmUp")) {
            try {
                Class.forName("io.github.dpsplugin.core.fleet.WarmUp").getMethod("start").invoke(null);
            } catch (ReflectiveOperationException e) {
                // a build without it
            }
        }
        Path devices = Path.of(args[0]);
        Path uds = Path.of(args[1]);
        boolean files = args[5].equals("files");
        int threads = Integer.parseInt(args[6]);
        long[] first = {0};
        long[] devicesMs = {-1};
        long udsNanos;
        BatchResult result;
        try (UdsFile secrets = UdsFile.read(uds)) {
            udsNanos = System.nanoTime() - t0;
            BatchRequest request = BatchRequest.builder()
                    .firmware(FirmwareFiles.of(Path.of(args[2]), Path.of(args[3]), null))
                    .devicesFile(devices, "2.0.0", secrets::lookup)
                    .threads(threads)
                    .archive(true)
                    .certificateFiles(files)
                    .outputDirectory(Path.of(args[4]))
                    .build();
            result = BatchGenerator.run(request, new BatchListener() {
                @Override
                public void debug(String message) {
                    if (Boolean.getBoolean("cold.debug")) {
                        System.out.printf(Locale.ROOT, "%6d ms  %s%n", ManagementFactory.getRuntimeMXBean().getUptime(),
                                message);
                    }
                    // "validated N devices in M ms" (its own pass) or "read and validated ... in M ms, while generating"
                    java.util.regex.Matcher m = VALIDATED.matcher(message);
                    if (m.find()) {
                        devicesMs[0] = Long.parseLong(m.group(1));
                    }
                }

                @Override
                public void deviceDone(DeviceOutput output) {
                    if (first[0] == 0) {
                        first[0] = System.nanoTime();
                        threadCpu.markFirst();
                    }
                }
            });
        }
        long end = System.nanoTime();
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long cpu = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
        threadCpu.stop();
        long heap = 0;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() == MemoryType.HEAP) {
                heap += p.getPeakUsage().getUsed();
            }
        }
        System.out.printf(Locale.ROOT, "cold devices=%d mainMs=%d udsMs=%.1f firstMs=%.1f endMs=%.1f jitMs=%d"
                + " cpuMs=%.0f heapMb=%d devicesMs=%d %s%n", result.deviceCount(), mainMs, mainMs + udsNanos / 1e6,
                mainMs + (first[0] - t0) / 1e6, mainMs + (end - t0) / 1e6, jit.getTotalCompilationTime(), cpu / 1e6,
                heap >> 20, devicesMs[0], threadCpu.summary());
    }
}
