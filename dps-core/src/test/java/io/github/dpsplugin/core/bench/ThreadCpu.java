package io.github.dpsplugin.core.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of this JVM's threads by group, from {@code /proc/self/task/<tid>/stat} (Linux): the
 * JIT compiler threads are invisible to {@code ThreadMXBean}, and the pool threads are gone when
 * the run ends, so a daemon thread samples every thread every 200 ms and keeps the last value of
 * each. (It costs little: one small read per thread and sample.) Elsewhere (no {@code /proc}) the summary is empty.
 */
final class ThreadCpu {

    private static final Path TASKS = Path.of("/proc/self/task");
    /** Clock ticks per second of {@code /proc}'s utime and stime: 100 on Linux (USER_HZ). */
    private static final double TICK_MS = 10;

    private final Map<String, long[]> byTid = new HashMap<>();
    private final byte[] buffer = new byte[1024];
    private volatile boolean running = true;
    private final Thread sampler;
    private long mainBeforeFirst = -1;
    private String mainTid;

    private ThreadCpu() {
        sampler = new Thread(() -> {
            while (running) {
                sample();
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "bench-cpu-sampler");
        sampler.setDaemon(true);
    }

    static ThreadCpu start() {
        ThreadCpu t = new ThreadCpu();
        if (Files.isDirectory(TASKS)) {
            t.sample();
            try {
                // the calling thread: its /proc name is the launcher's ("java"), not "main"
                t.mainTid = Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
            } catch (IOException | UnsupportedOperationException e) {
                t.mainTid = null;
            }
            t.sampler.start();
        }
        return t;
    }

    /** The calling thread's CPU so far counts as "before the first certificate". */
    synchronized void markFirst() {
        sample();
        long[] m = mainTid == null ? null : byTid.get(mainTid);
        mainBeforeFirst = m == null ? -1 : m[0];
    }

    void stop() {
        running = false;
        sampler.interrupt();
        try {
            sampler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (Files.isDirectory(TASKS)) {
            sample();
        }
    }

    private final Map<String, long[]> names = new HashMap<>();

    private synchronized void sample() {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(TASKS)) {
            for (Path task : s) {
                String stat;
                try (java.io.InputStream in = Files.newInputStream(task.resolve("stat"))) {
                    stat = new String(buffer, 0, in.readNBytes(buffer, 0, buffer.length),
                            java.nio.charset.StandardCharsets.ISO_8859_1);
                } catch (IOException e) {
                    continue; // the thread ended meanwhile
                }
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                String name = stat.substring(open + 1, close);
                long ticks = field(stat, close + 2, 11) + field(stat, close + 2, 12); // utime + stime
                String tid = task.getFileName().toString();
                long[] v = byTid.computeIfAbsent(tid, k -> new long[1]);
                v[0] = ticks;
                names.put(tid + "\t" + name, v);
            }
        } catch (IOException e) {
            // no /proc: nothing to report
        }
    }

    /** The {@code n}th space-separated number from {@code from}: no String.split, whose compilation would be measured too. */
    private static long field(String s, int from, int n) {
        int i = from;
        for (int k = 0; k < n; k++) {
            i = s.indexOf(' ', i) + 1;
        }
        long v = 0;
        for (; i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9'; i++) {
            v = 10 * v + s.charAt(i) - '0';
        }
        return v;
    }

    /** {@code cpu.<group>=<ms>} for each group with CPU time, space-separated. */
    synchronized String summary() {
        Map<String, Long> groups = new TreeMap<>();
        for (Map.Entry<String, long[]> e : names.entrySet()) {
            String tid = e.getKey().substring(0, e.getKey().indexOf('\t'));
            String name = tid.equals(mainTid) ? "main" : e.getKey().substring(e.getKey().indexOf('\t') + 1);
            groups.merge(group(name), e.getValue()[0], Long::sum);
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Long> g : groups.entrySet()) {
            if (g.getValue() > 0) {
                sb.append(String.format(Locale.ROOT, "cpu.%s=%.0f ", g.getKey(), g.getValue() * TICK_MS));
            }
        }
        if (mainBeforeFirst >= 0) {
            sb.append(String.format(Locale.ROOT, "cpu.mainBeforeFirst=%.0f", mainBeforeFirst * TICK_MS));
        }
        return sb.toString().strip();
    }

    private static String group(String thread) {
        if (thread.startsWith("C2 Compiler") || thread.startsWith("C1 Compiler")) {
            return "jit";
        }
        if (thread.startsWith("GC ") || thread.startsWith("G1 ") || thread.startsWith("VM Thread")) {
            return "gc+vm";
        }
        if (thread.equals("main")) {
            return "main";
        }
        if (thread.startsWith("dps-generate")) {
            return "generate";
        }
        if (thread.startsWith("dps-write")) {
            return "write";
        }
        return "other";
    }
}
