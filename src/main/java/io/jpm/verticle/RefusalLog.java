package io.jpm.verticle;

import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * A door's refusals in the daemon log, at most {@link #LINES_PER_WINDOW} lines every
 * {@link #WINDOW_MS}; the rest are counted and told in one line when the next window opens. A
 * local user refusing connections by the thousand a second would otherwise spend the daemon's
 * time on writing daemon.log, and fill the disk with it. A door's event loops share one.
 */
public final class RefusalLog {
    static final int LINES_PER_WINDOW = 20;
    static final long WINDOW_MS = 10_000;

    private final Logger log;
    private final String door;
    private final LongSupplier clock;
    private long windowStart = Long.MIN_VALUE;
    private int lines;
    private long unlogged;

    public RefusalLog(Logger log, String door) {
        this(log, door, System::currentTimeMillis);
    }

    RefusalLog(Logger log, String door, LongSupplier clock) {
        this.log = log;
        this.door = door;
        this.clock = clock;
    }

    /** Logs the line (a warning) unless this window has had its share; then it is only counted. */
    public synchronized void refused(Supplier<String> line) {
        long now = clock.getAsLong();
        if (windowStart == Long.MIN_VALUE || now - windowStart >= WINDOW_MS) {
            if (unlogged > 0) {
                long n = unlogged;
                log.warning(() -> door + ": " + n + " more refusals not logged in " + WINDOW_MS / 1000 + " s");
            }
            windowStart = now;
            lines = 0;
            unlogged = 0;
        }
        if (lines < LINES_PER_WINDOW) {
            lines++;
            log.warning(line);
        } else {
            unlogged++;
        }
    }
}
