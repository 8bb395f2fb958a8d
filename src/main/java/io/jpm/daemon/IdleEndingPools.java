package io.jpm.daemon;

import io.vertx.core.spi.ExecutorServiceFactory;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Vert.x's worker pools for the daemon: a thread is started only when every running one is busy (up
 * to the pool's size), and ends after {@link #IDLE_SECONDS} without work. Vert.x's own pools are
 * fixed: every thread a burst of starts ever made (four workers, four internal) stayed for the
 * daemon's life, though an idle daemon has nothing for them (issue 31: threads). A plain
 * ThreadPoolExecutor cannot do this alone: below its core size it starts a thread for every task
 * even when one is idle, and above it only when its queue refuses; so the core is 0 and the queue
 * refuses a task while no thread is free and the pool may still grow (the shape of Tomcat's pool).
 */
final class IdleEndingPools implements ExecutorServiceFactory {
    static final long IDLE_SECONDS = 10;

    @Override
    public ExecutorService createExecutor(ThreadFactory threadFactory, Integer concurrency, Integer maxConcurrency) {
        int size = maxConcurrency != null && maxConcurrency > 0 ? maxConcurrency : Math.max(1, concurrency);
        return new Pool(size, threadFactory);
    }

    /** A pool of up to {@code size} threads, none kept idle longer than {@link #IDLE_SECONDS}. */
    static final class Pool extends ThreadPoolExecutor {
        /** Tasks handed in and not finished yet: more than the threads means none is free. */
        private final AtomicInteger unfinished = new AtomicInteger();

        Pool(int size, ThreadFactory threadFactory) {
            super(0, size, IDLE_SECONDS, TimeUnit.SECONDS, new GrowFirstQueue(), threadFactory);
            ((GrowFirstQueue) getQueue()).pool = this;
        }

        @Override
        public void execute(Runnable task) {
            unfinished.incrementAndGet();
            try {
                super.execute(task);
            } catch (RejectedExecutionException e) {
                if (isShutdown()) {
                    unfinished.decrementAndGet();
                    throw e;
                }
                // the queue refused it to grow the pool, which was full meanwhile: it waits its turn
                ((GrowFirstQueue) getQueue()).force(task);
            }
        }

        @Override
        protected void afterExecute(Runnable task, Throwable failure) {
            unfinished.decrementAndGet();
        }

        boolean hasFreeThread() {
            return unfinished.get() <= getPoolSize();
        }

        /** Every task handed in has finished (its afterExecute included). */
        boolean idle() {
            return unfinished.get() == 0;
        }
    }

    /** Refuses a task (so the pool starts a thread) while no thread is free and the pool may grow. */
    private static final class GrowFirstQueue extends LinkedBlockingQueue<Runnable> {
        private Pool pool;

        @Override
        public boolean offer(Runnable task) {
            if (pool.hasFreeThread() || pool.getPoolSize() >= pool.getMaximumPoolSize()) {
                return super.offer(task);
            }
            return false;
        }

        void force(Runnable task) {
            super.offer(task);
        }
    }
}
