package io.jpm.daemon;

import io.jpm.protocol.JpmEnv;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * The daemon's start step by step, in daemon.log once it is ready, when its environment has
 * {@code JPM_START_TIMELINE} (e.g. {@code JPM_START_TIMELINE=1 jpm ping} with no daemon running): each
 * step with the ms since the JVM was started and since the step before. Off, a mark only keeps the last
 * step (a start past its deadline names it). How the start was measured (docs/BENCHMARKS.md, foundation).
 */
final class StartTimeline {
    private static final boolean ON = JpmEnv.START_TIMELINE.value() != null;
    /**
     * The JVM's start, as the JVM noted it: what a step's time counts from. Not the process's start time
     * from /proc, which the JDK turns into a time with the boot time's whole seconds (steps of up to a
     * second off). The management classes it loads cost tens of ms, paid only with the timeline on.
     */
    private static final long JVM_STARTED_AT =
            ON ? ManagementFactory.getRuntimeMXBean().getStartTime() : 0;

    private static final List<String> STEPS = new ArrayList<>();
    private static long last = JVM_STARTED_AT;
    /** Kept with the timeline off too: a start past its deadline is told by what it last finished. */
    private static String lastStep = "none";

    private static long lastStepAt = System.currentTimeMillis();

    private StartTimeline() {}

    /** Notes the step just done: kept as the last one, and listed when the timeline is on. */
    static synchronized void mark(String step) {
        long now = System.currentTimeMillis();
        lastStep = step;
        lastStepAt = now;
        if (!ON) {
            return;
        }
        STEPS.add("start: " + step + " at +" + (now - JVM_STARTED_AT) + " ms (" + (now - last) + " ms, "
                + Thread.currentThread().getName() + ")");
        last = now;
    }

    /** The last step done and how long ago, as "persist deployed, 74 s ago". */
    static synchronized String lastStep() {
        return lastStep + ", " + (System.currentTimeMillis() - lastStepAt) / 1000 + " s ago";
    }

    /**
     * Logs the steps noted so far. Not as they happen: the first steps come before the daemon's
     * logging is set up (a logger looked up then would start java.util.logging with the JDK's defaults).
     */
    static synchronized void log() {
        if (!ON) {
            return;
        }
        Logger log = Logger.getLogger("jpm.daemon");
        // the JVM's start as a time of day, to compare with a client's clock by hand (bench/floor.sh's split
        // reads the same from -Xlog instead)
        log.info("start: the JVM started at " + Instant.ofEpochMilli(JVM_STARTED_AT) + " (" + JVM_STARTED_AT
                + " ms since the epoch)");
        STEPS.forEach(log::info);
        STEPS.clear();
    }
}
