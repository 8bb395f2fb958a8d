package io.jpm.protocol;

import java.util.List;
import java.util.Map;

/** pm2_env's restart policy, as the app's {@code RestartPolicy} has it (times in ms). */
public final class Pm2EnvPolicy extends Pm2Part {
    public static final Pm2Key<Pm2EnvPolicy, Boolean> AUTORESTART = Pm2Key.bool("autorestart", true);
    public static final Pm2Key<Pm2EnvPolicy, Integer> MAX_RESTARTS = Pm2Key.integer("max_restarts", 0);
    public static final Pm2Key<Pm2EnvPolicy, Long> MIN_UPTIME = Pm2Key.whole("min_uptime", 0L);
    public static final Pm2Key<Pm2EnvPolicy, Long> RESTART_DELAY = Pm2Key.whole("restart_delay", 0L);
    public static final Pm2Key<Pm2EnvPolicy, Long> EXP_BACKOFF_RESTART_DELAY =
            Pm2Key.whole("exp_backoff_restart_delay", 0L);
    public static final Pm2Key<Pm2EnvPolicy, Long> KILL_TIMEOUT = Pm2Key.whole("kill_timeout", 0L);
    public static final Pm2Key<Pm2EnvPolicy, List<Integer>> STOP_EXIT_CODES = Pm2Key.integers("stop_exit_codes");

    public static final Pm2Keys<Pm2EnvPolicy> KEYS = new Pm2Keys<>(
            Pm2EnvPolicy::new,
            AUTORESTART,
            MAX_RESTARTS,
            MIN_UPTIME,
            RESTART_DELAY,
            EXP_BACKOFF_RESTART_DELAY,
            KILL_TIMEOUT,
            STOP_EXIT_CODES);

    private Pm2EnvPolicy(Map<Pm2Key<?, ?>, Object> values) {
        super(values);
    }

    public List<Integer> stopExitCodes() {
        return get(STOP_EXIT_CODES);
    }
}
