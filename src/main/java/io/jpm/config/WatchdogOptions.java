package io.jpm.config;

import io.jpm.protocol.AppOption;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What Satan watches for one app beyond its exits: health probe, memory limit, cron restart, file
 * watch and the retry out of errored. Parsed by {@link WatchdogOptionsParser}; Satan reads it back
 * from God's description of an instance ({@link #toJson()} under {@code jpm.watchdog}).
 *
 * Built by its parser and in this file from named reads: no builder (RecordShapeTest lists it).
 *
 * @param health the probe, or null
 * @param maxMemoryBytes restart when the process group's RSS goes over this; 0 = no limit
 * @param cronRestart a 5- or 6-field cron expression, or null
 * @param watch restart on file changes under {@link #watchPaths}
 * @param watchPaths absolute folders or files watched (the cwd for {@code watch: true})
 * @param ignoreWatch pm2's ignore_watch patterns (globs, names, or regular expressions)
 * @param watchDelayMs debounce: changes are gathered for this long, then one restart
 * @param erroredRetryMs retry an errored app after this long; 0 = never (pm2's behaviour)
 * @param watchOptions how files are watched (pm2's watch_options)
 * @param metricsUrl where the app serves its own Prometheus metrics (a URL, or a path on the run's
 *     PORT), scraped by Satan; null for none
 */
public record WatchdogOptions(
        HealthCheck health,
        long maxMemoryBytes,
        String cronRestart,
        boolean watch,
        List<String> watchPaths,
        List<String> ignoreWatch,
        long watchDelayMs,
        long erroredRetryMs,
        WatchOptions watchOptions,
        String metricsUrl) {

    /** pm2's default ignore_watch: dot files and folders, and node_modules. */
    public static final List<String> DEFAULT_IGNORE = List.of("[\\/\\\\]\\.", "node_modules");
    /** Editors write a file in several steps: never restart on the first of them. */
    public static final long MIN_WATCH_DELAY_MS = AppOption.WATCH_DELAY.longDefault();

    public static final WatchdogOptions NONE = new WatchdogOptions(
            null, 0, null, false, List.of(), DEFAULT_IGNORE, MIN_WATCH_DELAY_MS, 0, WatchOptions.DEFAULTS, null);

    public WatchdogOptions {
        watchOptions = watchOptions == null ? WatchOptions.DEFAULTS : watchOptions;
        watchPaths = List.copyOf(watchPaths);
        ignoreWatch = List.copyOf(ignoreWatch);
    }

    /** The same options with watching switched (jpm restart --watch toggles it, like pm2). */
    public WatchdogOptions withWatch(boolean on, String cwd) {
        List<String> paths = on && watchPaths.isEmpty() ? List.of(cwd) : watchPaths;
        return new WatchdogOptions(
                health,
                maxMemoryBytes,
                cronRestart,
                on,
                paths,
                ignoreWatch,
                watchDelayMs,
                erroredRetryMs,
                watchOptions,
                metricsUrl);
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put(AppOption.HEALTH.key, health == null ? null : health.toJson())
                .put(AppOption.MAX_MEMORY_RESTART.key, maxMemoryBytes)
                .put(AppOption.CRON_RESTART.key, cronRestart)
                .put(AppOption.WATCH.key, watch)
                .put("watch_paths", new JsonArray(watchPaths))
                .put(AppOption.IGNORE_WATCH.key, new JsonArray(ignoreWatch))
                .put(AppOption.WATCH_DELAY.key, watchDelayMs)
                .put(AppOption.ERRORED_RETRY.key, erroredRetryMs)
                .put(AppOption.WATCH_OPTIONS.key, watchOptions.toJson())
                .put(AppOption.METRICS_URL.key, metricsUrl);
    }

    public static WatchdogOptions fromJson(JsonObject json) {
        if (json == null) {
            return NONE;
        }
        return new WatchdogOptions(
                HealthCheck.fromJson(json.getJsonObject(AppOption.HEALTH.key)),
                json.getLong(AppOption.MAX_MEMORY_RESTART.key, 0L),
                json.getString(AppOption.CRON_RESTART.key),
                json.getBoolean(AppOption.WATCH.key, false),
                strings(json.getJsonArray("watch_paths")),
                strings(json.getJsonArray(AppOption.IGNORE_WATCH.key)),
                json.getLong(AppOption.WATCH_DELAY.key, MIN_WATCH_DELAY_MS),
                json.getLong(AppOption.ERRORED_RETRY.key, 0L),
                WatchOptions.fromJson(json.getJsonObject(AppOption.WATCH_OPTIONS.key)),
                json.getString(AppOption.METRICS_URL.key));
    }

    private static List<String> strings(JsonArray array) {
        return array == null ? List.of() : array.stream().map(String::valueOf).toList();
    }
}
