package io.jpm.launcher;

import com.sun.jna.Memory;
import com.sun.jna.Native;

/**
 * A periodic tick on a pump's thread (a timerfd in its epoll set), which ticks only while it is
 * started: an idle pump is woken by nothing of it. Not thread-safe: its owner synchronizes.
 */
final class PumpClock {
    private final PipePump pump;
    private final long periodNanos;
    private final Runnable tick;
    private final long token = PipePump.token();
    private final byte[] expirations = new byte[8];
    private int fd = -1;
    private boolean running;

    PumpClock(PipePump pump, long periodNanos, Runnable tick) {
        this.pump = pump;
        this.periodNanos = periodNanos;
        this.tick = tick;
    }

    boolean running() {
        return running;
    }

    /** Ticks every period from now on (no-op when it already does). */
    void start() {
        if (running) {
            return;
        }
        if (fd < 0) {
            fd = LibC.timerfd_create(LibC.CLOCK_MONOTONIC, LibC.TFD_NONBLOCK | LibC.TFD_CLOEXEC);
            if (fd < 0) {
                throw new IllegalStateException("timerfd_create: " + LibC.strerror(Native.getLastError()));
            }
            pump.watch(fd, Epoll.EPOLLIN, token, events -> {
                LibC.read(fd, expirations, 8);
                tick.run();
            });
        }
        set(periodNanos);
        running = true;
    }

    /** Ticks no more until {@link #start}. */
    void stop() {
        if (running) {
            set(0);
            running = false;
        }
    }

    private void set(long nanos) {
        Memory spec = new Memory(32); // struct itimerspec: interval, then first expiry
        long seconds = nanos / 1_000_000_000L;
        long rest = nanos % 1_000_000_000L;
        spec.setLong(0, seconds);
        spec.setLong(8, rest);
        spec.setLong(16, seconds);
        spec.setLong(24, rest);
        if (LibC.timerfd_settime(fd, 0, spec, null) != 0) {
            throw new IllegalStateException("timerfd_settime: " + LibC.strerror(Native.getLastError()));
        }
    }
}
