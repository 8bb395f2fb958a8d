package io.jpm.god;

import io.jpm.process.AppChannels;
import io.jpm.process.Signal;
import io.vertx.core.Future;
import java.util.Map;

/**
 * An instance's current run: its process (pid, private port, start), what it was given (its
 * channels, pm2's module configuration), its readiness behind the balancer, how the last run
 * ended, and what waits on it (the restart-delay or kill-timeout timer, an exit that overtook its
 * spawn's report). Part of {@link Instance}; God's event loop only.
 */
final class InstanceRun {
    private Integer pid;
    /** When the current run started (pm2's pm_uptime). */
    private long startedAt;
    /** The current run's private port (balanced apps), 0 when none. */
    private int privatePort;

    private Integer exitCode;
    private Signal exitSignal;
    /** One line naming what the last run left holding its output (see EscapedProcesses), null for nothing. */
    private String escaped;
    /** The current run's channels (wait_ready, shutdown_with_message), null when it has none. */
    private AppChannels.Channel channel;
    /** pm2's module configuration the current run was given (jpm set <app>.<key>), for jlist's env. */
    private Map<String, String> moduleEnv = Map.of();
    /** Balanced apps: completes once the current run is ready and in rotation; fails after listen_timeout. */
    private Future<Void> ready = Future.succeededFuture();
    /** The pending restart-delay or kill-timeout timer, -1 for none. */
    private long timerId = -1;
    /** When the pending restart is due (ms since the epoch), while waiting restart. */
    private long restartAt;
    /** Set when an exit arrives before the spawn has reported: handled once online. */
    private Runnable pendingExit;
    /** The run a previous daemon spawned that the next launch adopts, null for a spawn. */
    private AdoptedRun adopting;
    /** What the run reports from inside (a Node app's code metrics, actions, @pm2/io's options). */
    private final ReportedMetrics reported = new ReportedMetrics();
    /** Where the current (or last) run's output goes; null before the first launch. */
    private RunOutput output;
    /** The channel of the last run jpm stopped on request: what it reports from then on is its way out. */
    private AppChannels.Channel stoppedChannel;

    /** The run's pid, null when none runs (or its spawn has not reported yet). */
    Integer pid() {
        return pid;
    }

    long startedAt() {
        return startedAt;
    }

    int privatePort() {
        return privatePort;
    }

    Integer exitCode() {
        return exitCode;
    }

    Signal exitSignal() {
        return exitSignal;
    }

    /** What the last run left holding its output, in one line; null for nothing. */
    String escaped() {
        return escaped;
    }

    AppChannels.Channel channel() {
        return channel;
    }

    Map<String, String> moduleEnv() {
        return moduleEnv;
    }

    Future<Void> ready() {
        return ready;
    }

    /** A run is about to start: the last run's exit is forgotten. */
    void forgetExit() {
        exitCode = null;
        exitSignal = null;
        escaped = null;
    }

    /** The run's process was spawned (or adopted) with this pid and private port. */
    void spawned(int newPid, int port, long at, AppChannels.Channel runChannel) {
        pid = newPid;
        privatePort = port;
        startedAt = at;
        channel = runChannel;
        reported.newRun();
    }

    /** The run about to be launched writes through this. */
    void output(RunOutput runOutput) {
        output = runOutput;
    }

    /**
     * jpm stops the run on request: what it writes from now on, until its pipes end, is its way
     * out, not a crash (told before the signal, so before anything the signal makes it write).
     */
    void stopAsked() {
        if (output != null) {
            output.stopAsked();
        }
        stoppedChannel = channel;
    }

    /** Whether a line that came through {@code from} comes from a run jpm was stopping on request. */
    boolean stopAskedOf(AppChannels.Channel from) {
        return from != null && from == stoppedChannel;
    }

    ReportedMetrics reported() {
        return reported;
    }

    /** The variables of pm2's module configuration this run was spawned with. */
    void moduleEnv(Map<String, String> env) {
        moduleEnv = Map.copyOf(env);
    }

    /** The run's process is gone: with this exit when it was seen. */
    void ended(Integer code, Signal signal) {
        ended(code, signal, null);
    }

    /** The run's process is gone, with this exit, leaving these processes holding its output (null: none). */
    void ended(Integer code, Signal signal, String leftBehind) {
        pid = null;
        privatePort = 0;
        exitCode = code;
        exitSignal = signal;
        escaped = leftBehind;
    }

    /** The balancer's readiness of the run. */
    void ready(Future<Void> runReady) {
        ready = runReady;
    }

    /** The run's channel was closed. */
    void dropChannel() {
        channel = null;
    }

    /** The restart-delay or kill-timeout timer (-1: none). */
    long timer() {
        return timerId;
    }

    void timer(long id) {
        timerId = id;
    }

    long restartAt() {
        return restartAt;
    }

    /** A restart is scheduled for this time (ms since the epoch). */
    void restartAt(long at) {
        restartAt = at;
    }

    /** An exit that overtook the spawn's report, handled once the pid is known. */
    void deferExit(Runnable exit) {
        pendingExit = exit;
    }

    /** The next launch takes {@code run} over instead of spawning. */
    void adopting(AdoptedRun run) {
        adopting = run;
    }

    /** Whether its first launch adopts a run a previous daemon spawned. */
    boolean takingOver() {
        return adopting != null;
    }

    AdoptedRun takeAdoption() {
        AdoptedRun run = adopting;
        adopting = null;
        return run;
    }

    Runnable takeDeferredExit() {
        Runnable exit = pendingExit;
        pendingExit = null;
        return exit;
    }
}
