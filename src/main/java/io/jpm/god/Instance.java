package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.config.WatchdogOptions;
import io.jpm.process.AppChannels;
import io.jpm.protocol.ProcessEvent;
import io.jpm.protocol.ProcessState;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * One app instance, owned by God (only touched on God's event loop): its identity (pm_id, index,
 * log and pid files), its options and its state, with three parts of its own: its current run
 * ({@link InstanceRun}: process, channels, readiness, last exit, pending timer), its restart
 * counters ({@link RestartCounters}) and what Satan reported of it ({@link SatanReports}). Its
 * fields are private: the rest of God reads them through accessors and changes them only through
 * methods named after an event of its life; its state changes only through {@link #transitionTo}
 * and {@link #exitTo}, which assert the edge and publish the event.
 *
 * <p>What only jlist and describe show is read from its parts ({@link #run}, {@link #counters},
 * {@link #satanReports}); no logic beyond the state table's check (the decisions are in
 * {@link Supervisor} and its peers).
 */
final class Instance {
    final int pmId;
    /** NODE_APP_INSTANCE and JPM_INSTANCE_ID: 0..instances-1, the lowest free one for a scaled-up instance. */
    final int index;

    final long createdAt;
    final String outLog;
    final String errLog;
    /** pm_pid_path: where its pid file goes, fixed when the instance is made, as pm2's (a rename keeps it). */
    final String pidFile;

    private final String host;
    private final Consumer<ProcessEvent> events;

    /**
     * pm2's unique_id: one per process slot, kept across restarts and reloads. A random
     * (version 4) UUID, as pm2's, from ThreadLocalRandom: an identifier, not a secret, and
     * UUID.randomUUID reads /dev/urandom, a file read on God's event loop at each new instance.
     */
    private String uniqueId = randomId();
    /** pm_log_path: the file of both streams (log_file), or null. */
    private String combinedLog;

    private AppConfig config;
    private ProcessState state = ProcessState.STOPPED;
    private final InstanceRun run = new InstanceRun();
    private RestartCounters counters = new RestartCounters();
    private String lastReason = "created";
    /** Set by {@code jpm restart --watch}, which toggles watching like pm2's; null = as configured. */
    private Boolean watchOverride;
    /** pm2's _km_monitored, set by monitor and unmonitor; null (not listed) until one of them ran. */
    private Boolean monitored;

    private SatanReports satanReports = new SatanReports();
    /** Its listed pm2_env's steady part, encoded (SteadyParts): held here, it goes with the instance. */
    private SteadyParts.Kept steady;
    /**
     * True while a rolling reload replaces this run: its pm_id already belongs to the new run, it is
     * listed as {@code _old_<pm_id>}, its events carry {@code old_run}, and an exit is not restarted.
     */
    private boolean oldRun;
    /** Stops asked of this instance (stop, restart, delete, scale down, daemon stop): a reload tells them from its own failures. */
    private int stopsAsked;
    /** Completed when the instance leaves stopping (or launching) for a resting state. */
    final List<Runnable> onSettled = new ArrayList<>();

    Instance(
            int pmId,
            int index,
            AppConfig config,
            String outLog,
            String errLog,
            String combinedLog,
            String pidFile,
            String host,
            Consumer<ProcessEvent> events) {
        this.pmId = pmId;
        this.index = index;
        this.config = config;
        this.outLog = outLog;
        this.errLog = errLog;
        this.combinedLog = combinedLog;
        this.pidFile = pidFile;
        this.host = host;
        this.events = events;
        this.createdAt = System.currentTimeMillis();
    }

    /**
     * A reload's new run of an instance, as pm2's reload makes it: same pm_id, NODE_APP_INSTANCE, log
     * files and options, restart_time + 1, unstable_restarts and created_at reset.
     */
    static Instance nextRunOf(Instance old, Consumer<ProcessEvent> events) {
        Instance fresh = new Instance(
                old.pmId,
                old.index,
                old.config,
                old.outLog,
                old.errLog,
                old.combinedLog,
                old.pidFile,
                old.host,
                events);
        fresh.uniqueId = old.uniqueId;
        fresh.counters = old.counters.nextRun();
        fresh.watchOverride = old.watchOverride;
        fresh.monitored = old.monitored;
        fresh.satanReports = old.satanReports.nextRun();
        return fresh;
    }

    // ---- what the rest of God reads

    private static String randomId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xf000L) | 0x4000L; // version 4
        long low = (random.nextLong() & ~(0xc000L << 48)) | (0x8000L << 48); // IETF variant
        return new UUID(high, low).toString();
    }

    String uniqueId() {
        return uniqueId;
    }

    String combinedLog() {
        return combinedLog;
    }

    AppConfig config() {
        return config;
    }

    /** Its current run (process, channels, readiness, last exit), which the supervisor changes. */
    InstanceRun run() {
        return run;
    }

    /** The current run's pid, null when none runs (or its spawn has not reported yet). */
    Integer pid() {
        return run.pid();
    }

    /** Its restart counters, which the restart policy reads and counts into. */
    RestartCounters counters() {
        return counters;
    }

    SteadyParts.Kept steady() {
        return steady;
    }

    void steady(SteadyParts.Kept kept) {
        steady = kept;
    }

    /** pm2_env._km_monitored: null until monitor or unmonitor set it. */
    Boolean monitored() {
        return monitored;
    }

    void monitored(boolean on) {
        monitored = on;
    }

    String lastReason() {
        return lastReason;
    }

    /** What Satan reported of it (usage, verdicts, scrapes), which Satan's side of God folds in. */
    SatanReports satanReports() {
        return satanReports;
    }

    int privatePort() {
        return run.privatePort();
    }

    Future<Void> ready() {
        return run.ready();
    }

    AppChannels.Channel channel() {
        return run.channel();
    }

    boolean oldRun() {
        return oldRun;
    }

    int stopsAsked() {
        return stopsAsked;
    }

    // ---- how it changes: each method is one event of its life

    /** New options (a start or a file's reload): they apply from the next run. */
    void reconfigure(AppConfig newConfig) {
        config = newConfig;
    }

    /** A run is about to start: the last run's exit is forgotten. */
    void beginRun() {
        run.forgetExit();
    }

    /** A stop asked of it (not one of its own exits). */
    void stopAsked() {
        stopsAsked++;
    }

    /** Satan restarts it for this reason; out of errored, a fresh count of unstable restarts starts. */
    void restartedBySatan(String reason) {
        satanReports.restartedFor(reason);
        if (state == ProcessState.ERRORED) {
            counters.startOver();
        }
    }

    /** {@code jpm restart --watch} toggles watching; {@code jpm stop --watch} turns it off. */
    void toggleWatch() {
        watchOverride = !watchdog().watch();
    }

    void watchOff() {
        watchOverride = false;
    }

    /** New watch options were given: they apply as configured, whatever was toggled before. */
    void watchAsConfigured() {
        watchOverride = null;
    }

    /** A reload moves this run aside as {@code _old_<pm_id>}, or gives it its pm_id back. */
    void oldRun(boolean aside) {
        oldRun = aside;
    }

    ProcessState state() {
        return state;
    }

    /** The daemon's host name, as its events carry it. */
    String host() {
        return host;
    }

    String name() {
        return config.name();
    }

    /** Changes state along an allowed edge and publishes the event; a forbidden edge is a bug. */
    void transitionTo(ProcessState next, String reason) {
        transition(next, reason, false);
    }

    /** A transition the run's exit caused: its event carries the exit code or signal, whatever the state it left. */
    void exitTo(ProcessState next, String reason) {
        transition(next, reason, true);
    }

    private void transition(ProcessState next, String reason, boolean byExit) {
        if (!state.canMoveTo(next)) {
            throw new IllegalStateException(
                    "pm_id " + pmId + ": " + state + " -> " + next + " is not allowed (" + reason + ")");
        }
        ProcessState from = state;
        state = next;
        lastReason = reason;
        // an exit code or signal belongs only to the transitions an exit caused
        boolean exited = byExit || (from == ProcessState.ONLINE || from == ProcessState.STOPPING) && !next.hasProcess();
        events.accept(event().pid(run.pid())
                .from(from.word())
                .to(next.word())
                .reason(reason)
                .exitCode(exited ? run.exitCode() : null)
                .signal(exited && run.exitSignal() != null ? run.exitSignal().name() : null)
                .oldRun(oldRun)
                .build());
        if (!next.hasProcess() || next == ProcessState.ONLINE) {
            List<Runnable> waiters = new ArrayList<>(onSettled);
            onSettled.clear();
            waiters.forEach(Runnable::run);
        }
    }

    /**
     * Publishes the current state again ({@code from} = {@code to}) with a reason: a reload handing the
     * pm_id to a new run (the old run's last event before its stop, {@code old_run} true), or a failed
     * reload handing it back to the old run.
     */
    void announce(String reason) {
        events.accept(event().pid(run.pid())
                .from(state.word())
                .to(state.word())
                .reason(reason)
                .oldRun(oldRun)
                .build());
    }

    /** The jlist and ls id: the pm_id, or pm2's {@code _old_<pm_id>} for a reload's old run. */
    Object listedId() {
        return oldRun ? "_old_" + pmId : pmId;
    }

    /** Publishes a deletion; the instance leaves the table after this. */
    void announceDeleted() {
        events.accept(event().from(state.word())
                .to(ProcessEvent.DELETED)
                .reason("deleted")
                .exitCode(run.exitCode())
                .build());
    }

    /** An event of this instance, now. */
    private ProcessEvent.Builder event() {
        return ProcessEvent.builder()
                .app(name())
                .pmId(pmId)
                .time(System.currentTimeMillis())
                .host(host);
    }

    /** Satan's options with the watch toggle applied. */
    WatchdogOptions watchdog() {
        WatchdogOptions options = config.watchdog();
        return watchOverride == null
                ? options
                : options.withWatch(watchOverride, config.cwd().toString());
    }

    long uptimeMs(long now) {
        return state == ProcessState.ONLINE ? now - run.startedAt() : 0;
    }
}
