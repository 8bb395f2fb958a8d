package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.process.ProcessLauncher.ExitStatus;
import io.jpm.process.ProcessLauncher.StdinWrite;
import io.jpm.process.RestartPolicy;
import io.jpm.process.Signal;
import io.jpm.protocol.ProcessState;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Drives instances through their lifecycle: spawn (the blocking part in {@link RunSpawner}), stop
 * with the kill signal then SIGKILL, and the restart policy on exit. Runs on God's event loop; the
 * launcher's callbacks are brought back to it with {@link Context#runOnContext}.
 *
 * <p>A little over ~300 lines: the edges of an instance's life (start, stop, restart, exit, and the
 * timers between them) read best in one class, as supervisor's {@code transition()}; the decisions
 * are {@code RestartPolicy}'s.
 */
final class Supervisor {
    private static final Logger LOG = Logger.getLogger("jpm.god");
    /**
     * How long a run taken over gone waits for the exit its keeper tells once the daemon is ready
     * (within a second or two of the adoption: the daemon's start, then the keeper's exit lines).
     */
    private static final long EXIT_TOLD_WITHIN_MS = 20_000;

    private final Vertx vertx;
    private final Context context;
    private final SpawnedChildren spawnedChildren;

    private final BalancerLink balancer;
    private final Readiness readiness;
    private final SocketShare sockets;
    private final RunSpawner runSpawner;
    private final WorkerExecutor spawns;
    private final SpawnFailure spawnFailure = SpawnFailure.ofThisProcess();

    /**
     * Spawns run on a pool of their own, not on Vert.x's worker pool: a mass start queued a spawn per
     * app there, and the worker verticles (LogAggregator, config watcher, persistence), whose every
     * handler runs on that pool too, waited behind them: with 1,000 apps started on a slow machine
     * every worker was in posix_spawn and the LogAggregator wrote nothing meanwhile. Its threads end when idle,
     * as the worker pool's do (daemon.IdleEndingPools), so an idle daemon has none.
     */
    static final String SPAWN_POOL = "jpm-spawn";

    /** As many as Vert.x's worker pool had for them: a burst's spawns no slower than before. */
    static final int SPAWN_THREADS = 4;

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
        this.runSpawner = new RunSpawner(spawnedChildren, home, readiness, sockets, new AppMessages(vertx), triggers);
        // closed with God's deployment
        this.spawns = vertx.createSharedWorkerExecutor(SPAWN_POOL, SPAWN_THREADS);
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
        return launch(instance);
    }

    /** Spawns a launching instance's next run; completes once it is online or errored. */
    Future<Void> launch(Instance instance) {
        Promise<Void> settled = Promise.promise();
        instance.onSettled.add(settled::tryComplete);
        RunOutput runOutput = new RunOutput(vertx, instance, spawnedChildren.nextRun());
        boolean balanced = BalancerLink.balanced(instance);
        SpawnedChildren.ExitSink sink = exitSink();
        AppConfig config = instance.config();
        Promise<String> said = Promise.promise();
        Promise<Void> listening = Promise.promise();
        boolean pipe = SocketShare.needsPipe(config);
        Map<String, String> moduleEnv = new HashMap<>();
        // a run its predecessor spawned, which this daemon takes over (its keeper started it again)
        AdoptedRun adopted = instance.run().takeAdoption();
        if (adopted != null) {
            restoreCounts(instance, adopted);
        }
        spawns.executeBlocking(
                        () -> {
                            if (adopted != null) {
                                return runSpawner.adoptRun(instance, adopted, runOutput, sink);
                            }
                            spawnFailure.checkReserve();
                            return runSpawner.spawnRun(
                                    instance, balanced, pipe, moduleEnv, runOutput, sink, said, listening);
                        },
                        false)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        String reason = spawnFailure.reason(ar.cause());
                        LOG.warning(() -> instance.name() + " (id " + instance.pmId + "): " + reason);
                        instance.transitionTo(ProcessState.ERRORED, reason);
                        return;
                    }
                    SpawnedChildren.Held held = ar.result().held();
                    sockets.leave(instance);
                    Readiness.close(instance);
                    instance.run()
                            .spawned(
                                    held.pid,
                                    held.port,
                                    adopted != null ? adopted.startedAt() : System.currentTimeMillis(),
                                    ar.result().channel());
                    instance.run().moduleEnv(moduleEnv);
                    if (instance.state() == ProcessState.STOPPING) {
                        // stop was asked while spawning: deliver it now that there is a group to signal
                        sendStopSignal(instance);
                    } else if (adopted != null && adopted.exit() != null) {
                        // it ended while no daemon ran: its output is read to the end, then its exit,
                        // as the keeper reaped it, goes through the policy as any exit (onExit)
                        spawnedChildren.adoptedExited(held.pid, adopted.exit(), adopted.exitedAt());
                    } else if (adopted != null && adopted.exitPending()) {
                        // it ended after the keeper's inventory: its exit comes once this daemon is ready
                        awaitToldExit(instance, held.pid);
                    } else if (adopted != null) {
                        // it was ready under the previous daemon; a shared socket's run holds the socket
                        if (balanced) {
                            joinRotation(instance);
                        }
                        instance.transitionTo(ProcessState.ONLINE, "adopted pid " + held.pid);
                        sockets.adoption().relisten(instance);
                    } else if (config.ecosystem().waitReady()) {
                        readiness.await(
                                instance,
                                instance.pid(),
                                said,
                                reason -> goOnline(instance, balanced, listening, reason));
                    } else {
                        goOnline(instance, balanced, listening, "spawned pid " + instance.pid());
                    }
                    Runnable pending = instance.run().takeDeferredExit();
                    if (pending != null) {
                        pending.run();
                    }
                });
        return settled.future();
    }

    private void goOnline(Instance instance, boolean balanced, Promise<Void> listening, String reason) {
        // before the transition: whoever waits for online then finds this run's readiness
        if (balanced) {
            joinRotation(instance);
        } else if (SocketShare.shares(instance)) {
            int pid = instance.pid();
            instance.run().ready(sockets.ready(instance, pid, listening.future()));
            instance.ready().onFailure(e -> {
                if (instance.pid() != null && instance.pid() == pid) {
                    LOG.warning(() -> "pm_id " + instance.pmId + " (" + instance.name() + "): " + e.getMessage());
                }
            });
        }
        instance.transitionTo(ProcessState.ONLINE, reason);
    }

    /** Asks the balancer to put the run in rotation once ready; {@link Instance#ready} tells when. */
    private void joinRotation(Instance instance) {
        int pid = instance.pid();
        instance.run().ready(balancer.join(instance));
        instance.ready()
                .onFailure(e -> LOG.warning(() ->
                        "pm_id " + instance.pmId + " (" + instance.name() + ") pid " + pid + ": " + e.getMessage()));
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
            instance.transitionTo(ProcessState.STOPPING, reason);
            if (!spawning) {
                sendStopSignal(instance);
            }
        }
        return stopped.future();
    }

    /** Restarts: stop then start; counted in restart_time only when the instance was running. */
    Future<Void> restart(Instance instance, String reason) {
        boolean wasRunning = instance.state().isActive();
        return stop(instance, reason).compose(v -> {
            if (wasRunning) {
                instance.counters().countRestart();
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
        restoreCounts(instance, waiting);
        if (waiting.exit() != null) {
            instance.run().ended(waiting.exit().exitCode(), waiting.exit().signal());
        }
        long delay = Math.max(1, waiting.restartAt() - System.currentTimeMillis());
        String how = waiting.exit() != null ? waiting.exit().toString() : "an exit";
        // implies STOPPED -> WAITING_RESTART: the previous daemon's decision, carried over
        instance.transitionTo(
                ProcessState.WAITING_RESTART,
                "taken over from the previous daemon after " + how + "; restart in " + delay + " ms");
        scheduleRestart(instance, delay, how);
    }

    /**
     * A run taken over gone, its exit to be told by the keeper (it reaped it after writing its
     * inventory, and tells it once this daemon is ready). Should none come, the previous daemon had
     * reaped it itself and died before its record said so: the exit is then one nobody can know
     * (code 127, as the launchers say for it), and the policy decides as for any exit.
     */
    private void awaitToldExit(Instance instance, int pid) {
        vertx.setTimer(EXIT_TOLD_WITHIN_MS, t -> {
            if (instance.state() == ProcessState.LAUNCHING && instance.pid() != null && instance.pid() == pid) {
                LOG.warning(() -> "pm_id " + instance.pmId + " (" + instance.name() + "): pid " + pid
                        + " was gone when this daemon took it over, and no exit was told for it: exit unknown");
                spawnedChildren.adoptedExited(pid, ExitStatus.code(127));
            }
        });
    }

    private static void restoreCounts(Instance instance, AdoptedRun adopted) {
        AdoptedRun.Counts counts = adopted.counts();
        instance.counters()
                .restore(counts.restarts(), counts.unstableRestarts(), counts.unstableInARow(), counts.backoffMs());
    }

    private void scheduleRestart(Instance instance, long delayMs, String how) {
        instance.run().restartAt(System.currentTimeMillis() + Math.max(1, delayMs));
        instance.run().timer(vertx.setTimer(Math.max(1, delayMs), t -> {
            instance.run().timer(-1);
            instance.counters().countRestart();
            instance.transitionTo(ProcessState.LAUNCHING, "restart after " + how);
            launch(instance);
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
        long uptime = (reaped >= instance.startedAt() ? reaped : System.currentTimeMillis()) - instance.startedAt();
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
        RestartPolicy policy = instance.config().policy();
        instance.counters().countExit(policy.isUnstable(uptime));
        RestartPolicy.Decision decision = policy.onExit(
                status.exitCode(),
                uptime,
                instance.counters().consecutiveUnstable(),
                instance.counters().lastBackoffMs());
        if (decision instanceof RestartPolicy.Decision.Restart restart) {
            instance.counters().backoff(restart.nextBackoffMs());
            instance.exitTo(ProcessState.WAITING_RESTART, how + "; restart in " + restart.delayMs() + " ms");
            scheduleRestart(instance, restart.delayMs(), how);
        } else if (decision instanceof RestartPolicy.Decision.Stop stop) {
            instance.exitTo(ProcessState.STOPPED, how + "; " + stop.reason());
        } else if (decision instanceof RestartPolicy.Decision.Errored errored) {
            instance.exitTo(ProcessState.ERRORED, how + "; " + errored.reason());
        }
    }

    private void cancelTimer(Instance instance) {
        if (instance.run().timer() >= 0) {
            vertx.cancelTimer(instance.run().timer());
            instance.run().timer(-1);
        }
    }
}
