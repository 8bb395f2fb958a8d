package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.process.ProcStat;
import io.jpm.process.ProcessLauncher.ExitStatus;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.ProcessState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * An instance in launching: its next run spawned on the spawn pool (the blocking part in
 * {@link RunSpawner}), or the run a previous daemon left adopted, then brought online (at once,
 * once ready with wait_ready, in the balancer's rotation once it listens). Runs on God's event
 * loop; the {@link Supervisor} decides when an instance launches.
 */
final class Launching {
    private static final Logger LOG = Logger.getLogger("jpm.god");
    /**
     * How long a run adopted gone waits for the exit its keeper tells once the daemon is ready
     * (within a second or two of the adoption: the daemon's start, then the keeper's exit lines).
     */
    private static final long EXIT_TOLD_WITHIN_MS = 20_000;

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

    private final Vertx vertx;
    private final SpawnedChildren spawnedChildren;
    private final BalancerLink balancer;
    private final Readiness readiness;
    private final SocketShare sockets;
    private final RunSpawner runSpawner;
    private final WorkerExecutor spawns;
    private final SpawnFailure spawnFailure = SpawnFailure.ofThisProcess();
    /** Where the runs report their exits (the supervisor, on God's loop). */
    private final SpawnedChildren.ExitSink sink;
    /** Signals a run whose stop was asked while it was spawning. */
    private final Consumer<Instance> stopSignal;

    Launching(
            Vertx vertx,
            SpawnedChildren spawnedChildren,
            Path home,
            BalancerLink balancer,
            Readiness readiness,
            SocketShare sockets,
            ActionTriggers triggers,
            SpawnedChildren.ExitSink sink,
            Consumer<Instance> stopSignal) {
        this.vertx = vertx;
        this.spawnedChildren = spawnedChildren;
        this.balancer = balancer;
        this.readiness = readiness;
        this.sockets = sockets;
        this.runSpawner = new RunSpawner(spawnedChildren, home, readiness, sockets, new AppMessages(vertx), triggers);
        // closed with God's deployment
        this.spawns = vertx.createSharedWorkerExecutor(SPAWN_POOL, SPAWN_THREADS);
        this.sink = sink;
        this.stopSignal = stopSignal;
    }

    /** Spawns a launching instance's next run; completes once it is online or errored. */
    Future<Void> launch(Instance instance) {
        Promise<Void> settled = Promise.promise();
        instance.onSettled.add(settled::tryComplete);
        RunOutput runOutput = new RunOutput(vertx, instance, spawnedChildren.nextRun());
        instance.run().output(runOutput);
        boolean balanced = BalancerLink.balanced(instance);
        AppConfig config = instance.config();
        Promise<String> said = Promise.promise();
        Promise<Void> listening = Promise.promise();
        boolean pipe = SocketShare.needsPipe(config);
        Map<String, String> moduleEnv = new HashMap<>();
        // a run its predecessor spawned, which this daemon adopts (its keeper started it again)
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
                        stopSignal.accept(instance);
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
        instance.run().ready(balancer.join(instance).recover(e -> withProcessFacts(e, pid)));
        instance.ready()
                .onFailure(e -> LOG.warning(() ->
                        "pm_id " + instance.pmId + " (" + instance.name() + ") pid " + pid + ": " + e.getMessage()));
    }

    /**
     * A readiness that failed, with what /proc says of the run now (read off the loop): whether it
     * was short of CPU or waiting on something is what the operator asks next.
     */
    private Future<Void> withProcessFacts(Throwable e, int pid) {
        return vertx.executeBlocking(() -> ProcStat.describe(pid), false)
                .transform(facts -> Future.failedFuture(new JpmException(
                        JpmError.SPAWN_FAILED,
                        facts.succeeded() ? e.getMessage() + "; " + facts.result() : e.getMessage())));
    }

    /**
     * A run adopted gone, its exit to be told by the keeper (it reaped it after writing its
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

    /** The restart counts the previous daemon had for a run it left, carried over. */
    static void restoreCounts(Instance instance, AdoptedRun adopted) {
        AdoptedRun.Counts counts = adopted.counts();
        instance.counters()
                .restore(counts.restarts(), counts.unstableRestarts(), counts.unstableInARow(), counts.backoffMs());
    }
}
