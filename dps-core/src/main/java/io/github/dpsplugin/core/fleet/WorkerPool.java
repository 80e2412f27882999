package io.github.dpsplugin.core.fleet;

import io.github.dpsplugin.core.common.DpsException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The run's worker threads as an ordered pipeline: chunks of devices are computed ahead on the
 * workers, a bounded window of them in flight, and come out in the devices' order. With one
 * thread the chunks are computed on the calling thread. Closing stops the workers and waits for
 * them: none may still run when the staging directory is published or deleted.
 */
final class WorkerPool implements AutoCloseable {

    private final ExecutorService pool;
    private final Supplier<List<DeviceSpec>> chunks;
    private final Function<List<DeviceSpec>, ComputedDevice[]> compute;
    private final ArrayDeque<Pending> window = new ArrayDeque<>();
    private final int maxWindow;
    private boolean reading = true;

    /**
     * @param chunks the next devices for one task, an empty list at the end
     * @param devicesInFlight how many devices may be computed ahead of the one being written
     */
    WorkerPool(int threads, int devicesInFlight, int chunkSize, Supplier<List<DeviceSpec>> chunks,
            Function<List<DeviceSpec>, ComputedDevice[]> compute) {
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads, new Named()) : null;
        this.chunks = chunks;
        this.compute = compute;
        this.maxWindow = Math.max(1, devicesInFlight / chunkSize);
    }

    /** Takes no more chunks; those in flight still come out of {@link #next()}. */
    void stopReading() {
        reading = false;
    }

    /** The next chunk in the devices' order, computed; null when there is none left. */
    Pending next() {
        while (reading && window.size() < maxWindow) {
            List<DeviceSpec> chunk = chunks.get();
            if (chunk.isEmpty()) {
                reading = false;
                break;
            }
            window.add(pool == null ? Pending.now(compute.apply(chunk), chunk)
                    : Pending.later(CompletableFuture.supplyAsync(() -> compute.apply(chunk), pool), chunk));
        }
        return window.poll();
    }

    /** Stops the worker threads and waits until they have. */
    @Override
    public void close() {
        if (pool == null) {
            return;
        }
        pool.shutdownNow();
        boolean interrupted = false;
        while (true) {
            try {
                if (pool.awaitTermination(1, TimeUnit.MINUTES)) {
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

    /** A chunk of devices whose certificates are being computed. */
    static final class Pending {
        final List<DeviceSpec> devices;
        final ComputedDevice[] done;
        final CompletableFuture<ComputedDevice[]> future;

        private Pending(List<DeviceSpec> devices, ComputedDevice[] done, CompletableFuture<ComputedDevice[]> future) {
            this.devices = devices;
            this.done = done;
            this.future = future;
        }

        static Pending now(ComputedDevice[] result, List<DeviceSpec> devices) {
            return new Pending(devices, result, null);
        }

        static Pending later(CompletableFuture<ComputedDevice[]> future, List<DeviceSpec> devices) {
            return new Pending(devices, null, future);
        }

        ComputedDevice[] get() {
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
    static final class Named implements ThreadFactory {
        private final AtomicInteger n = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "dps-generate-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
