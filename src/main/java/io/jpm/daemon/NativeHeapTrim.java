package io.jpm.daemon;

import io.jpm.internals.VertxInternals;
import io.jpm.launcher.NativeHeap;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.ProcessEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Gives the native memory glibc keeps after a burst back to the system (malloc_trim), as the JVM's
 * {@code -XX:TrimNativeHeapInterval} did, without its thread: a look on a worker reads the daemon's
 * RSS from /proc/self/statm (microseconds; a /proc read, so never on an event loop), and only when it
 * grew by {@link #GROWTH_BYTES} since the last trim does it trim (0.4-10 ms measured here with 1,000
 * apps, 7-22 MB given back each time while they started). The same looks check the Java heap every
 * {@link HeapReturn#CHECK_MS} at most ({@link HeapReturn}): a collection after a burst, then a trim of what it
 * freed.
 *
 * <p>Looks are planned by what can grow the daemon's memory, not by a clock: a garbage collection (the
 * sign that the daemon allocated, whatever for: a command, a jlist, a log burst) or a process event
 * plans one {@link #INTERVAL_MS} later, and looks go on every {@link #INTERVAL_MS} while a burst is not
 * given back yet. An idle daemon allocates next to nothing, so it looks at nothing: a look every 5 s
 * used to start a worker thread each time (its pool ends idle threads after 3 s), 12 threads and
 * ~3 ticks of CPU a minute for a daemon doing nothing.
 *
 * <p>The JIT is a sign too, and a late one: a burst's hot code is compiled seconds after the burst,
 * when its events are over, and C2's arenas leave 15-33 MiB free but resident in glibc's heap (the
 * 50-app burst of bench/foundation.sh: RSS 94-111 MiB, 78-79 after {@code jcmd
 * System.trim_native_heap}). So a look that sees the compiler threads worked {@link #COMPILE_SIGN_NANOS}
 * since the one before ({@link CompilerWork}) plans another, at most {@link #JIT_LOOKS} in a row: the
 * last of them trims what the compiles left.
 *
 * <p>Signs of growth only, not of activity: an idle daemon with apps still collects (each of Satan's
 * samples allocates) and still compiles a method now and then (a sample's code crossing C1's
 * threshold), and a look planned by each of those woke a loop and a worker, and trimmed, several
 * times a minute (200 idle apps, by hand) for memory that had not grown.
 */
final class NativeHeapTrim {
    private static final Logger LOG = Logger.getLogger("jpm.daemon");
    /** As the JVM's flag was set: how soon after a sign of growth a look comes, and how often while unsettled. */
    static final long INTERVAL_MS = 5000;
    /** Below this, a trim would give back less than the JVM's own growth between two looks. */
    static final long GROWTH_BYTES = 1024 * 1024;
    /** Looks in a row planned by the JIT alone: a minute, more than a burst's compiles take here. */
    static final int JIT_LOOKS = 12;
    /**
     * The compiler threads' CPU time since a look or a trim that makes the JIT a sign: a burst's compiles
     * take seconds of it, an idle daemon's occasional method well under a millisecond (C1 compiles
     * ~64 KiB of code, the sign this replaced, in ~10-20 ms).
     */
    static final long COMPILE_SIGN_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Vertx vertx;
    private final long intervalMs;
    private final long heapCheckMs;
    /* The context's only. */
    /** A look is planned or under way: signs of growth meanwhile are covered by it. */
    private boolean planned;
    /** Looks done, for tests. */
    private long looks;
    /** Looks in a row planned because the JIT compiled, since the last sign of growth. */
    private int jitLooks;

    /* The rest is the looks' only: one at a time, each on a worker. */
    /** RSS after the last trim (0: none yet, the first look after start trims). */
    private volatile long trimmedAt;
    /** A heap return ran: the next look trims whatever the RSS did. */
    private volatile boolean trimAfterReturn;
    /** System.nanoTime() of the last heap check; 0: none yet. */
    private volatile long heapCheckedAt;
    /** Whether the collections tell {@link #plan} (set up by the first look). */
    private volatile boolean listening;
    /** The heap's footprint ({@link HeapReturn#footprint}) at the last look. */
    private volatile long heapAtLastLook;
    /** The compiler threads' CPU time at the last look: what the JIT compiled in between adds to it. */
    private volatile long codeAtLastLook;
    /** The compiler threads' CPU time at the last trim. */
    private volatile long codeAtLastTrim;

    private final HeapReturn heap;
    private final Context context;
    /** The daemon's RSS (-1: not known, no trim), and glibc's trim. */
    private final LongSupplier rss;

    private final Runnable trim;
    /** The compiler threads' CPU time so far, in ns (-1: not known). */
    private final LongSupplier code;
    /** The collections, told from the first look on (null: none told, as in tests). */
    private final CollectionWatch collections;

    NativeHeapTrim(
            Vertx vertx,
            Context context,
            HeapReturn heap,
            long intervalMs,
            long heapCheckMs,
            CollectionWatch collections,
            LongSupplier rss,
            Runnable trim,
            LongSupplier code) {
        this.rss = rss;
        this.code = code;
        this.trim = trim;
        this.vertx = vertx;
        this.collections = collections;
        this.context = context;
        this.heap = heap;
        this.intervalMs = intervalMs;
        this.heapCheckMs = heapCheckMs;
    }

    /** Starts with the start's own look (on a context of its own); no native trim without /proc or glibc. */
    static void start(Vertx vertx) {
        Context context = vertx.getOrCreateContext();
        CollectionWatch collections = CollectionWatch.ofThisJvm(VertxInternals.cleaner(vertx));
        NativeHeapTrim trim = new NativeHeapTrim(
                vertx,
                context,
                HeapReturn.ofThisJvm(collections),
                INTERVAL_MS,
                HeapReturn.CHECK_MS,
                collections,
                () -> NativeHeap.available() ? NativeHeap.rss() : -1,
                NativeHeap::trim,
                new CompilerWork()::nanos);
        context.runOnContext(v -> trim.listenToProcessEvents());
    }

    void listenToProcessEvents() {
        vertx.eventBus().<JsonObject>localConsumer(Addresses.EVENTS_PROCESS, m -> {
            if (ProcessEvent.DELETED.equals(m.body().getString("to"))) {
                heap.instanceDeleted();
            }
            plan();
        });
        plan();
    }

    /** Something may have grown the daemon's memory: a look {@link #intervalMs} from now, unless one is planned. */
    void plan() {
        jitLooks = 0;
        planLook();
    }

    private void planLook() {
        if (planned) {
            return;
        }
        planned = true;
        vertx.setTimer(intervalMs, t -> vertx.executeBlocking(this::look, false).onComplete(ar -> {
            planned = false;
            looks++;
            if (ar.failed()) {
                LOG.fine(() -> "giving memory back failed: " + ar.cause());
            } else if (ar.result() == Next.LOOK) {
                planLook();
            } else if (ar.result() == Next.IF_COMPILING && jitLooks++ < JIT_LOOKS) {
                planLook();
            }
        }));
    }

    /** What a look asks for: another one, another one only while the JIT compiles, or none. */
    private enum Next {
        LOOK,
        IF_COMPILING,
        NONE
    }

    long looks() {
        return looks;
    }

    /** On a worker: what comes next, another look (memory not settled yet), one while the JIT compiles, or none. */
    private Next look() {
        long codeNow = code.getAsLong();
        boolean compiled = codeNow >= codeAtLastLook + COMPILE_SIGN_NANOS;
        if (compiled || codeNow < codeAtLastLook) {
            codeAtLastLook = codeNow; // what a trickle of compiles adds up to is a sign too
        }
        return lookAtMemory(codeNow) ? Next.LOOK : compiled ? Next.IF_COMPILING : Next.NONE;
    }

    /** Whether memory is not settled yet: trims and returns the heap when due. */
    private boolean lookAtMemory(long codeNow) {
        listenToCollections();
        long now = System.nanoTime();
        boolean heapDue = heapCheckedAt == 0 || now - heapCheckedAt >= heapCheckMs * 1_000_000;
        boolean heapReturnDue = false;
        if (heapDue) {
            heapCheckedAt = now;
            heapReturnDue = heap.due();
        }
        long rssNow = rss.getAsLong();
        boolean glibc = rssNow >= 0;
        // after a heap return the next look trims too: what the collection freed outside the heap
        // (direct buffers, which a cleaner thread frees after it) is released by then
        boolean trimDue = glibc && (trimAfterReturn || due(rssNow, trimmedAt));
        // a compile frees its arenas when it ends, often after the trim that saw them in use: the RSS
        // did not grow since, yet 15-33 MiB were free (a 50-app burst, by hand)
        boolean compiledSinceTrim = glibc && codeNow >= codeAtLastTrim + COMPILE_SIGN_NANOS;
        boolean returned = trimAfterReturn;
        trimAfterReturn = false;
        if (heapReturnDue) {
            heap.collect();
            trimAfterReturn = true;
        }
        if (trimDue || compiledSinceTrim || heapReturnDue && glibc) {
            trim.run();
            long after = rss.getAsLong();
            trimmedAt = after > 0 ? after : rssNow;
            codeAtLastTrim = codeNow;
        }
        heapAtLastLook = heap.footprint(); // after a return: growth is counted from what it left
        // a trim of growth says a burst may go on; a return is followed by its trim; a heap burst
        // waits for its return
        return trimDue && !returned || heapReturnDue || heap.unsettled();
    }

    /**
     * A collection that left the heap larger than the last look saw it plans a look: the daemon grew.
     * Set up by the first look, not at the start.
     */
    private void listenToCollections() {
        if (listening || collections == null) {
            return;
        }
        listening = true;
        collections.onCollection(() -> {
            if (heap.footprint() >= heapAtLastLook + GROWTH_BYTES) {
                context.runOnContext(v -> plan());
            }
        });
    }

    /** Whether a trim is due at {@code rss}, the last one having left {@code trimmedAt} (0: none yet). */
    static boolean due(long rss, long trimmedAt) {
        return rss >= 0 && (trimmedAt == 0 || rss >= trimmedAt + GROWTH_BYTES);
    }
}
