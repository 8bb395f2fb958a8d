package io.jpm.protocol;

import java.util.Map;

/** pm2_env's watchdog options that pm2 lists: file watching, the memory limit, the cron restart. */
public final class Pm2EnvWatch extends Pm2Part {
    public static final Pm2Key<Pm2EnvWatch, Object> WATCH =
            Pm2Key.<Pm2EnvWatch>any("watch", false).table();
    public static final Pm2Key<Pm2EnvWatch, Long> MAX_MEMORY_RESTART = Pm2Key.whole("max_memory_restart", 0L);
    public static final Pm2Key<Pm2EnvWatch, String> CRON_RESTART = Pm2Key.string("cron_restart");
    public static final Pm2Key<Pm2EnvWatch, Object> IGNORE_WATCH =
            Pm2Key.<Pm2EnvWatch>any("ignore_watch", null).whenSet();

    public static final Pm2Keys<Pm2EnvWatch> KEYS =
            new Pm2Keys<>(Pm2EnvWatch::new, WATCH, MAX_MEMORY_RESTART, CRON_RESTART, IGNORE_WATCH);

    private Pm2EnvWatch(Map<Pm2Key<?, ?>, Object> values) {
        super(values);
    }

    /** True or false, or the paths as the app gave them while it watches them. */
    public Object watch() {
        return get(WATCH);
    }

    /** As the app gave it; null (not listed) when it did not. */
    public Object ignoreWatch() {
        return get(IGNORE_WATCH);
    }

    /** pm2_env.watch is true, or the paths watched as the app gave them (an array or a string). */
    public boolean watching() {
        Object watch = watch();
        return watch != null && !"false".equals(String.valueOf(watch)) && !"".equals(watch);
    }
}
