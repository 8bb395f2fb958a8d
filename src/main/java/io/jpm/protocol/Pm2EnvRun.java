package io.jpm.protocol;

/**
 * pm2_env's fields of the instance's life: its status (a {@link ProcessState} word), restarts,
 * when its run came online and when the instance was made, and the last run's exit code.
 *
 * @param pmUptime when the run came online (epoch ms), 0 while none is online
 * @param exitCode null before any run ended
 */
public record Pm2EnvRun(
        String status, int restartTime, int unstableRestarts, long pmUptime, long createdAt, Integer exitCode) {
    public static final Pm2Key<Pm2EnvRun, String> STATUS =
            Pm2Key.string("status", Pm2EnvRun::status).table();
    public static final Pm2Key<Pm2EnvRun, Integer> RESTART_TIME =
            Pm2Key.integer("restart_time", 0, Pm2EnvRun::restartTime).table();
    public static final Pm2Key<Pm2EnvRun, Integer> UNSTABLE_RESTARTS =
            Pm2Key.integer("unstable_restarts", 0, Pm2EnvRun::unstableRestarts);
    public static final Pm2Key<Pm2EnvRun, Long> PM_UPTIME =
            Pm2Key.whole("pm_uptime", 0, Pm2EnvRun::pmUptime).table();
    public static final Pm2Key<Pm2EnvRun, Long> CREATED_AT = Pm2Key.whole("created_at", 0, Pm2EnvRun::createdAt);
    public static final Pm2Key<Pm2EnvRun, Integer> EXIT_CODE =
            Pm2Key.of("exit_code", Pm2EnvRun::exitCode, Fields::integer);

    public static final Pm2Keys<Pm2EnvRun> KEYS = new Pm2Keys<>(
            v -> new Pm2EnvRun(
                    v.get(STATUS),
                    v.get(RESTART_TIME),
                    v.get(UNSTABLE_RESTARTS),
                    v.get(PM_UPTIME),
                    v.get(CREATED_AT),
                    v.get(EXIT_CODE)),
            STATUS,
            RESTART_TIME,
            UNSTABLE_RESTARTS,
            PM_UPTIME,
            CREATED_AT,
            EXIT_CODE);

    /** Whether the status is {@code state}'s word (false for a word this build does not know). */
    public boolean is(ProcessState state) {
        return state.word().equals(status);
    }
}
