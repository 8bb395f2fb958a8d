package io.jpm.satan;

import io.jpm.config.SatanSettings;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * When Satan reads /proc: every sample interval while someone follows the figures or a running
 * instance has a memory limit, once in each idle sample interval of the wall clock otherwise (each
 * minute by default, from its start). A read costs ~15 µs per process on the machine (the kernel
 * formats each /proc/&lt;pid&gt;/stat), so at one a second 1,000 apps keep an otherwise idle daemon at
 * 1.6-3% of a core for figures nobody looks at (bench/satan.sh, idle CPU). Who looks ({@code jpm ls},
 * the API) asks for a fresh sample instead ({@link #fresh}).
 *
 * <p>Idle samples are tied to the clock's intervals rather than spaced one interval apart: the history
 * keeps one point a minute, and samples a minute apart drift (each timer fires a little late) until
 * one minute has none, a gap in every chart; tied to the clock, each minute has one. Each sample
 * wakes the daemon (a worker, Satan, God and the history), so no more than one a minute when nobody
 * looks.
 */
final class SamplingPace {
    /** Followers of jpm.events.metrics by door ("bridge", "web", "cluster"), each door's own count. */
    private final Map<String, Integer> followers = new HashMap<>();

    private long lastSampleNanos = -1;
    /** The last sample's wall-clock time (ms since the epoch), -1 before any. */
    private long lastSampleWallMs = -1;

    /** A door's count, from a {@code jpm.internal.metrics.followers} message. */
    void told(JsonObject message) {
        followers.put(message.getString("source", "bridge"), Math.max(0, message.getInteger("count", 0)));
    }

    int followers() {
        return followers.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** A sample was read at {@code nanos} (System.nanoTime), and stamped {@code wallMs}. */
    void sampled(long nanos, long wallMs) {
        lastSampleNanos = nanos;
        lastSampleWallMs = wallMs;
    }

    /**
     * True when the periodic tick should read /proc. While followed, half a tick of slack: a timer that
     * fires a few ms early must not push the next read a whole tick later. Idle: when no sample was read
     * in this interval of the clock yet, or none for two intervals (a clock set back).
     */
    boolean due(long nanos, long wallMs, SatanSettings settings, boolean memoryLimited) {
        if (followed(memoryLimited)) {
            return age(nanos) >= settings.sampleIntervalMs() - settings.sampleIntervalMs() / 2;
        }
        long idle = idleInterval(settings);
        return lastSampleWallMs < 0
                || Math.floorDiv(wallMs, idle) > Math.floorDiv(lastSampleWallMs, idle)
                || age(nanos) >= 2 * idle;
    }

    /**
     * How long the tick waits (ms) until the next sample is due: what is left of the interval since the
     * last sample while followed, the start of the clock's next idle interval otherwise; at least one
     * sample interval (the first sample comes that long after the first process runs, as it always has).
     */
    long untilDue(long nanos, long wallMs, SatanSettings settings, boolean memoryLimited) {
        long left;
        if (followed(memoryLimited)) {
            long age = age(nanos);
            left = age == Long.MAX_VALUE ? 0 : settings.sampleIntervalMs() - age;
        } else if (due(nanos, wallMs, settings, false)) {
            left = 0;
        } else {
            long idle = idleInterval(settings);
            left = (Math.floorDiv(wallMs, idle) + 1) * idle - wallMs;
        }
        return Math.max(settings.sampleIntervalMs(), left);
    }

    private boolean followed(boolean memoryLimited) {
        return followers() > 0 || memoryLimited;
    }

    private static long idleInterval(SatanSettings settings) {
        return Math.max(settings.sampleIntervalMs(), settings.idleSampleIntervalMs());
    }

    /** True when the last sample is younger than the sample interval: good enough for a caller who asks. */
    boolean fresh(long nanos, SatanSettings settings) {
        return lastSampleNanos >= 0 && age(nanos) < settings.sampleIntervalMs();
    }

    private long age(long nanos) {
        return lastSampleNanos < 0 ? Long.MAX_VALUE : (nanos - lastSampleNanos) / 1_000_000;
    }
}
