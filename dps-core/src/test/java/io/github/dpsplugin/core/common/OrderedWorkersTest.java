package io.github.dpsplugin.core.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/** Chunks come out in the order they went in, whatever finishes first; errors come out at their chunk. */
class OrderedWorkersTest {

    /** Later chunks finish first (the first waits longest): they still come out in order. */
    @Test
    void chunksComeOutInTheOrderTheyWentIn() {
        Set<String> threads = ConcurrentHashMap.newKeySet();
        List<Integer> out = new ArrayList<>();
        try (OrderedWorkers<Integer, Integer> w = new OrderedWorkers<>(3, 3, "test-workers", c -> {
            threads.add(Thread.currentThread().getName());
            LockSupport.parkNanos((20 - c.get(0)) * 1_000_000L);
            return c.get(0) * 10;
        })) {
            for (int i = 0; i < 20; i++) {
                while (w.full()) {
                    out.add(w.take().get());
                }
                w.submit(List.of(i));
            }
            for (OrderedWorkers.Pending<Integer, Integer> p = w.take(); p != null; p = w.take()) {
                out.add(p.get());
            }
        }
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            expected.add(i * 10);
        }
        assertEquals(expected, out);
        assertTrue(threads.stream().allMatch(t -> t.startsWith("test-workers-")), threads::toString);
    }

    /** With one thread a chunk is computed on submit, but its error is thrown when it is taken, in order. */
    @Test
    void oneThreadComputesOnTheCallerAndDefersErrorsToTheirTurn() {
        IllegalStateException boom = new IllegalStateException("chunk 2");
        List<String> ran = new ArrayList<>();
        try (OrderedWorkers<Integer, Integer> w = new OrderedWorkers<>(1, 4, "unused", c -> {
            ran.add(Thread.currentThread().getName());
            if (c.get(0) == 2) {
                throw boom;
            }
            return c.get(0);
        })) {
            for (int i = 0; i < 4; i++) {
                w.submit(List.of(i));
            }
            assertTrue(w.full());
            assertEquals(4, ran.size(), "computed on submit");
            assertTrue(ran.stream().allMatch(Thread.currentThread().getName()::equals));
            assertEquals(0, w.take().get());
            assertEquals(1, w.take().get());
            OrderedWorkers.Pending<Integer, Integer> third = w.take();
            assertEquals(List.of(2), third.items());
            assertSame(boom, assertThrows(IllegalStateException.class, third::get));
            assertEquals(3, w.take().get());
            assertNull(w.take());
            assertFalse(w.full());
        }
    }

    /** An error of a worker is thrown as it was thrown, not wrapped. */
    @Test
    void aWorkersErrorIsThrownAsItIs() {
        DpsException bad = new DpsException("udsFile", "cannot be read");
        try (OrderedWorkers<Integer, Integer> w = new OrderedWorkers<>(2, 2, "test-workers", c -> {
            throw bad;
        })) {
            w.submit(List.of(1));
            assertSame(bad, assertThrows(DpsException.class, w.take()::get));
        }
    }
}
