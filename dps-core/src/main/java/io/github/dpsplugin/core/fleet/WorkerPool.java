package io.github.dpsplugin.core.fleet;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.output.Writers;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** The batch run's worker threads: their chunks in flight, how they are stopped, how the writers are closed. */
final class WorkerPool {

    private WorkerPool() {
    }

    /** Stops the worker threads and waits until they have. */
    static void stop(ExecutorService pool) {
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

    /** Finishes the staged writers, as {@link Writers#closeAll}. */
    static void closeAll(boolean failed, AutoCloseable... writers) {
        Writers.closeAll(failed, writers);
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
