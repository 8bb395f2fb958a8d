package io.jpm.protocol;

import java.util.Map;

/**
 * pm2_env's fields of the instance's life: its status (a {@link ProcessState} word), restarts,
 * when its run came online and when the instance was made, and the last run's exit code.
 */
public final class Pm2EnvRun extends Pm2Part {
    public static final Pm2Key<Pm2EnvRun, String> STATUS =
            Pm2Key.<Pm2EnvRun>string("status").table();
    public static final Pm2Key<Pm2EnvRun, Integer> RESTART_TIME =
            Pm2Key.<Pm2EnvRun>integer("restart_time", 0).table();
    public static final Pm2Key<Pm2EnvRun, Integer> UNSTABLE_RESTARTS = Pm2Key.integer("unstable_restarts", 0);
    public static final Pm2Key<Pm2EnvRun, Long> PM_UPTIME =
            Pm2Key.<Pm2EnvRun>whole("pm_uptime", 0L).table();
    public static final Pm2Key<Pm2EnvRun, Long> CREATED_AT = Pm2Key.whole("created_at", 0L);
    public static final Pm2Key<Pm2EnvRun, Integer> EXIT_CODE = Pm2Key.integer("exit_code", null);

    public static final Pm2Keys<Pm2EnvRun> KEYS =
            new Pm2Keys<>(Pm2EnvRun::new, STATUS, RESTART_TIME, UNSTABLE_RESTARTS, PM_UPTIME, CREATED_AT, EXIT_CODE);

    private Pm2EnvRun(Map<Pm2Key<?, ?>, Object> values) {
        super(values);
    }

    public String status() {
        return get(STATUS);
    }

    public int restartTime() {
        return get(RESTART_TIME);
    }

    public int unstableRestarts() {
        return get(UNSTABLE_RESTARTS);
    }

    /**
     * When the last run started (epoch ms), whatever the status now, as pm2 gives it; the
     * instance's creation before any run started.
     */
    public long pmUptime() {
        return get(PM_UPTIME);
    }

    public long createdAt() {
        return get(CREATED_AT);
    }

    /** Null before any run ended. */
    public Integer exitCode() {
        return get(EXIT_CODE);
    }

    /** Whether the status is {@code state}'s word (false for a word this build does not know). */
    public boolean is(ProcessState state) {
        return state.is(status());
    }
}
