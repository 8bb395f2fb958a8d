package io.jpm.process;

import io.jpm.protocol.AppOption;
import java.util.Set;

/**
 * What happens when an instance exits on its own, with pm2's options; their defaults are
 * {@link AppOption}'s, declared once there.
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

    /** The policy of an app that gives none of its options: each one's declared default. */
    public static RestartPolicy defaults() {
        return new RestartPolicy(
                AppOption.AUTORESTART.booleanDefault(),
                (int) AppOption.MAX_RESTARTS.longDefault(),
                AppOption.MIN_UPTIME.longDefault(),
                AppOption.RESTART_DELAY.longDefault(),
                AppOption.EXP_BACKOFF_RESTART_DELAY.longDefault(),
                Set.of(),
                AppOption.killTimeoutDefaultMs(),
                Signal.parse(AppOption.KILL_SIGNAL.textDefault()));
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
