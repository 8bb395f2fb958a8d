package io.jpm.daemon;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Whether one task has held a Vert.x thread past the hang timeout, decided tick by tick from what
 * each tick sees of the threads. Pure: the clock and the threads come in as arguments, so the rules
 * are tested with a fake clock ({@code HangCheckTest}); {@link HangWatch} runs it.
 *
 * <p>A task is measured as Vert.x's blocked-thread checker measures it: from when the thread began
 * it ({@code VertxThread.startTime()}, set by Vert.x around each task and 0 between tasks), so a task
 * is known by its thread and its start. Unlike that checker, only the time between two ticks that
 * came on time counts: a tick late by more than a whole period means nothing in this JVM ran for
 * that long (the daemon was SIGSTOPped, the machine swapped or was starved, or a collection stopped
 * every thread), and that time is no task's doing. A suspended machine is no issue: System.nanoTime
 * does not advance while it sleeps. Load only makes ticks a little late, which still counts, and the
 * timeout is far above what load causes (docs/CONFIG.md, hang_timeout).
 */
final class HangCheck {
    /** The shortest period: a test's short timeout is checked often, yet not in a spin. */
    static final long MIN_PERIOD_MS = 100;
    /**
     * The longest: an idle daemon wakes for the check every 30 s, no more. Each wake of an idle JVM's
     * thread costs 1-5 ms of CPU on a busy host's VM for microseconds of work (docs/BENCHMARKS.md, idle CPU).
     */
    static final long MAX_PERIOD_MS = 30_000;
    /**
     * Checks per timeout: a hang is seen between 1 and 1.5 timeouts after it began, and the timeout is
     * far above what load causes; more checks would only wake an idle daemon more often.
     */
    static final int TICKS_PER_TIMEOUT = 2;

    /** What one tick sees of one thread: its current task's start (System.nanoTime; 0: none) and verticle (null: unknown). */
    record Task(String thread, long startNanos, String verticle) {
        boolean running() {
            return startNanos != 0;
        }
    }

    /** A task that held its thread past the timeout, for {@code heldMs} counted. */
    record Hang(Task task, long heldMs) {}

    /**
     * What a tick found: {@code lateMs} &gt; 0 when it came late by far (that time is not counted); the
     * longest hang, or null.
     */
    record Verdict(long lateMs, Hang hang) {
        static final Verdict NONE = new Verdict(0, null);
    }

    /** A task seen running by the ticks so far: its start, and the time counted against it. */
    private static final class Held {
        final long startNanos;
        long countedNanos;

        Held(long startNanos, long countedNanos) {
            this.startNanos = startNanos;
            this.countedNanos = countedNanos;
        }
    }

    private final long timeoutNanos;
    private final long periodNanos;
    /** When the last tick ran; the first tick counts from when the check began. */
    private long lastTickNanos;
    /** By thread name. */
    private final Map<String, Held> held = new HashMap<>();
    /** The task held longest so far, as counted; null before any was seen. */
    private Hang longest;

    HangCheck(long timeoutMs, long nowNanos) {
        this.timeoutNanos = timeoutMs * 1_000_000;
        this.periodNanos = periodMs(timeoutMs) * 1_000_000;
        this.lastTickNanos = nowNanos;
    }

    /** How often a check with this timeout ticks. */
    static long periodMs(long timeoutMs) {
        return Math.max(MIN_PERIOD_MS, Math.min(MAX_PERIOD_MS, timeoutMs / TICKS_PER_TIMEOUT));
    }

    long periodMs() {
        return periodNanos / 1_000_000;
    }

    /**
     * One tick at {@code nowNanos} with what it sees of every thread: counts the time since the last
     * tick against each task still running (none when this tick came late by far) and returns the
     * longest one past the timeout.
     */
    Verdict tick(long nowNanos, List<Task> tasks) {
        long gap = nowNanos - lastTickNanos;
        lastTickNanos = nowNanos;
        // a tick is due one period after the last: later than two periods is late by far
        boolean late = gap > 2 * periodNanos;
        long counted = late ? 0 : gap;
        Set<String> running = new HashSet<>();
        Hang hang = null;
        for (Task task : tasks) {
            if (!task.running()) {
                continue;
            }
            running.add(task.thread());
            Held h = held.get(task.thread());
            if (h == null || h.startNanos != task.startNanos()) {
                // begun since the last tick (or that tick missed it): no longer ago than this tick's gap
                h = new Held(task.startNanos(), Math.max(0, Math.min(nowNanos - task.startNanos(), counted)));
                held.put(task.thread(), h);
            } else {
                h.countedNanos += counted;
            }
            long heldMs = h.countedNanos / 1_000_000;
            if (longest == null || heldMs > longest.heldMs()) {
                longest = new Hang(task, heldMs);
            }
            if (h.countedNanos >= timeoutNanos && (hang == null || heldMs > hang.heldMs())) {
                hang = new Hang(task, heldMs);
            }
        }
        held.keySet().retainAll(running);
        return hang == null && !late ? Verdict.NONE : new Verdict(late ? (gap - periodNanos) / 1_000_000 : 0, hang);
    }

    /**
     * The task held longest of those the ticks saw under way, and for how long as counted by the
     * last tick that saw it (what it ran after that tick is not seen); null before any.
     */
    Hang longest() {
        return longest;
    }
}
