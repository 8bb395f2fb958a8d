package io.jpm.protocol;

import java.util.ArrayList;
import java.util.List;

/** pm2_env's restart policy, as the app's {@code RestartPolicy} has it (times in ms). */
public record Pm2EnvPolicy(
        boolean autorestart,
        int maxRestarts,
        long minUptime,
        long restartDelay,
        long expBackoffRestartDelay,
        long killTimeout,
        List<Integer> stopExitCodes) {
    public static final Pm2Key<Pm2EnvPolicy, Boolean> AUTORESTART =
            Pm2Key.bool("autorestart", true, Pm2EnvPolicy::autorestart);
    public static final Pm2Key<Pm2EnvPolicy, Integer> MAX_RESTARTS =
            Pm2Key.integer("max_restarts", 0, Pm2EnvPolicy::maxRestarts);
    public static final Pm2Key<Pm2EnvPolicy, Long> MIN_UPTIME = Pm2Key.whole("min_uptime", 0, Pm2EnvPolicy::minUptime);
    public static final Pm2Key<Pm2EnvPolicy, Long> RESTART_DELAY =
            Pm2Key.whole("restart_delay", 0, Pm2EnvPolicy::restartDelay);
    public static final Pm2Key<Pm2EnvPolicy, Long> EXP_BACKOFF_RESTART_DELAY =
            Pm2Key.whole("exp_backoff_restart_delay", 0, Pm2EnvPolicy::expBackoffRestartDelay);
    public static final Pm2Key<Pm2EnvPolicy, Long> KILL_TIMEOUT =
            Pm2Key.whole("kill_timeout", 0, Pm2EnvPolicy::killTimeout);
    public static final Pm2Key<Pm2EnvPolicy, List<Integer>> STOP_EXIT_CODES =
            Pm2Key.of("stop_exit_codes", Pm2EnvPolicy::stopExitCodes, (f, key) -> integers(f.list(key)));

    public static final Pm2Keys<Pm2EnvPolicy> KEYS = new Pm2Keys<>(
            v -> new Pm2EnvPolicy(
                    v.get(AUTORESTART),
                    v.get(MAX_RESTARTS),
                    v.get(MIN_UPTIME),
                    v.get(RESTART_DELAY),
                    v.get(EXP_BACKOFF_RESTART_DELAY),
                    v.get(KILL_TIMEOUT),
                    v.get(STOP_EXIT_CODES)),
            AUTORESTART,
            MAX_RESTARTS,
            MIN_UPTIME,
            RESTART_DELAY,
            EXP_BACKOFF_RESTART_DELAY,
            KILL_TIMEOUT,
            STOP_EXIT_CODES);

    private static List<Integer> integers(List<Object> values) {
        List<Integer> integers = new ArrayList<>();
        for (Object value : values) {
            if (value instanceof Number n) {
                integers.add(n.intValue());
            }
        }
        return integers;
    }
}
