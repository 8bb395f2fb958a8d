package io.jpm.god;

import io.jpm.process.ProcessLauncher.ExitStatus;
import io.jpm.process.ProcessLauncher.StdinWrite;
import io.jpm.process.RestartPolicy;
import io.jpm.process.Signal;
import io.jpm.protocol.ProcessState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * Drives instances through their lifecycle: start (the run's launch in {@link Launching}), stop
 * with the kill signal then SIGKILL, and the restart policy on exit. Runs on God's event loop; the
 * launcher's callbacks are brought back to it with {@link Context#runOnContext}. The edges of an
 * instance's life (start, stop, restart, exit, and the timers between them) read best in one class,
 * as supervisor's {@code transition()}; the decisions are {@code RestartPolicy}'s.
 */
final class Supervisor {
    private static final Logger LOG = Logger.getLogger("jpm.god");

    private final Vertx vertx;
    private final Context context;
    private final SpawnedChildren spawnedChildren;

    private final BalancerLink balancer;
    private final Readiness readiness;
    private final SocketShare sockets;
    private final Launching launching;

    Supervisor(
            Vertx vertx,
            Context context,
            SpawnedChildren spawnedChildren,
            Path home,
            BalancerLink balancer,
            Readiness readiness,
            SocketShare sockets,
            ActionTriggers triggers) {
        this.vertx = vertx;
        this.context = context;
        this.spawnedChildren = spawnedChildren;
        this.balancer = balancer;
        this.readiness = readiness;
        this.sockets = sockets;
        this.launching = new Launching(
                vertx, spawnedChildren, home, balancer, readiness, sockets, triggers, exitSink(), this::sendStopSignal);
    }

    /** Where this God's children report their exits: its event loop. */
    SpawnedChildren.ExitSink exitSink() {
        return (owner, pid, status) -> context.runOnContext(v -> onExit(owner, pid, status));
    }

    /** Starts a resting instance; completes once it is online or errored. */
    Future<Void> start(Instance instance, String reason) {
        if (instance.state().isActive()) {
            return Future.succeededFuture();
        }
        cancelTimer(instance);
        instance.beginRun();
        instance.transitionTo(ProcessState.LAUNCHING, reason);
        return launching.launch(instance);
    }

    /** Stops an instance; completes once it rests (stopped). */
    Future<Void> stop(Instance instance, String reason) {
        switch (instance.state()) {
            case STOPPED:
                return Future.succeededFuture();
            case ERRORED:
            case WAITING_RESTART:
                instance.stopAsked();
                cancelTimer(instance);
                instance.transitionTo(ProcessState.STOPPED, reason);
                return Future.succeededFuture();
            default:
                break;
        }
        instance.stopAsked();
        Promise<Void> stopped = Promise.promise();
        instance.onSettled.add(stopped::tryComplete);
        if (instance.state() != ProcessState.STOPPING) {
            boolean spawning = instance.state() == ProcessState.LAUNCHING && instance.pid() == null;
            // before the signal: every stop through here was asked for (a command, reload, scale
            // down, Satan's memory or cron restart, a watch); an exit by itself never comes here
            instance.run().stopAsked();
            instance.transitionTo(ProcessState.STOPPING, reason);
            if (!spawning) {
                sendStopSignal(instance);
            }
        }
        return stopped.future();
    }

    /**
     * Restarts: stop then start; counted in restart_time only when the instance was running. The
     * app's package.json version is read again meanwhile, as pm2's restart does (a deploy bumps it).
     */
    Future<Void> restart(Instance instance, String reason) {
        boolean wasRunning = instance.state().isActive();
        Future<String> version = vertx.executeBlocking(() -> instance.config().packageVersionNow(), false);
        return stop(instance, reason)
                .compose(v -> {
                    if (wasRunning) {
                        instance.counters().countRestart();
                    }
                    return version.otherwiseEmpty();
                })
                .compose(now -> {
                    if (now != null) {
                        instance.reconfigure(instance.config().withPackageVersion(now));
                    }
                    return start(instance, reason);
                });
    }

    /** Queues bytes for the instance's stdin (NO_PROCESS when it runs none to take them). */
    StdinWrite writeStdin(Instance instance, byte[] bytes) {
        return instance.pid() == null ? StdinWrite.NO_PROCESS : spawnedChildren.writeStdin(instance.pid(), bytes);
    }

    boolean signal(Instance instance, Signal signal) {
        return instance.pid() != null
                && spawnedChildren.signal(
                        instance.pid(), signal, instance.config().ecosystem().treekill());
    }

    /**
     * An instance its predecessor left waiting restart (the daemon died during the delay): it waits on
     * here with its counts and last exit, and restarts when it was due (at once if that has passed).
     */
    void resumeAdoptedWait(Instance instance, AdoptedRun waiting) {
        Launching.restoreCounts(instance, waiting);
        if (waiting.exit() != null) {
            instance.run().ended(waiting.exit().exitCode(), waiting.exit().signal());
        }
        long delay = Math.max(1, waiting.restartAt() - System.currentTimeMillis());
        String how = waiting.exit() != null ? waiting.exit().toString() : "an exit";
        // implies STOPPED -> WAITING_RESTART: the previous daemon's decision, carried over
        instance.transitionTo(
                ProcessState.WAITING_RESTART,
                "adopted from the previous daemon after " + how + "; restart in " + delay + " ms");
        scheduleRestart(instance, delay, how);
    }

    private void scheduleRestart(Instance instance, long delayMs, String how) {
        instance.run().restartAt(System.currentTimeMillis() + Math.max(1, delayMs));
        instance.run().timer(vertx.setTimer(Math.max(1, delayMs), t -> {
            instance.run().timer(-1);
            instance.counters().countRestart();
            instance.transitionTo(ProcessState.LAUNCHING, "restart after " + how);
            launching.launch(instance);
        }));
    }

    private void sendStopSignal(Instance instance) {
        // no new connection may reach a process that is stopping
        balancer.leave(instance, instance.pid(), 0);
        sockets.leave(instance);
        RestartPolicy policy = instance.config().policy();
        boolean tree = instance.config().ecosystem().treekill();
        if (readiness.shutdownByMessage(instance)) {
            LOG.fine(() ->
                    "pm_id " + instance.pmId + " (" + instance.name() + "): sent 'shutdown' (shutdown_with_message)");
        } else {
            spawnedChildren.signal(instance.pid(), policy.killSignal(), tree);
        }
        instance.run().timer(vertx.setTimer(Math.max(1, policy.killTimeoutMs()), t -> {
            instance.run().timer(-1);
            if (instance.state() == ProcessState.STOPPING
                    && instance.pid() != null
                    && spawnedChildren.signal(instance.pid(), Signal.SIGKILL, tree)) {
                LOG.info(() -> "pm_id " + instance.pmId + " (" + instance.name() + ") still up after kill_timeout "
                        + policy.killTimeoutMs() + " ms: SIGKILL");
            }
        }));
    }

    /** The exit of a spawned process, on God's event loop. */
    void onExit(Instance instance, int pid, ExitStatus status) {
        spawnedChildren.bury(pid);
        if (instance.pid() == null) {
            if (instance.state().hasProcess()) {
                // the exit overtook the spawn's own report: handle it once the pid is known
                instance.run().deferExit(() -> onExit(instance, pid, status));
            }
            return;
        }
        if (instance.pid() != pid) {
            return;
        }
        cancelTimer(instance);
        sockets.leave(instance);
        Readiness.close(instance);
        // a crashed instance leaves the rotation at once; it rejoins once its next run is ready
        balancer.leave(instance, pid, 0);
        // a run the keeper reaped (an adopted one) ended then, not when this daemon heard of it
        long reaped = spawnedChildren.reapTime(pid);
        // (a reap from before this run started was of another process that had its number)
        long startedAt = instance.run().startedAt();
        long uptime = (reaped >= startedAt ? reaped : System.currentTimeMillis()) - startedAt;
        String escaped = EscapedProcesses.line(status.escaped());
        instance.run().ended(status.exitCode(), status.signal(), escaped);
        if (escaped != null) {
            LOG.warning(() -> "pm_id " + instance.pmId + " (" + instance.name() + "): " + escaped);
        }
        String how = status.toString();
        if (instance.state() == ProcessState.STOPPING) {
            instance.exitTo(ProcessState.STOPPED, "exit after a stop: " + how);
            return;
        }
        if (instance.oldRun()) {
            // a reload's old run is not restarted: its pm_id already has a new run
            instance.exitTo(ProcessState.STOPPED, how + " while being replaced by a reload");
            return;
        }
        String outcome = afterExit(instance, status, uptime, how);
        // an exit nobody asked for, as pm2.log tells it: what an operator reads first after a crash
        LOG.info(() -> "pm_id " + instance.pmId + " (" + instance.name() + ") pid " + pid + " ended after " + uptime
                + " ms up: " + outcome);
    }

    /** What the restart policy makes of an exit nobody asked for: the state's reason, which it also enters. */
    private String afterExit(Instance instance, ExitStatus status, long uptime, String how) {
        RestartPolicy policy = instance.config().policy();
        instance.counters().countExit(policy.isUnstable(uptime), System.currentTimeMillis());
        RestartPolicy.Decision decision = policy.onExit(
                status.exitCode(),
                uptime,
                instance.counters().consecutiveUnstable(),
                instance.counters().lastBackoffMs());
        if (decision instanceof RestartPolicy.Decision.Restart restart) {
            instance.counters().backoff(restart.nextBackoffMs());
            String reason = how + "; restart in " + restart.delayMs() + " ms";
            instance.exitTo(ProcessState.WAITING_RESTART, reason);
            scheduleRestart(instance, restart.delayMs(), how);
            return reason;
        }
        String reason;
        ProcessState next;
        if (decision instanceof RestartPolicy.Decision.Stop stop) {
            reason = how + "; " + stop.reason();
            next = ProcessState.STOPPED;
        } else {
            reason = how + "; " + ((RestartPolicy.Decision.Errored) decision).reason();
            next = ProcessState.ERRORED;
        }
        instance.exitTo(next, reason);
        return reason;
    }

    private void cancelTimer(Instance instance) {
        if (instance.run().timer() >= 0) {
            vertx.cancelTimer(instance.run().timer());
            instance.run().timer(-1);
        }
    }
}
