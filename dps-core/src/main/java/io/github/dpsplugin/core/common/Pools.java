package io.github.dpsplugin.core.common;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Ending a run's thread pools: a pool's threads must be gone before what they worked on is published or deleted. */
public final class Pools {

    private Pools() {
    }

    /**
     * Waits until every thread of {@code pool} (shut down by the caller) has ended, however long it
     * takes; an interrupt while waiting does not end the wait and is restored afterwards.
     */
    public static void awaitTermination(ExecutorService pool) {
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
}
