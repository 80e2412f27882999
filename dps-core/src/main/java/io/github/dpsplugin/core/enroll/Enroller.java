package io.github.dpsplugin.core.enroll;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.enroll.Action.Kind;
import io.github.dpsplugin.core.output.ManifestWriter;
import io.github.dpsplugin.core.pem.Pem;
import io.github.dpsplugin.core.pem.PemLayout;
import io.github.dpsplugin.core.verify.ManifestReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs an {@link EnrollRequest}: reads the output's manifest (streamed), reads DPS's enrollments
 * (the paged query), plans, and unless it is a dry run writes: creates and updates first, deletes of
 * old IDs last and only when every other write succeeded. Writes go in bulk operations of ten, a
 * bounded number in flight. A rerun after success plans no write; after a failure it converges.
 */
public final class Enroller {

    private Enroller() {
    }

    /** Runs; throws {@link DpsException} when the run fails, saying which devices were done and which not. */
    public static EnrollResult run(EnrollRequest request, EnrollListener log) {
        Path manifest = request.outputDirectory().resolve(ManifestWriter.FILE_NAME);
        if (!Files.isRegularFile(manifest)) {
            throw new DpsException("outputDirectory", request.outputDirectory() + " holds no "
                    + ManifestWriter.FILE_NAME + "; run generate first (or set outputDirectory to its output)");
        }
        Planner planner = new Planner(request.step());
        ManifestReader.read(manifest, e -> planner.device(FleetDevice.of(e, manifest.toString())));
        planner.checkStep(manifest.toString());
        DpsClient client = new DpsClient(request.connection(), request.ssl(), request.retry());
        log.info("Reading the individual enrollments of DPS " + request.connection().hostName());
        client.query(page -> planner.enrollment(page), planner::page);
        Plan plan = planner.finish();
        log.info((request.dryRun() ? "Dry run, nothing is written. Plan: " : "Plan: ") + plan.summary());
        debugPlan(plan, log);
        for (String r : plan.refusals()) {
            log.warn(r);
        }
        if (request.dryRun()) {
            return new EnrollResult(plan, 0, 0, 0, client.calls(), true);
        }
        Writes writes = new Writes(client, log);
        int[] bulkCalls = {0};
        try (ManifestReader.Certificates certs = new ManifestReader.Certificates(manifest)) {
            execute(request, plan.creates, Kind.CREATE, certs, writes, bulkCalls, log, plan);
            execute(request, plan.updates, Kind.UPDATE, certs, writes, bulkCalls, log, plan);
            if (writes.failed.isEmpty()) {
                execute(request, plan.deletes, Kind.DELETE, certs, writes, bulkCalls, log, plan);
            }
        } catch (DpsException e) {
            throw incomplete(plan, writes, e.getMessage(), e);
        }
        if (!writes.failed.isEmpty() || !plan.refusals().isEmpty()) {
            List<String> problems = new ArrayList<>(writes.failed);
            problems.addAll(plan.refusals());
            throw incomplete(plan, writes, String.join("; ", problems.subList(0, Math.min(problems.size(), 20)))
                    + (problems.size() > 20 ? "; and " + (problems.size() - 20) + " more" : ""), null);
        }
        EnrollResult result = new EnrollResult(plan, plan.creates(), plan.updates(), plan.deletes(), client.calls(),
                false);
        log.info(result.summary());
        return result;
    }

    private static void debugPlan(Plan plan, EnrollListener log) {
        for (String id : plan.left) {
            log.debug("device " + DpsException.quote(id) + ": enrolled with its certificate; left as it is");
        }
        for (List<Action> list : List.of(plan.creates, plan.updates, plan.deletes)) {
            for (Action a : list) {
                log.debug("device " + a.device().label() + ": " + a.kind().name().toLowerCase(Locale.ROOT) + " "
                        + DpsException.quote(a.id()) + " (" + a.reason() + ")");
            }
        }
    }

    /** Sends {@code actions} in bulk batches of ten, at most {@code concurrency} in flight. */
    private static void execute(EnrollRequest request, List<Action> actions, Kind kind,
            ManifestReader.Certificates certs, Writes writes, int[] bulkCalls, EnrollListener log, Plan plan) {
        if (actions.isEmpty()) {
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(request.concurrency(), r -> {
            Thread t = new Thread(r, "dps-enroll");
            t.setDaemon(true);
            return t;
        });
        Semaphore inFlight = new Semaphore(request.concurrency());
        List<Future<?>> futures = new ArrayList<>();
        long total = (actions.size() + Plan.BULK - 1) / Plan.BULK;
        long step = Math.max(1, total / 10);
        AtomicLong completed = new AtomicLong();
        try {
            for (int from = 0; from < actions.size(); from += Plan.BULK) {
                if (request.stopAfterWrites() >= 0 && bulkCalls[0] >= request.stopAfterWrites()) {
                    drain(futures);
                    throw DpsException.environment("enroll", "stopped after " + bulkCalls[0] + " bulk writes", null);
                }
                List<Writes.Item> batch = new ArrayList<>(Plan.BULK);
                for (Action a : actions.subList(from, Math.min(actions.size(), from + Plan.BULK))) {
                    String primary = a.primaryFile() == null ? null : pem(certs, a.primaryFile(), a);
                    String secondary = a.secondaryFile() == null ? null : pem(certs, a.secondaryFile(), a);
                    batch.add(new Writes.Item(a, primary, secondary, Writes.body(a, primary, secondary)));
                }
                inFlight.acquireUninterruptibly();
                bulkCalls[0]++;
                futures.add(pool.submit(() -> {
                    try {
                        writes.batch(kind, batch);
                    } finally {
                        inFlight.release();
                    }
                    long number = completed.incrementAndGet();
                    if (number % step == 0 || number == total) {
                        log.info(String.format(Locale.ROOT, "%s: %d of %d bulk operation(s) done",
                                kind.bulkMode, number, total));
                    }
                    return null;
                }));
                if (futures.stream().anyMatch(Enroller::failed)) {
                    drain(futures); // lets the writes in flight finish, so that "done" is true, then throws
                }
                futures.removeIf(Future::isDone);
            }
            drain(futures);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void drain(List<Future<?>> futures) {
        DpsException first = null;
        for (Future<?> f : futures) {
            try {
                rethrow(f);
            } catch (DpsException e) {
                first = first == null ? e : first;
            }
        }
        futures.clear();
        if (first != null) {
            throw first;
        }
    }

    /** Whether {@code f} completed with an exception (without waiting: only a done future is asked). */
    private static boolean failed(Future<?> f) {
        if (!f.isDone()) {
            return false;
        }
        try {
            f.get();
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    /** Waits for {@code f}; its DpsException is thrown here. Returns true. */
    private static boolean rethrow(Future<?> f) {
        try {
            f.get();
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DpsException d) {
                throw d;
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DpsException.environment("enroll", "interrupted", e);
        }
    }

    /** A certificate of the output as PEM text, whether its file holds PEM or DER. */
    private static String pem(ManifestReader.Certificates certs, String file, Action a) {
        byte[] b;
        try {
            b = certs.read(file);
        } catch (DpsException e) {
            throw e.forDevice(a.device().label());
        }
        String text = new String(b, StandardCharsets.US_ASCII);
        if (text.contains("-----BEGIN CERTIFICATE-----")) {
            try {
                Pem.decode(Pem.CERTIFICATE, text);
            } catch (IllegalArgumentException e) {
                throw new DpsException("certificate", file + " holds no readable CERTIFICATE block ("
                        + e.getMessage() + ")").forDevice(a.device().label());
            }
            return text; // as generate wrote it, in the layout the user chose
        }
        return Pem.encode(Pem.CERTIFICATE, b, PemLayout.RFC7468);
    }

    private static DpsException incomplete(Plan plan, Writes writes, String why, Throwable cause) {
        Set<String> done = new HashSet<>(writes.done);
        List<String> notDone = new ArrayList<>();
        for (List<Action> list : List.of(plan.creates, plan.updates, plan.deletes)) {
            for (Action a : list) {
                if (!done.contains(a.id())) {
                    notDone.add(a.id());
                }
            }
        }
        String shown = String.join(", ", notDone.subList(0, Math.min(notDone.size(), 20)))
                + (notDone.size() > 20 ? ", and " + (notDone.size() - 20) + " more" : "");
        String message = "enrolling failed: " + why + ". Done: " + done.size() + " write(s); not done: "
                + notDone.size() + (notDone.isEmpty() ? "" : " (" + shown + ")")
                + ". Enrollments are written one whole enrollment at a time; run enroll again to finish";
        return cause == null ? new DpsException("enroll", message)
                : cause instanceof DpsException d && d.kind() == DpsException.Kind.ENVIRONMENT
                        ? DpsException.environment("enroll", message, cause)
                        : new DpsException("enroll", message, cause);
    }
}
