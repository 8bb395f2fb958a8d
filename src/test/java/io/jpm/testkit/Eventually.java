package io.jpm.testkit;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Polling with a deadline, for a state nothing announces (a process table, /proc, a file): the
 * probe is asked again and again until it answers, and the wait fails naming what it awaited.
 * The pause between two probes starts at 1 ms and doubles up to 50 ms, so a quick answer is seen at
 * once and a slow probe (a CLI call) is not asked more than needed.
 */
public final class Eventually {
    public static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final long FIRST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long LONGEST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private Eventually() {}

    /** Polls {@code probe} until it returns non-null, and returns that; fails after 30 s naming {@code what}. */
    public static <T> T await(String what, Supplier<T> probe) {
        return await(what, TIMEOUT, probe);
    }

    /** Polls {@code probe} until it returns non-null, and returns that; fails after {@code timeout} naming {@code what}. */
    public static <T> T await(String what, Duration timeout, Supplier<T> probe) {
        return await(() -> what, timeout, probe);
    }

    /** As {@link #await(String, Duration, Supplier)}, {@code what} told at the failure (with the state last seen, say). */
    public static <T> T await(Supplier<String> what, Duration timeout, Supplier<T> probe) {
        Deadline deadline = Deadline.in(timeout);
        long pause = FIRST_PAUSE_NANOS;
        while (true) {
            T value = probe.get();
            if (value != null) {
                return value;
            }
            if (deadline.passed()) {
                throw new AssertionError("timed out after " + describe(timeout) + " waiting for " + what.get());
            }
            pause(pause);
            pause = Math.min(2 * pause, LONGEST_PAUSE_NANOS);
        }
    }

    /** Polls {@code condition} until it holds; fails after 30 s naming {@code what}. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, TIMEOUT, condition);
    }

    /** Polls {@code condition} until it holds; fails after {@code timeout} naming {@code what}. */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(() -> what, timeout, condition);
    }

    /** As {@link #until(String, Duration, BooleanSupplier)}, {@code what} told at the failure. */
    public static void until(Supplier<String> what, Duration timeout, BooleanSupplier condition) {
        await(what, timeout, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }

    private static String describe(Duration timeout) {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }

    /** The interval between two probes, never a wait for a state by itself. */
    private static void pause(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while polling", e);
        }
    }
}
