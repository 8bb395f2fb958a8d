package io.jpm.daemon;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Gives the heap a burst left behind back to the system: at most every {@link #CHECK_MS} (on {@link NativeHeapTrim}'s
 * looks, which trim glibc's heap after it, and go on while {@link #unsettled}), when the heap the JVM holds has grown by
 * {@link #GROWTH_BYTES} since the last return (the first: once the start is over), or its old
 * generation took in as much since its last collection, or {@link #DELETED_BURST} instances were
 * deleted, and none of these grew
 * since the look before (the burst is over), one full collection, after which the serial collector
 * shrinks the heap to what is live, never below its initial size ({@link #floor}): a heap within
 * {@link #GROWTH_BYTES} of that has nothing to give back, and is not collected whatever the signs.
 *
 * <p>Why: the serial collector sizes its heap at full collections only, and an idle daemon has none.
 * A start, restart or jlist of 1,000 apps grows the heap by tens of MiB that stayed resident after
 * the apps were deleted (docs/BENCHMARKS.md); the live heap is then ~8 MiB. pm2's daemon keeps what
 * it grew (reported to pm2 as #6113): a daemon that lives for months should not. The heap's use cannot say
 * whether the burst is over: what it counts as used holds the burst's garbage until a full
 * collection (an old generation 79 % "used" after `delete all`, all of it dead), so the sign is that
 * the heap stopped growing. The cost is one collection of a small heap (~10-30 ms, on a worker) after
 * a burst, and for a daemon whose working set really is larger, one more each time it grows back by
 * {@link #GROWTH_BYTES}.
 */
public final class HeapReturn {
    private static final Logger LOG = Logger.getLogger(HeapReturn.class.getName());

    /**
     * Between two looks at the heap: a burst is over when one look saw no growth since the one before,
     * so its heap comes back 10-20 s after it ends (1,000 apps deleted: 10 s after, by hand); a 1,000-app
     * start's events come closer than this all along, so it stays one burst.
     */
    static final long CHECK_MS = 10_000;
    /** Growth below this is the ordinary breathing of an idle daemon, not a burst. */
    static final long GROWTH_BYTES = 8L << 20;
    /**
     * Instances deleted since the last return that make a burst: their objects die where they are,
     * in an old generation that need not grow (1,000 apps leave ~20 MiB there).
     */
    static final int DELETED_BURST = 100;
    /**
     * What the daemon's threads allocate between two looks that says it is busy, whatever its heap
     * did: a full collection then stops every request the balancer relays (a clustered daemon's heap,
     * Hazelcast's with it: 100-165 ms on a loaded machine, bench/fleet.sh with JFR), and a burst of
     * traffic that began after the last look has not grown the heap yet. Idle with 200 apps a daemon
     * allocates ~40 KB/s (JFR), a front relaying HTTP ~50 MB/s, a member relaying a third of it for
     * another front a few MB/s: a look follows the one before by {@link #CHECK_MS} or more, so this is
     * at most 400 KB/s. A daemon that stays this busy keeps its heap: its heap is in use.
     */
    static final long BUSY_BYTES = 4L << 20;

    private final LongSupplier committed;
    private final LongSupplier used;
    /** What the old generation gained since its last full collection: promotions, live or not. */
    private final LongSupplier promoted;

    private final Runnable collect;
    /** What the JVM's threads allocated since it started (an approximation; dead threads' included). */
    private final LongSupplier allocated;
    /** {@link #allocated} at the last look, or when this was made. */
    private long lastAllocated;
    /**
     * The heap held when this was made (the JVM's initial heap, or near it), or less after a return: the
     * serial collector shrinks each generation to no less than its initial size. A 200-app start grows
     * the daemon's heap from 14 to 16 MiB and promotes 8 MiB of garbage: collecting it cost 10 ms and
     * gave back nothing (the heap stayed at 16 MiB, the RSS moved by 0.3 MiB, by hand), in what is
     * otherwise an idle minute.
     */
    private long floor;
    /**
     * The heap held right after the last return; 0 until the first, which the daemon's start makes
     * due: the start leaves tens of MiB of garbage, and what is live after it is the baseline a
     * burst is measured from (the heap held at start is not: it holds the start's garbage).
     */
    private long settled;
    /**
     * Whether the start's return was made: it is made whatever the heap's size (a start that left less
     * than {@link #GROWTH_BYTES} was no burst by the rule below, and its garbage, Vert.x's dropped
     * Cleaner among it, whose thread ends only once it is collected, stayed for good).
     */
    private boolean startReturned;
    /** The heap held at the last look. */
    private long lastSeen;
    /** The old generation's gain at the last look; -1 before the first. */
    private long lastPromoted = -1;
    /** Instances deleted since the last return (process events, counted on an event loop). */
    private final AtomicInteger deleted = new AtomicInteger();
    /** The count at the last look. */
    private int lastDeleted;

    HeapReturn(
            LongSupplier committed,
            LongSupplier used,
            LongSupplier promoted,
            LongSupplier allocated,
            Runnable collect) {
        this.committed = committed;
        this.allocated = allocated;
        this.lastAllocated = allocated.getAsLong();
        this.used = used;
        this.promoted = promoted;
        this.collect = collect;
        this.lastSeen = committed.getAsLong();
        this.floor = lastSeen;
    }

    /**
     * The daemon's own heap (Runtime; what its old generation took in since the last full collection,
     * from {@code collections}), collected by System.gc(). Made early in the daemon's start, before any
     * app: the heap it holds then is the JVM's initial one, or near it.
     */
    static HeapReturn ofThisJvm(CollectionWatch collections) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        return new HeapReturn(
                Runtime.getRuntime()::totalMemory,
                collections::inUse,
                collections::promotedSinceFull,
                threads::getTotalThreadAllocatedBytes,
                () -> {
                    System.gc();
                    collections.fullCollected();
                });
    }

    /**
     * Whether the heap grew by a burst that is over: cheap (two reads of the runtime's counters), for an
     * event loop; the collection itself is {@link #collect}'s, on a worker.
     */
    boolean due() {
        long held = committed.getAsLong();
        long gained = promoted.getAsLong();
        int gone = deleted.get();
        long made = allocated.getAsLong();
        boolean busy = made - lastAllocated >= BUSY_BYTES;
        boolean growing = held > lastSeen || (lastPromoted >= 0 && gained > lastPromoted) || gone > lastDeleted || busy;
        lastAllocated = made;
        lastSeen = held;
        lastPromoted = gained;
        lastDeleted = gone;
        if (!burst(held, gained, gone) || growing) {
            // nothing to give back, or still growing or busy: a collection now would be taken again
            settled = Math.min(settled, held);
            return false;
        }
        return true;
    }

    /**
     * Whether a burst is waiting for its return (the start's, a grown heap or old generation, many apps
     * deleted): the heap is to be looked at again. Cheap, as {@link #due}.
     */
    boolean unsettled() {
        return burst(committed.getAsLong(), promoted.getAsLong(), deleted.get());
    }

    /**
     * The start's garbage, or a burst a collection can give back: the heap grew, the old generation
     * took in that much since its last collection, or many apps were deleted (their objects die in the
     * old generation, which need not grow), and the heap holds {@link #GROWTH_BYTES} or more above its floor.
     */
    private boolean burst(long held, long gained, int gone) {
        if (!startReturned) {
            return true;
        }
        return held >= floor + GROWTH_BYTES
                && (held >= settled + GROWTH_BYTES || gained >= GROWTH_BYTES || gone >= DELETED_BURST);
    }

    /** One full collection; the heap it leaves is the new baseline. */
    void collect() {
        long held = committed.getAsLong();
        long inUse = used.getAsLong();
        collect.run();
        startReturned = true;
        settled = committed.getAsLong();
        floor = Math.min(floor, settled);
        lastSeen = settled;
        lastPromoted = promoted.getAsLong();
        deleted.addAndGet(-lastDeleted);
        lastDeleted = 0;
        LOG.fine(() -> "heap after a burst: " + (held >> 20) + " MiB (" + (inUse >> 20) + " used) -> " + (settled >> 20)
                + " MiB");
    }

    /**
     * The heap held and what its old generation took in since its last collection: what grows when the
     * daemon does. Cheap, for the collectors' notifications.
     */
    long footprint() {
        return committed.getAsLong() + Math.max(0, promoted.getAsLong());
    }

    /** An instance left the process table. */
    void instanceDeleted() {
        deleted.incrementAndGet();
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
