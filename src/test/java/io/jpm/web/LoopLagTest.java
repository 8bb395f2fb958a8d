package io.jpm.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The lag timer runs from a scrape until a while after the last one, and measures a blocked loop. */
class LoopLagTest {
    private final Vertx vertx = Vertx.vertx();
    private final Context context = vertx.getOrCreateContext();

    @AfterEach
    void close() {
        vertx.close().await();
    }

    private <T> T on(Supplier<T> what) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        context.runOnContext(v -> result.complete(what.get()));
        return result.get(10, TimeUnit.SECONDS);
    }

    private void awaitStopped(LoopLag lag) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (on(lag::running) && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    @Test
    void noTimerUntilAScrapeAndNoneAWhileAfterTheLast() throws Exception {
        LoopLag lag = new LoopLag(vertx, 10, 300);
        assertFalse(on(lag::running), "nobody scraped: no timer");
        assertEquals(0.0, on(lag::worstSeconds), "the first scrape: nothing measured yet");
        assertTrue(on(lag::running));
        awaitStopped(lag);
        assertFalse(on(lag::running), "no scrape for the watched time: the timer stops");
    }

    @Test
    void aLoopHeldShowsAsLagAtTheNextScrape() throws Exception {
        LoopLag lag = new LoopLag(vertx, 10, 60_000);
        on(lag::worstSeconds);
        on(() -> {
            long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            while (System.nanoTime() < until) {
                Thread.onSpinWait(); // the loop held, as a blocking call would
            }
            return null;
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        double worst = 0;
        while (worst < 0.2 && System.nanoTime() < deadline) {
            worst = on(lag::worstSeconds);
        }
        assertTrue(worst >= 0.2, "held 300 ms, lag " + worst + " s");
        on(() -> {
            lag.stop();
            return null;
        });
    }
}
