package io.github.dpsplugin.core.common;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Worker threads as an ordered pipeline: chunks of work are computed ahead on the workers, a
 * bounded window of them in flight, and come out in the order they went in, so what a run writes
 * does not depend on the number of threads. With one thread a chunk is computed on the calling
 * thread when it is submitted. Closing stops the workers and waits for them: none may still run
 * when the caller publishes or deletes what they worked for.
 *
 * @param <T> one item of work
 * @param <R> what a chunk of items gives
 */
public final class OrderedWorkers<T, R> implements AutoCloseable {

    private final ExecutorService pool;
    private final Function<List<T>, R> compute;
    private final ArrayDeque<Pending<T, R>> window = new ArrayDeque<>();
    private final int maxWindow;

    /**
     * @param chunksInFlight how many chunks may be computed ahead of the one taken
     * @param name the worker threads' name, numbered ({@code dps-verify-1}, …)
     */
    public OrderedWorkers(int threads, int chunksInFlight, String name, Function<List<T>, R> compute) {
        this.pool = threads > 1 ? Executors.newFixedThreadPool(threads, new Named(name)) : null;
        this.compute = compute;
        this.maxWindow = Math.max(1, chunksInFlight);
    }

    /** Whether the window is full: take a chunk before submitting another. */
    public boolean full() {
        return window.size() >= maxWindow;
    }

    /**
     * Starts computing {@code chunk}; with one thread computes it now, on the calling thread. Either
     * way an exception of the computation is thrown when the chunk is taken, after the chunks before it.
     */
    public void submit(List<T> chunk) {
        if (pool != null) {
            window.add(new Pending<>(chunk, CompletableFuture.supplyAsync(() -> compute.apply(chunk), pool)));
            return;
        }
        CompletableFuture<R> done = new CompletableFuture<>();
        try {
            done.complete(compute.apply(chunk));
        } catch (RuntimeException | Error e) {
            done.completeExceptionally(e);
        }
        window.add(new Pending<>(chunk, done));
    }

    /** The oldest chunk submitted and not taken yet; null when there is none. */
    public Pending<T, R> take() {
        return window.poll();
    }

    /** Stops the worker threads and waits until they have. */
    @Override
    public void close() {
        if (pool == null) {
            return;
        }
        pool.shutdownNow();
        Pools.awaitTermination(pool);
    }

    /** A chunk of work, being computed or done. */
    public static final class Pending<T, R> {
        private final List<T> items;
        private final CompletableFuture<R> future;

        private Pending(List<T> items, CompletableFuture<R> future) {
            this.items = items;
            this.future = future;
        }

        /** The chunk's items, as submitted. */
        public List<T> items() {
            return items;
        }

        /** What the chunk gives, once computed; an exception of the computation is thrown here. */
        public R get() {
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
                if (c instanceof Error) {
                    throw (Error) c;
                }
                throw new IllegalStateException(c);
            }
        }
    }

    /** Daemon worker threads with a recognisable name. */
    private static final class Named implements ThreadFactory {
        private final String name;
        private final AtomicInteger n = new AtomicInteger();

        Named(String name) {
            this.name = name;
        }

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }
}
