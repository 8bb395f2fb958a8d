package io.jpm.web;

import io.vertx.core.Vertx;

/**
 * How late the HTTP server's event loop runs a timer: a 100 ms periodic timer notes how much later
 * than due each tick comes. A blocked loop (the daemon's event loops are shared by every verticle on
 * them) shows as lag. Reported as the worst over the last window, so a scrape every 15 s sees a
 * stall that happened between two scrapes.
 *
 * <p>The timer runs only while someone scrapes: from a scrape until {@link #WATCHED_MS} after the
 * last one (a scraper each minute, Prometheus's default, keeps it going). Ten wake-ups a second of a
 * daemon nobody scrapes were most of its idle CPU once the HTTP door was on; the first scrape after
 * a quiet spell reports no lag, as nothing was measured.
 *
 * <p>Not thread-safe: the HTTP server's context only (its timer and its scrapes).
 */
final class LoopLag {
    static final long TICK_MS = 100;
    private static final long WINDOW_NANOS = 15_000_000_000L;
    /** Two minutes: longer than the slowest usual scrape interval (Prometheus's default, a minute). */
    static final long WATCHED_MS = 120_000;

    private final Vertx vertx;
    private final long tickMs;
    private final long watchedNanos;
    /** The timer, -1 while nobody scrapes. */
    private long timer = -1;

    private long due;
    private long worstNanos;
    private long previousWorstNanos;
    private long windowStart;
    private long lastScrape;

    LoopLag(Vertx vertx) {
        this(vertx, TICK_MS, WATCHED_MS);
    }

    LoopLag(Vertx vertx, long tickMs, long watchedMs) {
        this.vertx = vertx;
        this.tickMs = tickMs;
        this.watchedNanos = watchedMs * 1_000_000;
    }

    /** At a scrape: the worst lag seen over this window and the last one, in seconds; the timer runs from now on. */
    double worstSeconds() {
        long now = System.nanoTime();
        lastScrape = now;
        if (timer < 0) {
            due = now + tickMs * 1_000_000;
            windowStart = now;
            worstNanos = 0;
            previousWorstNanos = 0;
            timer = vertx.setPeriodic(tickMs, t -> tick());
        }
        return Math.max(worstNanos, previousWorstNanos) / 1e9;
    }

    /** Whether the timer runs. */
    boolean running() {
        return timer >= 0;
    }

    private void tick() {
        long now = System.nanoTime();
        worstNanos = Math.max(worstNanos, Math.max(0, now - due));
        due = now + tickMs * 1_000_000;
        if (now - windowStart > WINDOW_NANOS) {
            previousWorstNanos = worstNanos;
            worstNanos = 0;
            windowStart = now;
        }
        if (now - lastScrape > watchedNanos) {
            stop(); // nobody scrapes any more
        }
    }

    void stop() {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }
}
