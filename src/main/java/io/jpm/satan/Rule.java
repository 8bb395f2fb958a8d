package io.jpm.satan;

/**
 * One of Satan's reasons to restart an app (health, memory, cron, watch, errored retry). The
 * {@link AppWatchdog} calls these hooks on Satan's event loop; a rule keeps its own per-pm_id
 * state and asks for restarts through the {@link Restarter} it was given.
 */
interface Rule {
    /** A new run of the instance is online (before its facts are read). */
    default void online(Watched w) {}

    /** God's facts about the instance were read afresh: apply its options. */
    void applied(Watched w);

    /** The judged run ended or is stopping; {@code w.state} says where it went. */
    default void ended(Watched w) {}

    /**
     * God could not restart the run with this pid (a reload already under way, say) and it still
     * runs: judge it afresh, so a run still hung or still over its limit is restarted later.
     */
    default void judgeAgain(Watched w, int pid) {}

    /** The instance was deleted: drop its timers and state. */
    void forget(Watched w);

    default void close() {}

    /** Asks God to restart an instance's run (pid null: whatever run it has) with a reason. */
    @FunctionalInterface
    interface Restarter {
        void restart(Watched w, Integer pid, String reason);
    }

    /** Asks God to start an instance that rests (stopped or errored), with a reason: pm2's cron does. */
    @FunctionalInterface
    interface Starter {
        void start(Watched w, String reason);
    }
}
