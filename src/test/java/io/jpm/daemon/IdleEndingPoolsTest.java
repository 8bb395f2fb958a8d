package io.jpm.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Deadline;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The daemon's worker pools: grow only when no thread is idle, never past their size, queue the
 * rest, serve with the thread idle the shortest, and end threads left idle.
 */
class IdleEndingPoolsTest {

    private static IdleEndingPools.Pool pool(int size) {
        return (IdleEndingPools.Pool)
                new IdleEndingPools().createExecutor(Executors.defaultThreadFactory(), size, size);
    }

    private static int idleThreads(IdleEndingPools.Pool pool) {
        return ((IdleEndingPools.LastIdleFirstQueue) pool.getQueue()).idleThreads();
    }

    /** Until {@code n} threads wait for work. */
    private static void awaitIdle(IdleEndingPools.Pool pool, int n) {
        Deadline deadline = Deadline.in(Duration.ofSeconds(10));
        while (idleThreads(pool) < n && !deadline.passed()) {
            Thread.onSpinWait();
        }
        assertEquals(n, idleThreads(pool));
    }

    @Test
    void tasksOneAfterAnotherShareOneThread() throws Exception {
        IdleEndingPools.Pool pool = pool(4);
        try {
            for (int i = 0; i < 20; i++) {
                pool.submit(() -> {}).get(10, TimeUnit.SECONDS);
                awaitIdle(pool, 1); // the next comes once the thread waits again
            }
            assertEquals(1, pool.getLargestPoolSize(), "a fixed pool would have started 4");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void busyThreadsMakeItGrowToItsSizeAndTheRestWaits() throws Exception {
        IdleEndingPools.Pool pool = pool(3);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(3);
        AtomicInteger done = new AtomicInteger();
        try {
            for (int i = 0; i < 5; i++) {
                pool.execute(() -> {
                    running.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    done.incrementAndGet();
                });
            }
            assertTrue(running.await(10, TimeUnit.SECONDS), "three run at once");
            assertEquals(3, pool.getPoolSize());
            assertEquals(2, pool.getQueue().size(), "the other two wait");
            release.countDown();
            pool.shutdown();
            assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
            assertEquals(5, done.get(), "none refused, none lost");
            assertEquals(3, pool.getLargestPoolSize());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aSteadyTrickleKeepsOneThreadAndTheOthersEnd() throws Exception {
        IdleEndingPools.Pool pool = pool(2);
        try {
            pool.setKeepAliveTime(300, TimeUnit.MILLISECONDS); // the daemon's 10 s, shortened for the test
            CountDownLatch both = new CountDownLatch(2);
            CountDownLatch release = new CountDownLatch(1);
            for (int i = 0; i < 2; i++) {
                pool.execute(() -> {
                    both.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
            }
            assertTrue(both.await(10, TimeUnit.SECONDS));
            release.countDown();
            awaitIdle(pool, 2);
            // a task every 50 ms: served by the same thread, the other idles out (a FIFO hand-off
            // served them in turn, and neither ever ended)
            Deadline deadline = Deadline.in(Duration.ofSeconds(20));
            while (pool.getPoolSize() > 1 && !deadline.passed()) {
                pool.submit(() -> {}).get(10, TimeUnit.SECONDS);
                TimeUnit.MILLISECONDS.sleep(50); // the trickle's pace, not a wait for a state
            }
            assertEquals(1, pool.getPoolSize());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anIdleThreadEnds() {
        IdleEndingPools.Pool pool = pool(2);
        try {
            pool.setKeepAliveTime(50, TimeUnit.MILLISECONDS);
            pool.setLastIdle(50, TimeUnit.MILLISECONDS);
            pool.execute(() -> {});
            Deadline deadline = Deadline.in(Duration.ofSeconds(10));
            while (pool.getPoolSize() > 0 && !deadline.passed()) {
                Thread.onSpinWait();
            }
            assertEquals(0, pool.getPoolSize());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void thePoolsLastThreadWaitsLongerThenEnds() throws Exception {
        IdleEndingPools.Pool pool = pool(2);
        try {
            pool.setKeepAliveTime(50, TimeUnit.MILLISECONDS);
            pool.setLastIdle(1500, TimeUnit.MILLISECONDS);
            long start = System.nanoTime();
            pool.submit(() -> {}).get(10, TimeUnit.SECONDS);
            awaitIdle(pool, 1);
            TimeUnit.MILLISECONDS.sleep(500); // ten keep-alive times: a thread not alone would have ended
            assertEquals(1, pool.getPoolSize(), "alone, it waits past the keep-alive time");
            Deadline deadline = Deadline.in(Duration.ofSeconds(10));
            while (pool.getPoolSize() > 0 && !deadline.passed()) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
            assertEquals(0, pool.getPoolSize());
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(1500), "not before its own wait");
        } finally {
            pool.shutdownNow();
        }
    }
}
