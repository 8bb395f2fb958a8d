package io.jpm.god;

/**
 * An instance's restart counters: pm2's restart_time and unstable_restarts, and what the restart
 * policy decides errored and the next backoff from. Part of {@link Instance}; God's event loop only.
 */
final class RestartCounters {
    /** pm2's restart_time: every restart of a running instance, automatic or asked. */
    private int restarts;
    /** pm2's unstable_restarts: exits before min_uptime, in all. */
    private int unstableRestarts;
    /** Unstable exits in a row; a stable run resets it. Decides errored. */
    private int consecutiveUnstable;

    private long lastBackoffMs;
    /**
     * When the last unexpected exits happened (epoch ms, a ring): how a crash loop is told from a
     * long life with a few crashes, whether or not its runs last past min_uptime.
     */
    private final long[] exitTimes = new long[RECENT_EXITS];

    private int exitsSeen;

    /** How many exit times are kept: a page that says "crash loop" needs a few, not a history. */
    static final int RECENT_EXITS = 10;

    /** A reload's new run, as pm2 counts it: restart_time + 1, the unstable count and backoff reset. */
    RestartCounters nextRun() {
        RestartCounters next = new RestartCounters();
        next.restarts = restarts + 1;
        return next;
    }

    /** An adopted run's counts, as the daemon that spawned it had them. */
    void restore(int restartCount, int unstableCount, int unstableInARow, long backoffMs) {
        restarts = restartCount;
        unstableRestarts = unstableCount;
        consecutiveUnstable = unstableInARow;
        lastBackoffMs = backoffMs;
    }

    int restarts() {
        return restarts;
    }

    int unstableRestarts() {
        return unstableRestarts;
    }

    int consecutiveUnstable() {
        return consecutiveUnstable;
    }

    long lastBackoffMs() {
        return lastBackoffMs;
    }

    /** Unexpected exits since {@code since} (epoch ms), at most {@link #RECENT_EXITS}. */
    int exitsSince(long since) {
        int n = 0;
        for (int i = 0; i < Math.min(exitsSeen, RECENT_EXITS); i++) {
            if (exitTimes[i] >= since) {
                n++;
            }
        }
        return n;
    }

    /** An exit before min_uptime (unstable) or after it, at {@code now}, for the restart policy. */
    void countExit(boolean unstable, long now) {
        exitTimes[exitsSeen++ % RECENT_EXITS] = now;
        if (unstable) {
            unstableRestarts++;
            consecutiveUnstable++;
        } else {
            consecutiveUnstable = 0;
        }
    }

    void backoff(long ms) {
        lastBackoffMs = ms;
    }

    /** One more restart in pm2's restart_time. */
    void countRestart() {
        restarts++;
    }

    /** Out of errored (Satan's retry): a fresh count of unstable exits in a row, no backoff. */
    void startOver() {
        consecutiveUnstable = 0;
        lastBackoffMs = 0;
    }

    /** pm2's reset: the restart counters back to 0. */
    void reset() {
        restarts = 0;
        unstableRestarts = 0;
        exitsSeen = 0;
        startOver();
    }
}
