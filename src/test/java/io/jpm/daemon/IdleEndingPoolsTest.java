package io.jpm.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The daemon's worker pools: grow only when every thread is busy, never past their size, queue the rest. */
class IdleEndingPoolsTest {

    private static IdleEndingPools.Pool pool(int size) {
        return (IdleEndingPools.Pool)
                new IdleEndingPools().createExecutor(Executors.defaultThreadFactory(), size, size);
    }

    @Test
    void tasksOneAfterAnotherShareOneThread() throws Exception {
        IdleEndingPools.Pool pool = pool(4);
        try {
            for (int i = 0; i < 20; i++) {
                pool.submit(() -> {}).get(10, TimeUnit.SECONDS);
                // get() returns before afterExecute: the next task comes once the pool counts it finished
                awaitIdle(pool);
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
    void anIdleThreadEnds() {
        ExecutorService made = new IdleEndingPools().createExecutor(Executors.defaultThreadFactory(), 2, 2);
        IdleEndingPools.Pool pool = (IdleEndingPools.Pool) made;
        try {
            pool.setKeepAliveTime(50, TimeUnit.MILLISECONDS); // the daemon's 10 s, shortened for the test
            pool.execute(() -> {});
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pool.getPoolSize() > 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertEquals(0, pool.getPoolSize());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void awaitIdle(IdleEndingPools.Pool pool) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!pool.idle() && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
    }
}
