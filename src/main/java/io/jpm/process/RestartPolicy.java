package io.jpm.process;

import io.jpm.protocol.AppOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * What happens when an instance exits on its own, with pm2's options; their defaults are
 * {@link AppOption}'s, declared once there, and {@link #read} reads them through their declarations.
 *
 * @param autorestart restart on exit at all ({@code autorestart})
 * @param maxRestarts consecutive unstable restarts allowed before errored ({@code max_restarts})
 * @param minUptimeMs a run shorter than this is unstable ({@code min_uptime})
 * @param restartDelayMs fixed wait before a restart ({@code restart_delay})
 * @param expBackoffInitialMs first delay of the exponential backoff, 0 = off
 *     ({@code exp_backoff_restart_delay})
 * @param stopExitCodes exit codes that mean "done", never restarted ({@code stop_exit_codes})
 * @param killTimeoutMs wait after the kill signal before SIGKILL ({@code kill_timeout})
 * @param killSignal the signal a stop sends first ({@code kill_signal})
 */
public record RestartPolicy(
        boolean autorestart,
        int maxRestarts,
        long minUptimeMs,
        long restartDelayMs,
        long expBackoffInitialMs,
        Set<Integer> stopExitCodes,
        long killTimeoutMs,
        Signal killSignal) {

    /** pm2 multiplies the backoff delay by 1.5 at each unstable restart... */
    public static final double BACKOFF_FACTOR = 1.5;
    /** ...up to 15 s... */
    public static final long BACKOFF_CAP_MS = 15_000;
    /** ...and starts over once a run has lasted 30 s. */
    public static final long BACKOFF_RESET_AFTER_MS = 30_000;

    public RestartPolicy {
        stopExitCodes = Set.copyOf(stopExitCodes);
    }

    /**
     * The policy as an app's options give it, each read through its declaration: {@code bool} and
     * {@code number} give an option's value, its default (the declared one, or the daemon's) when the
     * app does not give it.
     */
    public static RestartPolicy read(
            Predicate<AppOption> bool,
            ToLongFunction<AppOption> number,
            Set<Integer> stopExitCodes,
            Signal killSignal) {
        return new RestartPolicy(
                bool.test(AppOption.AUTORESTART),
                (int) number.applyAsLong(AppOption.MAX_RESTARTS),
                number.applyAsLong(AppOption.MIN_UPTIME),
                number.applyAsLong(AppOption.RESTART_DELAY),
                number.applyAsLong(AppOption.EXP_BACKOFF_RESTART_DELAY),
                stopExitCodes,
                number.applyAsLong(AppOption.KILL_TIMEOUT),
                killSignal);
    }

    /** The policy of an app that gives none of its options: each one's default. */
    public static RestartPolicy defaults() {
        return read(
                AppOption::booleanDefault,
                AppOption::longDefault,
                Set.of(),
                Signal.parse(AppOption.KILL_SIGNAL.textDefault()));
    }

    /** Its options under pm2's names, as pm2_env lists them (the stop exit codes in order); not the kill signal, jpm's. */
    public Map<String, Object> pm2Values() {
        Map<String, Object> values = new HashMap<>();
        values.put(AppOption.AUTORESTART.key, autorestart);
        values.put(AppOption.MAX_RESTARTS.key, maxRestarts);
        values.put(AppOption.MIN_UPTIME.key, minUptimeMs);
        values.put(AppOption.RESTART_DELAY.key, restartDelayMs);
        values.put(AppOption.EXP_BACKOFF_RESTART_DELAY.key, expBackoffInitialMs);
        values.put(
                AppOption.STOP_EXIT_CODES.key, stopExitCodes.stream().sorted().toList());
        values.put(AppOption.KILL_TIMEOUT.key, killTimeoutMs);
        return values;
    }

    /** What to do about one exit. */
    public sealed interface Decision {
        /** Restart after {@code delayMs}; {@code nextBackoffMs} is the delay to remember. */
        record Restart(long delayMs, long nextBackoffMs) implements Decision {}

        /** Stay stopped: autorestart off or a stop exit code. */
        record Stop(String reason) implements Decision {}

        /** Give up: too many unstable restarts. */
        record Errored(String reason) implements Decision {}
    }

    /** True when a run of this length counts as unstable. */
    public boolean isUnstable(long uptimeMs) {
        return uptimeMs < minUptimeMs;
    }

    /**
     * Decides about an exit the instance did not ask for.
     *
     * @param exitCode the exit code, or null when a signal ended the process
     * @param uptimeMs how long the run lasted
     * @param consecutiveUnstable unstable exits in a row, counting this one when it is unstable
     * @param lastBackoffMs the backoff delay used before this run, 0 for none yet
     */
    public Decision onExit(Integer exitCode, long uptimeMs, int consecutiveUnstable, long lastBackoffMs) {
        if (!autorestart) {
            return new Decision.Stop("autorestart is off");
        }
        if (exitCode != null && stopExitCodes.contains(exitCode)) {
            return new Decision.Stop("exit code " + exitCode + " is in stop_exit_codes");
        }
        // pm2 (God.handleExit): errored once unstable_restarts >= max_restarts, so a crash loop runs
        // max_restarts times in all, and max_restarts 0 never restarts
        if (consecutiveUnstable >= maxRestarts) {
            return new Decision.Errored("exited " + consecutiveUnstable + " times in a row before min_uptime ("
                    + minUptimeMs + " ms); max_restarts is " + maxRestarts);
        }
        if (expBackoffInitialMs > 0) {
            long next = nextBackoff(lastBackoffMs, uptimeMs);
            return new Decision.Restart(next, next);
        }
        return new Decision.Restart(restartDelayMs, 0);
    }

    /** pm2's exponential backoff: x1.5 per restart, capped at 15 s, reset after 30 s up. */
    long nextBackoff(long lastBackoffMs, long uptimeMs) {
        if (lastBackoffMs <= 0 || uptimeMs >= BACKOFF_RESET_AFTER_MS) {
            return expBackoffInitialMs;
        }
        return Math.min(BACKOFF_CAP_MS, Math.round(lastBackoffMs * BACKOFF_FACTOR));
    }
}
