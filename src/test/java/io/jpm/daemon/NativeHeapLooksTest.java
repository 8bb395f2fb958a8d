package io.jpm.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.Addresses;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * When the daemon looks at its memory: after its start until the start's garbage is given back, then
 * only after a sign of growth (a process event, a collection), never on a clock while nothing happens.
 */
class NativeHeapLooksTest {
    private static final long INTERVAL_MS = 40;
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    /** A heap and an RSS that never grow (this JVM's own grow with other tests); collections counted. */
    private final long[] collections = {0};

    private NativeHeapTrim started() {
        Context context = vertx.getOrCreateContext();
        HeapReturn heap = new HeapReturn(() -> 16L << 20, () -> 8L << 20, () -> 0L, () -> collections[0]++);
        NativeHeapTrim trim = new NativeHeapTrim(
                vertx, context, heap, INTERVAL_MS, INTERVAL_MS * 3, false, () -> 60L << 20, () -> {});
        context.runOnContext(v -> trim.listenToProcessEvents());
        return trim;
    }

    private long looks(NativeHeapTrim trim) throws Exception {
        CompletableFuture<Long> looks = new CompletableFuture<>();
        vertx.runOnContext(v -> looks.complete(trim.looks()));
        return looks.get(5, TimeUnit.SECONDS);
    }

    /** Polls until the looks stop: the same count over ten intervals. */
    private long settled(NativeHeapTrim trim) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long seen = -1;
        while (System.nanoTime() < deadline) {
            long now = looks(trim);
            if (now == seen && collections[0] > 0) {
                return now;
            }
            seen = now;
            // the span over which an unsettled heap would have been looked at again, ten times over
            TimeUnit.MILLISECONDS.sleep(INTERVAL_MS * 10);
        }
        throw new AssertionError("the looks did not stop: " + seen);
    }

    @Test
    void anIdleDaemonStopsLookingOnceTheStartIsGivenBack() throws Exception {
        NativeHeapTrim trim = started();
        long afterStart = settled(trim);
        assertTrue(afterStart >= 2, "the start's looks: " + afterStart);
        assertEquals(1, collections[0], "the start's garbage, given back once");
        // not a wait for a state: the measure is what happens over a time with nothing going on
        TimeUnit.MILLISECONDS.sleep(INTERVAL_MS * 25);
        assertEquals(afterStart, looks(trim), "looked with nothing going on");
    }

    @Test
    void aProcessEventPlansOneLook() throws Exception {
        NativeHeapTrim trim = started();
        long before = settled(trim);
        vertx.eventBus().publish(Addresses.EVENTS_PROCESS, new JsonObject().put("to", "online"));
        vertx.eventBus().publish(Addresses.EVENTS_PROCESS, new JsonObject().put("to", "online"));
        long after = settled(trim);
        assertEquals(before + 1, after, "two events at once: one look");
    }
}
