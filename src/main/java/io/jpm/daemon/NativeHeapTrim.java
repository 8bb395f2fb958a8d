package io.jpm.daemon;

import io.jpm.launcher.NativeHeap;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.ProcessEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.logging.Logger;

/**
 * Gives the native memory glibc keeps after a burst back to the system (malloc_trim), as the JVM's
 * {@code -XX:TrimNativeHeapInterval} did, without its thread: every {@link #INTERVAL_MS} a worker
 * reads the daemon's RSS from /proc/self/statm (microseconds; a /proc read, so never on the event
 * loop whose timer asks for it), and only when it grew by {@link #GROWTH_BYTES} since the last trim
 * does it trim (0.4-10 ms measured here with 1,000 apps, 7-22 MB given back each time while they
 * started). An idle daemon's RSS does not grow, so it trims nothing; its worker ends 3 s after each
 * look (daemon.IdleEndingPools). The same look checks the Java heap every {@link HeapReturn#CHECK_MS}
 * ({@link HeapReturn}): a collection after a burst, then a trim of what it freed.
 */
final class NativeHeapTrim {
    private static final Logger LOG = Logger.getLogger("jpm.daemon");
    /** As the JVM's flag was set. */
    static final long INTERVAL_MS = 5000;
    /** Below this, a trim would give back less than the JVM's own growth between two looks. */
    static final long GROWTH_BYTES = 1024 * 1024;

    private final Vertx vertx;
    /** A look is under way on a worker: the timer's next one waits for the one after. Its loop's only. */
    private boolean looking;

    /* The rest is the looks' only: one at a time, each on a worker. */
    /** RSS after the last trim (0: none yet, the first look after start trims). */
    private volatile long trimmedAt;
    /** A heap return ran: the next look trims whatever the RSS did. */
    private volatile boolean trimAfterReturn;

    private final HeapReturn heap = HeapReturn.ofThisJvm();
    /** Looks so far: the heap is looked at every {@link HeapReturn#CHECK_MS}. */
    private volatile long looks;

    private NativeHeapTrim(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Starts looking (on a context of its own); no native trim on a system without /proc or glibc. */
    static void start(Vertx vertx) {
        NativeHeapTrim trim = new NativeHeapTrim(vertx);
        vertx.setPeriodic(INTERVAL_MS, t -> trim.lookOnAWorker());
        vertx.eventBus().<JsonObject>localConsumer(Addresses.EVENTS_PROCESS, m -> {
            if (ProcessEvent.DELETED.equals(m.body().getString("to"))) {
                trim.heap.instanceDeleted();
            }
        });
    }

    private void lookOnAWorker() {
        if (looking) {
            return;
        }
        looking = true;
        vertx.executeBlocking(
                        () -> {
                            look();
                            return null;
                        },
                        false)
                .onComplete(ar -> {
                    looking = false;
                    if (ar.failed()) {
                        LOG.fine(() -> "giving memory back failed: " + ar.cause());
                    }
                });
    }

    /** On a worker. */
    private void look() {
        boolean heapDue = ++looks % (HeapReturn.CHECK_MS / INTERVAL_MS) == 0 && heap.due();
        boolean glibc = NativeHeap.available();
        long rss = glibc ? NativeHeap.rss() : -1;
        // after a heap return the next look trims too: what the collection freed outside the heap
        // (direct buffers, which a cleaner thread frees after it) is released by then
        boolean trimDue = glibc && (trimAfterReturn || due(rss, trimmedAt));
        trimAfterReturn = false;
        if (!heapDue && !trimDue) {
            return;
        }
        if (heapDue) {
            heap.collect();
            trimAfterReturn = true;
        }
        if (glibc) {
            NativeHeap.trim();
            long after = NativeHeap.rss();
            trimmedAt = after > 0 ? after : rss;
        }
    }

    /** Whether a trim is due at {@code rss}, the last one having left {@code trimmedAt} (0: none yet). */
    static boolean due(long rss, long trimmedAt) {
        return rss >= 0 && (trimmedAt == 0 || rss >= trimmedAt + GROWTH_BYTES);
    }
}
