package io.jpm.satan;

import io.jpm.config.SatanSettings;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * When Satan reads /proc: every sample interval while someone follows the figures or a running
 * instance has a memory limit, every idle sample interval otherwise. A read costs ~15 µs per process
 * on the machine (the kernel formats each /proc/&lt;pid&gt;/stat), so at one a second 1,000 apps keep
 * an otherwise idle daemon at 1.6-3% of a core for figures nobody looks at (bench/satan.sh, idle
 * CPU). Who looks
 * ({@code jpm ls}, the API) asks for a fresh sample instead ({@link #fresh}).
 */
final class SamplingPace {
    /** Followers of jpm.events.metrics by door ("bridge", "web", "cluster"), each door's own count. */
    private final Map<String, Integer> followers = new HashMap<>();

    private long lastSampleNanos = -1;

    /** A door's count, from a {@code jpm.internal.metrics.followers} message. */
    void told(JsonObject message) {
        followers.put(message.getString("source", "bridge"), Math.max(0, message.getInteger("count", 0)));
    }

    int followers() {
        return followers.values().stream().mapToInt(Integer::intValue).sum();
    }

    void sampled(long nanos) {
        lastSampleNanos = nanos;
    }

    /**
     * True when the periodic tick should read /proc. Half a tick of slack: a timer that fires a few ms
     * early must not push the next read a whole tick later.
     */
    boolean due(long nanos, SatanSettings settings, boolean memoryLimited) {
        return age(nanos) >= interval(settings, memoryLimited) - settings.sampleIntervalMs() / 2;
    }

    /**
     * How long the tick waits (ms) until the next sample is due: what is left of the interval since the
     * last sample, and at least one sample interval (the first sample comes that long after the first
     * process runs, as it always has).
     */
    long untilDue(long nanos, SatanSettings settings, boolean memoryLimited) {
        long age = age(nanos);
        long left = age == Long.MAX_VALUE ? 0 : interval(settings, memoryLimited) - age;
        return Math.max(settings.sampleIntervalMs(), left);
    }

    private long interval(SatanSettings settings, boolean memoryLimited) {
        return followers() > 0 || memoryLimited
                ? settings.sampleIntervalMs()
                : Math.max(settings.sampleIntervalMs(), settings.idleSampleIntervalMs());
    }

    /** True when the last sample is younger than the sample interval: good enough for a caller who asks. */
    boolean fresh(long nanos, SatanSettings settings) {
        return lastSampleNanos >= 0 && age(nanos) < settings.sampleIntervalMs();
    }

    private long age(long nanos) {
        return lastSampleNanos < 0 ? Long.MAX_VALUE : (nanos - lastSampleNanos) / 1_000_000;
    }
}
