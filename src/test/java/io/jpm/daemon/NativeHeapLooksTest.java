package io.jpm.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.Addresses;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
    /** Looks at which the compiler threads have worked since the one before: tests say the JIT compiled so. */
    private final AtomicInteger compilingLooks = new AtomicInteger();

    private final AtomicLong code = new AtomicLong(1000);
    private final AtomicInteger trims = new AtomicInteger();

    /** The compiler threads' ns between two looks while the JIT compiles: a burst's, or an idle daemon's trickle. */
    private volatile long compiledPerLook = NativeHeapTrim.COMPILE_SIGN_NANOS;

    private long code() {
        return compilingLooks.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? code.addAndGet(compiledPerLook) : code.get();
    }

    private NativeHeapTrim started() {
        Context context = vertx.getOrCreateContext();
        HeapReturn heap = new HeapReturn(() -> 16L << 20, () -> 8L << 20, () -> 0L, () -> 0L, () -> collections[0]++);
        NativeHeapTrim trim = new NativeHeapTrim(
                vertx,
                context,
                heap,
                INTERVAL_MS,
                INTERVAL_MS * 3,
                null,
                () -> 60L << 20,
                trims::incrementAndGet,
                this::code);
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

    @Test
    void looksGoOnWhileTheJitCompilesAfterASign() throws Exception {
        NativeHeapTrim trim = started();
        long before = settled(trim);
        compilingLooks.set(3);
        vertx.eventBus().publish(Addresses.EVENTS_PROCESS, new JsonObject().put("to", "online"));
        long after = settled(trim);
        assertEquals(before + 4, after, "the event's look, two more while compiling, one that saw it stop");
    }

    @Test
    void aJitThatNeverStopsIsLookedAtBoundedly() throws Exception {
        NativeHeapTrim trim = started();
        long before = settled(trim);
        compilingLooks.set(Integer.MAX_VALUE);
        vertx.eventBus().publish(Addresses.EVENTS_PROCESS, new JsonObject().put("to", "online"));
        long after = settled(trim);
        assertEquals(before + 1 + NativeHeapTrim.JIT_LOOKS, after, "the event's look and the JIT's");
    }

    @Test
    void whatTheJitFreedIsTrimmedThoughTheRssDidNotGrow() throws Exception {
        NativeHeapTrim trim = started();
        settled(trim);
        int before = trims.get();
        vertx.eventBus().publish(Addresses.EVENTS_PROCESS, new JsonObject().put("to", "online"));
        settled(trim);
        assertEquals(before, trims.get(), "nothing grew, nothing compiled: no trim");
        compilingLooks.set(2);
        vertx.eventBus().publish(Addresses.EVENTS_PROCESS, new JsonObject().put("to", "online"));
        settled(trim);
        assertEquals(before + 2, trims.get(), "a trim at each look that saw new code, none after");
    }

    /** An idle daemon with apps compiles a method now and then: no look and no trim for each. */
    @Test
    void aTrickleOfCompilesIsNoSign() throws Exception {
        NativeHeapTrim trim = started();
        long before = settled(trim);
        int trimsBefore = trims.get();
        compiledPerLook = 400_000; // 0.4 ms: a method or two
        compilingLooks.set(3);
        vertx.eventBus().publish(Addresses.EVENTS_PROCESS, new JsonObject().put("to", "online"));
        assertEquals(before + 1, settled(trim), "the event's look only");
        assertEquals(trimsBefore, trims.get(), "0.4 ms of compiles: no trim");
    }
}
