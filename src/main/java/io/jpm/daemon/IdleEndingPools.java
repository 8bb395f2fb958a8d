package io.jpm.daemon;

import io.vertx.core.spi.ExecutorServiceFactory;
import java.util.AbstractQueue;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Vert.x's worker pools for the daemon: a thread is started only when none is idle (up to the pool's
 * size), the thread idle for the shortest time takes the next task, and one idle for {@link
 * #IDLE_SECONDS} ends. Vert.x's own pools are fixed: every thread a burst of starts ever made (four
 * workers, four internal) would stay for the daemon's life, though an idle daemon has one small task
 * a second at most. A plain ThreadPoolExecutor cannot do this alone: below its
 * core size it starts a thread for every task even when one is idle, above it only when its queue
 * refuses, and its queue hands tasks to the idle threads in turn, so that none is ever idle long
 * enough to end. Hence a core of 0 and {@link LastIdleFirstQueue}. Longer than it looks worth: the
 * queue must be a whole BlockingQueue for the executor's shutdown.
 */
final class IdleEndingPools implements ExecutorServiceFactory {
    /** Short: starting a thread again costs about 0.14 ms here (start and end, 512 KiB stacks, measured with a CI run beside it). */
    static final long IDLE_SECONDS = 3;
    /**
     * A pool's last thread waits longer: an idle daemon with apps has a task or two a minute (Satan's
     * sample, the history's write, a watched file's look), and each would start a thread and end it
     * again; one parked thread wakes for nothing.
     */
    static final long LAST_IDLE_SECONDS = 75;

    @Override
    public ExecutorService createExecutor(ThreadFactory threadFactory, Integer concurrency, Integer maxConcurrency) {
        int size = maxConcurrency != null && maxConcurrency > 0 ? maxConcurrency : Math.max(1, concurrency);
        return new Pool(size, threadFactory);
    }

    /** A pool of up to {@code size} threads, none kept idle longer than {@link #IDLE_SECONDS}. */
    static final class Pool extends ThreadPoolExecutor {
        Pool(int size, ThreadFactory threadFactory) {
            super(0, size, IDLE_SECONDS, TimeUnit.SECONDS, new LastIdleFirstQueue(), threadFactory);
            ((LastIdleFirstQueue) getQueue()).pool = this;
        }

        /** How long the pool's last thread waits for a task before it ends ({@link #LAST_IDLE_SECONDS}). */
        void setLastIdle(long time, TimeUnit unit) {
            ((LastIdleFirstQueue) getQueue()).lastIdleNanos = unit.toNanos(time);
        }

        @Override
        public void execute(Runnable task) {
            try {
                super.execute(task);
            } catch (RejectedExecutionException e) {
                if (isShutdown()) {
                    throw e;
                }
                // the queue refused it to grow the pool, which was full meanwhile: it waits its turn
                ((LastIdleFirstQueue) getQueue()).enqueue(task);
            }
        }
    }

    /**
     * Tasks in order; the threads waiting for one in a stack, the last to wait served first. Refuses
     * a task (so the pool starts a thread) while no thread waits and the pool may grow.
     */
    static final class LastIdleFirstQueue extends AbstractQueue<Runnable> implements BlockingQueue<Runnable> {
        private final ReentrantLock lock = new ReentrantLock();
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        private final ArrayDeque<Condition> idle = new ArrayDeque<>();
        private Pool pool;
        private volatile long lastIdleNanos = TimeUnit.SECONDS.toNanos(LAST_IDLE_SECONDS);

        /** The pool's thread count, read before this queue's lock: the pool's shutdown drains the queue under its own lock. */
        private int poolSize() {
            return pool == null ? -1 : pool.getPoolSize();
        }

        @Override
        public boolean offer(Runnable task) {
            int threads = poolSize();
            lock.lock();
            try {
                if (idle.isEmpty() && threads >= 0 && threads < pool.getMaximumPoolSize()) {
                    return false;
                }
                enqueueLocked(task);
                return true;
            } finally {
                lock.unlock();
            }
        }

        /** Threads waiting for a task now. */
        int idleThreads() {
            lock.lock();
            try {
                return idle.size();
            } finally {
                lock.unlock();
            }
        }

        void enqueue(Runnable task) {
            lock.lock();
            try {
                enqueueLocked(task);
            } finally {
                lock.unlock();
            }
        }

        private void enqueueLocked(Runnable task) {
            tasks.addLast(task);
            Condition last = idle.pollLast();
            if (last != null) {
                last.signal();
            }
        }

        @Override
        public Runnable poll(long timeout, TimeUnit unit) throws InterruptedException {
            long nanos = unit.toNanos(timeout);
            boolean alone = poolSize() == 1;
            lock.lockInterruptibly();
            try {
                if (alone && tasks.isEmpty() && idle.isEmpty()) {
                    nanos = Math.max(nanos, lastIdleNanos);
                }
                while (tasks.isEmpty()) {
                    if (nanos <= 0) {
                        return null;
                    }
                    Condition mine = lock.newCondition();
                    idle.addLast(mine);
                    try {
                        nanos = mine.awaitNanos(nanos);
                    } finally {
                        idle.remove(mine); // gone already when a task woke it
                    }
                }
                return tasks.pollFirst();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public Runnable take() throws InterruptedException {
            return poll(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        }

        @Override
        public void put(Runnable task) {
            enqueue(task);
        }

        @Override
        public boolean offer(Runnable task, long timeout, TimeUnit unit) {
            return offer(task);
        }

        @Override
        public Runnable poll() {
            lock.lock();
            try {
                return tasks.pollFirst();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public Runnable peek() {
            lock.lock();
            try {
                return tasks.peekFirst();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public int size() {
            lock.lock();
            try {
                return tasks.size();
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean remove(Object task) {
            lock.lock();
            try {
                return tasks.remove(task);
            } finally {
                lock.unlock();
            }
        }

        /** A copy: the executor's shutdown and purge remove through {@link #remove(Object)}. */
        @Override
        public Iterator<Runnable> iterator() {
            List<Runnable> copy;
            lock.lock();
            try {
                copy = new ArrayList<>(tasks);
            } finally {
                lock.unlock();
            }
            Iterator<Runnable> inner = copy.iterator();
            return new Iterator<>() {
                private Runnable last;

                @Override
                public boolean hasNext() {
                    return inner.hasNext();
                }

                @Override
                public Runnable next() {
                    last = inner.next();
                    return last;
                }

                @Override
                public void remove() {
                    LastIdleFirstQueue.this.remove(last);
                }
            };
        }

        @Override
        public int remainingCapacity() {
            return Integer.MAX_VALUE;
        }

        @Override
        public int drainTo(Collection<? super Runnable> into) {
            return drainTo(into, Integer.MAX_VALUE);
        }

        @Override
        public int drainTo(Collection<? super Runnable> into, int most) {
            lock.lock();
            try {
                int n = 0;
                while (n < most && !tasks.isEmpty()) {
                    into.add(tasks.pollFirst());
                    n++;
                }
                return n;
            } finally {
                lock.unlock();
            }
        }
    }
}
