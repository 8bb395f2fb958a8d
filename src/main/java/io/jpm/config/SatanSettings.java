package io.jpm.config;

import io.jpm.protocol.Durations;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Satan's daemon-wide settings, the {@code "satan"} section of JPM_HOME/jpm.json (absent keys keep
 * their defaults). Durations are milliseconds or text like "2s".
 *
 * <pre>{"sample_interval": "1s", "idle_sample_interval": "30s", "ping_interval": "5s", "ping_timeout": "2s",
 *  "stall_warning": "500ms"}</pre>
 *
 * @param sampleIntervalMs how often every instance's cpu and memory are read while someone follows the
 *     figures (jpm monit, a metrics subscription, the dashboard) or an instance has max_memory_restart
 * @param idleSampleIntervalMs how often they are read otherwise; {@code jpm ls}, jlist and describe take a
 *     fresh sample when theirs is older than sample_interval, so their figures are never stale
 * @param pingIntervalMs how often God, the LogAggregator, the balancer, the config watcher and persistence are pinged
 * @param pingTimeoutMs a verticle that does not answer within this is hung: logged, and redeployed
 * @param stallWarningMs an event loop late by more than this is reported as stalled
 */
public record SatanSettings(
        long sampleIntervalMs,
        long idleSampleIntervalMs,
        long pingIntervalMs,
        long pingTimeoutMs,
        long stallWarningMs) {
    /** The idle interval is pm2's worker interval (its memory checks and pidusage samples, 30 s). */
    public static final SatanSettings DEFAULTS = new SatanSettings(1000, 30_000, 5000, 2000, 500);
    /** Each option and its smallest sane value in ms. */
    private static final Map<String, Long> MINIMUM = Map.of(
            "sample_interval",
            100L,
            "idle_sample_interval",
            100L,
            "ping_interval",
            100L,
            "ping_timeout",
            10L,
            "stall_warning",
            10L);

    /** Validates a section: unknown options and bad durations are refused, naming the file and the option. */
    public static SatanSettings parse(String where, JsonObject section) {
        for (String key : section.fieldNames()) {
            if (!MINIMUM.containsKey(key)) {
                String hint = Spelling.closest(key, MINIMUM.keySet())
                        .map(s -> " (did you mean '" + s + "'?)")
                        .orElse("");
                throw new JpmException(
                        JpmError.INVALID_CONFIG, where + ": satan: option '" + key + "' is not a known option" + hint);
            }
            long ms = millis(section.getValue(key));
            if (ms < MINIMUM.get(key)) {
                throw new JpmException(
                        JpmError.INVALID_CONFIG,
                        where + ": satan: option '" + key + "' must be a duration of at least " + MINIMUM.get(key)
                                + " ms (like \"1s\"), got " + section.getValue(key));
            }
        }
        return from(section);
    }

    /** The settings of an already validated section; anything unreadable keeps its default. */
    public static SatanSettings from(JsonObject section) {
        if (section == null) {
            return DEFAULTS;
        }
        return new SatanSettings(
                millis(section, "sample_interval", DEFAULTS.sampleIntervalMs),
                millis(section, "idle_sample_interval", DEFAULTS.idleSampleIntervalMs),
                millis(section, "ping_interval", DEFAULTS.pingIntervalMs),
                millis(section, "ping_timeout", DEFAULTS.pingTimeoutMs),
                millis(section, "stall_warning", DEFAULTS.stallWarningMs));
    }

    private static long millis(JsonObject section, String key, long fallback) {
        long ms = millis(section.getValue(key));
        return ms < MINIMUM.get(key) ? fallback : ms;
    }

    private static long millis(Object value) {
        return value instanceof Number n ? n.longValue() : value instanceof String s ? Durations.parseMillis(s) : -1;
    }
}
