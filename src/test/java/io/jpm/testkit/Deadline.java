package io.jpm.testkit;

import java.time.Duration;

/**
 * When a wait gives up: for a loop that blocks on a read with a timeout (a bridge frame, a queue),
 * which {@link Eventually} does not fit because each read already waits.
 */
public final class Deadline {
    private final Duration timeout;
    private final long at;

    private Deadline(Duration timeout) {
        this.timeout = timeout;
        this.at = System.nanoTime() + timeout.toNanos();
    }

    public static Deadline in(Duration timeout) {
        return new Deadline(timeout);
    }

    public boolean passed() {
        return System.nanoTime() - at > 0;
    }

    /** What is left, in whole milliseconds and at least 1 (a socket timeout of 0 waits forever). */
    public int remainingMillis() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, (at - System.nanoTime()) / 1_000_000));
    }

    public Duration timeout() {
        return timeout;
    }
}
