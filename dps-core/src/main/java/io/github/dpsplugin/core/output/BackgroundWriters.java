package io.github.dpsplugin.core.output;

import io.github.dpsplugin.core.common.DpsException;
import io.github.dpsplugin.core.common.Pools;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;

/**
 * Writer threads that write files while their producer goes on, a bounded number at a time; the
 * first write error is kept and thrown to the producer by {@link #check()}.
 */
final class BackgroundWriters {

    /** Files being written by the writer threads at most; bounds memory. */
    static final int MAX_PENDING_WRITES = 1024;
    /**
     * Writer threads. Creating a small file costs 30-50 us of system time here (ext4), a rename
     * 20-30 us; two threads create 40 000 files 1.4x as fast as one, four no faster than two
     * (creations in one directory serialise on its lock).
     */
    static final int WRITER_THREADS = 2;
    /** Files per writer task (see {@link #submitBatch}). */
    static final int WRITE_BATCH = 32;

    private final BiConsumer<String, byte[]> write;
    private final BiFunction<String, Throwable, DpsException> unexpected;
    private final Runnable checkOpen;
    private final Semaphore pendingWrites = new Semaphore(MAX_PENDING_WRITES);
    private final AtomicReference<DpsException> writeFailure = new AtomicReference<>();
    private ExecutorService writers;
    /** Files handed to {@link #submit} and not yet to a writer thread. */
    private final List<String> batchNames = new ArrayList<>();
    private final List<byte[]> batchContents = new ArrayList<>();

    /**
     * Writers calling {@code write(name, content)}, which throws {@link DpsException} on a write
     * error; another exception becomes {@code unexpected(name, exception)}. {@code checkOpen} throws
     * {@link IllegalStateException} once the owner takes no more files.
     */
    BackgroundWriters(BiConsumer<String, byte[]> write, BiFunction<String, Throwable, DpsException> unexpected,
            Runnable checkOpen) {
        this.write = write;
        this.unexpected = unexpected;
        this.checkOpen = checkOpen;
    }

    /** Throws the first write error of the writer threads, if any. */
    void check() {
        DpsException e = writeFailure.get();
        if (e != null) {
            throw e;
        }
    }

    /**
     * Hands a file to the writer threads; waits while {@value #MAX_PENDING_WRITES} files wait.
     * {@code content} must not be changed afterwards.
     */
    void submit(String name, byte[] content, BiFunction<String, InterruptedException, DpsException> interrupted) {
        try {
            pendingWrites.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted.apply(name, e);
        }
        synchronized (this) {
            batchNames.add(name);
            batchContents.add(content);
            if (batchNames.size() >= WRITE_BATCH) {
                submitBatch();
            }
        }
    }

    /**
     * Hands the files collected so far to a writer thread as one task: one queue hand-off, and at
     * most one wake-up of a parked writer, per 32 files rather than per file. (Measured at 20 000
     * devices: no difference beyond the noise on the development disk, where creating the files
     * dominates; README, "Benchmark".)
     */
    private synchronized void submitBatch() {
        if (batchNames.isEmpty()) {
            return;
        }
        String[] names = batchNames.toArray(new String[0]);
        byte[][] contents = batchContents.toArray(new byte[0][]);
        batchNames.clear();
        batchContents.clear();
        try {
            writers().execute(() -> {
                for (int i = 0; i < names.length; i++) {
                    String name = names[i];
                    try {
                        if (writeFailure.get() == null) {
                            write.accept(name, contents[i]);
                        }
                    } catch (DpsException e) {
                        writeFailure.compareAndSet(null, e);
                    } catch (RuntimeException | Error e) {
                        writeFailure.compareAndSet(null, unexpected.apply(name, e));
                    } finally {
                        pendingWrites.release();
                    }
                }
            });
        } catch (RuntimeException e) {
            pendingWrites.release(names.length);
            throw e;
        }
    }

    private synchronized ExecutorService writers() {
        checkOpen.run();
        if (writers == null) {
            AtomicInteger n = new AtomicInteger();
            writers = Executors.newFixedThreadPool(WRITER_THREADS, r -> {
                Thread t = new Thread(r, "dps-write-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
        }
        return writers;
    }

    /** Hands over what is still collected and waits until every file handed over is written. */
    void await() {
        ExecutorService w;
        synchronized (this) {
            submitBatch();
            w = writers;
        }
        if (w == null) {
            return;
        }
        w.shutdown();
        Pools.awaitTermination(w); // the staging directory must not be deleted under a writer
    }

    /** Stops the writer threads and waits for them: no file is written any more once this returns. */
    synchronized void stop() {
        if (writers != null) {
            writers.shutdownNow();
            Pools.awaitTermination(writers);
        }
    }
}
