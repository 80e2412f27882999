package io.github.dpsplugin.core.bench;

import io.github.dpsplugin.core.Vectors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The cold part of {@link FleetBenchmark}: each run in a JVM of its own ({@link ColdRun}), as a
 * build runs the plugin once, with its start-up, class loading and JIT compilation. Prints, per
 * run and fleet, devices/s from {@code main} to the published outputs (the JVM's own start-up is
 * not counted, as Maven's is not in the figures of a plugin goal), the ratio to OpenSSL's sign
 * rate / 2 beside the warm ratio of the same fleet in this benchmark, and the shares of the run:
 * time before the first certificate, the front end (reading the UDS file, then reading and
 * validating the devices file), CPU of the JIT compilers, CPU of the file writer threads.
 */
final class ColdRuns {

    private ColdRuns() {
    }

    /**
     * @param spec fleets as {@code <devices>:<zip|files>}, space-separated
     * @param openssl OpenSSL's sign rate in this benchmark, 0 if unknown
     * @param warmRates the warm runs' {devices, files 1/0, devices/s}
     */
    static void run(Path work, String spec, int runs, int threads, double openssl, List<double[]> warmRates)
            throws IOException, InterruptedException {
        System.out.printf(Locale.ROOT, "%ncold runs: a fresh JVM per run (java -Xmx256m %s), %d per fleet, outputs set"
                + " aside%n", ColdRun.class.getSimpleName(), runs);
        System.out.printf(Locale.ROOT, "%-22s %4s %10s %7s %7s %9s %9s %7s %7s %7s %8s%n", "fleet", "run", "devices/s",
                "cold", "warm", "seconds", "1st cert", "front", "JIT CPU", "files", "heap MB");
        for (String f : spec.trim().split("\\s+")) {
            String[] p = f.split(":");
            int n = Integer.parseInt(p[0]);
            boolean files = p.length > 1 && p[1].equals("files");
            FleetBenchmark.prepare(work, n);
            Path dir = work.resolve("fleet-" + n);
            double warm = Double.NaN;
            for (double[] r : warmRates) {
                if (r[0] == n && (r[1] == 1) == files) {
                    warm = r[2];
                }
            }
            List<Double> seen = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                Path out = dir.resolve("cold-out-" + i);
                Map<String, Double> m = fork(dir, out, files, threads);
                FleetBenchmark.setAside(work, out);
                double ms = m.get("endMs") - m.get("mainMs");
                double rate = n / (ms / 1e3);
                seen.add(rate);
                double cpu = m.get("cpuMs");
                double front = m.get("udsMs") - m.get("mainMs") + Math.max(0, m.get("devicesMs"));
                System.out.printf(Locale.ROOT, "%-22s %4d %10.0f %7s %7s %9.2f %8.0f%% %6.0f%% %6.0f%% %6.0f%% %8.0f%n",
                        n + (files ? " with pem files" : " archive only"), i + 1, rate, ratio(rate, openssl),
                        ratio(warm, openssl), ms / 1e3, 100 * (m.get("firstMs") - m.get("mainMs")) / ms,
                        100 * front / ms, 100 * m.getOrDefault("cpu.jit", 0.0) / cpu,
                        100 * m.getOrDefault("cpu.write", 0.0) / cpu, m.get("heapMb"));
            }
            seen.sort(null);
            System.out.printf(Locale.ROOT, "%-22s best %10.0f %7s, median %.0f %s%n", "", seen.get(seen.size() - 1),
                    ratio(seen.get(seen.size() - 1), openssl), seen.get(seen.size() / 2),
                    ratio(seen.get(seen.size() / 2), openssl));
            FleetBenchmark.setAside(work, dir);
        }
        System.out.println("  cold/warm = devices/s / (OpenSSL sign/s / 2); 1st cert, front: share of the run's time;"
                + " JIT CPU, files: share of its CPU time");
    }

    private static String ratio(double rate, double openssl) {
        return openssl > 0 && !Double.isNaN(rate) ? String.format(Locale.ROOT, "%.3f", rate / (openssl / 2)) : "-";
    }

    private static Map<String, Double> fork(Path dir, Path out, boolean files, int threads)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path")));
        if (Boolean.getBoolean("cold.noWarmUp")) {
            cmd.add("-Dcold.noWarmUp=true");
        }
        cmd.addAll(List.of(ColdRun.class.getName(), dir.resolve("devices.csv").toString(),
                dir.resolve("uds.csv").toString(), Vectors.file("firmware/fw-a.ino.bin").toString(),
                Vectors.file("firmware/fw-a.ino.map").toString(), out.toString(), files ? "files" : "zip",
                String.valueOf(threads)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("cold run failed:\n" + text);
        }
        Map<String, Double> m = new HashMap<>();
        for (String line : text.split("\\R")) {
            if (line.startsWith("cold ")) {
                for (String kv : line.substring(5).trim().split("\\s+")) {
                    int eq = kv.indexOf('=');
                    m.put(kv.substring(0, eq), Double.parseDouble(kv.substring(eq + 1)));
                }
            }
        }
        if (!m.containsKey("endMs")) {
            throw new IllegalStateException("no result line from the cold run:\n" + text);
        }
        return m;
    }
}
