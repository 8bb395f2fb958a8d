package io.jpm.web;

import io.vertx.core.Vertx;

/**
 * How late the HTTP server's event loop runs a timer: a 100 ms periodic timer notes how much later
 * than due each tick comes. A blocked loop (the daemon's event loops are shared by every verticle on
 * them) shows as lag. Reported as the worst over the last window, so a scrape every 15 s sees a
 * stall that happened between two scrapes.
 */
final class LoopLag {
    private static final long TICK_MS = 100;
    private static final long WINDOW_NANOS = 15_000_000_000L;

    private final Vertx vertx;
    private long timer;
    private long due;
    private long worstNanos;
    private long previousWorstNanos;
    private long windowStart;

    LoopLag(Vertx vertx) {
        this.vertx = vertx;
    }

    void start() {
        due = System.nanoTime() + TICK_MS * 1_000_000;
        windowStart = System.nanoTime();
        timer = vertx.setPeriodic(TICK_MS, t -> tick());
    }

    private void tick() {
        long now = System.nanoTime();
        worstNanos = Math.max(worstNanos, Math.max(0, now - due));
        due = now + TICK_MS * 1_000_000;
        if (now - windowStart > WINDOW_NANOS) {
            previousWorstNanos = worstNanos;
            worstNanos = 0;
            windowStart = now;
        }
    }

    /** The worst lag seen over this window and the last one, in seconds. */
    double worstSeconds() {
        return Math.max(worstNanos, previousWorstNanos) / 1e9;
    }

    void stop() {
        vertx.cancelTimer(timer);
    }
}
