package io.jpm.daemon;

import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Gives the heap a burst left behind back to the system: every {@link #CHECK_MS} (on {@link NativeHeapTrim}'s
 * timer, which trims glibc's heap after it), when the heap the
 * JVM holds has grown by {@link #GROWTH_BYTES} since the last return and at most a third of it is in
 * use, one full collection, after which the serial collector shrinks the heap to what is live.
 *
 * <p>Why: the serial collector sizes its heap at full collections only, and an idle daemon has none.
 * A start, restart or jlist of 1,000 apps grows the young generation to tens of MiB that stayed
 * resident after the apps were deleted (daemon RSS 155 MiB with 1,000 apps, 183 MiB after `delete
 * all`: docs/BENCHMARKS.md); the live heap is then ~8 MiB. pm2's daemon keeps what it grew (its issue
 * #6113): a daemon that lives for months should not. The cost is one collection of a small heap
 * (~10 ms, on a worker) after a burst, never while the heap is in use or again until it grows.
 */
public final class HeapReturn {
    private static final Logger LOG = Logger.getLogger(HeapReturn.class.getName());

    /** As often as Satan reads /proc on an idle daemon: one wake-up more every 30 s. */
    static final long CHECK_MS = 30_000;
    /** Growth below this is the ordinary breathing of an idle daemon, not a burst. */
    static final long GROWTH_BYTES = 8L << 20;

    private final LongSupplier committed;
    private final LongSupplier used;
    private final Runnable collect;
    /** The heap held right after the last return (or at start). */
    private long settled;

    HeapReturn(LongSupplier committed, LongSupplier used, Runnable collect) {
        this.committed = committed;
        this.used = used;
        this.collect = collect;
        this.settled = committed.getAsLong();
    }

    /** The daemon's own heap (Runtime), collected by System.gc(). */
    static HeapReturn ofThisJvm() {
        Runtime runtime = Runtime.getRuntime();
        return new HeapReturn(runtime::totalMemory, () -> runtime.totalMemory() - runtime.freeMemory(), System::gc);
    }

    /**
     * Whether the heap grew by a burst that is over: cheap (two reads of the runtime's counters), for an
     * event loop; the collection itself is {@link #collect}'s, on a worker.
     */
    boolean due() {
        long held = committed.getAsLong();
        if (held < settled + GROWTH_BYTES || used.getAsLong() > held / 3) {
            // not grown, or still in use: a collection now would give little back, or be taken again
            settled = Math.min(settled, held);
            return false;
        }
        return true;
    }

    /** One full collection; the heap it leaves is the new baseline. */
    void collect() {
        long held = committed.getAsLong();
        collect.run();
        settled = committed.getAsLong();
        LOG.fine(() -> "heap after a burst: " + (held >> 20) + " -> " + (settled >> 20) + " MiB");
    }

    /** Collects when the heap grew by a burst that is over; true when it did. */
    boolean check() {
        if (!due()) {
            return false;
        }
        collect();
        return true;
    }
}
