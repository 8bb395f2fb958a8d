package io.jpm.protocol;

/**
 * pm2_env's watchdog options that pm2 lists: file watching, the memory limit, the cron restart.
 *
 * @param watch true or false, or the paths as the app gave them while it watches them
 * @param ignoreWatch as the app gave it; null (not listed) when it did not
 */
public record Pm2EnvWatch(Object watch, long maxMemoryRestart, String cronRestart, Object ignoreWatch) {
    public static final Pm2Key<Pm2EnvWatch, Object> WATCH = Pm2Key.<Pm2EnvWatch, Object>of(
                    "watch", Pm2EnvWatch::watch, (f, key) -> f.has(key) ? f.get(key) : false)
            .table();
    public static final Pm2Key<Pm2EnvWatch, Long> MAX_MEMORY_RESTART =
            Pm2Key.whole("max_memory_restart", 0, Pm2EnvWatch::maxMemoryRestart);
    public static final Pm2Key<Pm2EnvWatch, String> CRON_RESTART =
            Pm2Key.string("cron_restart", Pm2EnvWatch::cronRestart);
    public static final Pm2Key<Pm2EnvWatch, Object> IGNORE_WATCH = Pm2Key.<Pm2EnvWatch, Object>of(
                    "ignore_watch", Pm2EnvWatch::ignoreWatch, Fields::get)
            .whenSet();

    public static final Pm2Keys<Pm2EnvWatch> KEYS = new Pm2Keys<>(
            v -> new Pm2EnvWatch(v.get(WATCH), v.get(MAX_MEMORY_RESTART), v.get(CRON_RESTART), v.get(IGNORE_WATCH)),
            WATCH,
            MAX_MEMORY_RESTART,
            CRON_RESTART,
            IGNORE_WATCH);

    /** pm2_env.watch is true, or the paths watched as the app gave them (an array or a string). */
    public boolean watching() {
        return watch != null && !"false".equals(String.valueOf(watch)) && !"".equals(watch);
    }
}
