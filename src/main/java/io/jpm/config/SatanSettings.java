package io.jpm.config;

import io.jpm.protocol.Durations;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Satan's daemon-wide settings, the {@code "satan"} section of JPM_HOME/jpm.json (absent keys keep
 * their defaults). Durations are milliseconds or text like "2s".
 *
 * <pre>{"sample_interval": "1s", "idle_sample_interval": "1m", "hang_timeout": "60s"}</pre>
 *
 * @param sampleIntervalMs how often every instance's cpu and memory are read while someone follows the
 *     figures (jpm monit, a metrics subscription, the dashboard) or an instance has max_memory_restart
 * @param idleSampleIntervalMs how often they are read otherwise; {@code jpm ls}, jlist and describe take a
 *     fresh sample when theirs is older than sample_interval, so their figures are never stale
 * @param hangTimeoutMs one task holding a Vert.x thread (an event loop or a worker) this long is a hang:
 *     the daemon writes a thread dump to daemon.log and exits, and its keeper starts the next daemon,
 *     which adopts every app (docs/CONFIG.md says why the default is 60 s)
 */
public record SatanSettings(long sampleIntervalMs, long idleSampleIntervalMs, long hangTimeoutMs) {
    private static final Logger LOG = Logger.getLogger("jpm.config");

    /** The idle interval is the history's resolution: one sample a minute (pm2's worker samples every 30 s). */
    public static final SatanSettings DEFAULTS = new SatanSettings(1000, 60_000, 60_000);
    /** Each option and its smallest sane value in ms. */
    private static final Map<String, Long> MINIMUM =
            Map.of("sample_interval", 100L, "idle_sample_interval", 100L, "hang_timeout", 1000L);
    /**
     * The verticle pings' settings, gone with the pings (a hang is now one task past hang_timeout): a
     * file that still has them is read with a warning, not refused.
     */
    private static final Set<String> RETIRED = Set.of("ping_interval", "ping_timeout", "stall_warning");

    /**
     * Validates a section: unknown options and bad durations are refused, naming the file and the
     * option; a retired option is a warning in daemon.log.
     */
    public static SatanSettings parse(String where, JsonObject section) {
        for (String key : section.fieldNames()) {
            if (RETIRED.contains(key)) {
                LOG.warning(() -> where + ": satan: option '" + key + "' is no longer used (the daemon no longer"
                        + " pings its verticles: one task holding a thread past hang_timeout ends the daemon, and"
                        + " its keeper starts the next one): ignored");
                continue;
            }
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
                millis(section, "hang_timeout", DEFAULTS.hangTimeoutMs));
    }

    private static long millis(JsonObject section, String key, long fallback) {
        long ms = millis(section.getValue(key));
        return ms < MINIMUM.get(key) ? fallback : ms;
    }

    private static long millis(Object value) {
        return value instanceof Number n ? n.longValue() : value instanceof String s ? Durations.parseMillis(s) : -1;
    }
}
