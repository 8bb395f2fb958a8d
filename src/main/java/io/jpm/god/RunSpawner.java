package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.process.AppChannels;
import io.jpm.process.LaunchSpec;
import io.jpm.process.ProcessLauncher.DescriptorKeeper;
import io.vertx.core.Promise;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The blocking part of a run's launch, on a worker: the run's private port (a balanced app's), its
 * environment, its readiness channel (NOTIFY_SOCKET, Node's IPC), its launch spec with the
 * descriptors it is given, and the spawn. What comes of it is
 * {@link Supervisor}'s, back on God's event loop.
 */
final class RunSpawner {
    private final SpawnedChildren spawnedChildren;
    private final Path home;
    private final Readiness readiness;
    private final SocketShare sockets;
    private final RunMessages messages;

    RunSpawner(
            SpawnedChildren spawnedChildren,
            Path home,
            Readiness readiness,
            SocketShare sockets,
            AppMessages appMessages,
            ActionTriggers triggers) {
        this.spawnedChildren = spawnedChildren;
        this.home = home;
        this.readiness = readiness;
        this.sockets = sockets;
        this.messages = new RunMessages(sockets, appMessages, triggers);
    }

    /** A run spawned, with the channels it was given (null: none). */
    record Spawned(SpawnedChildren.Held held, AppChannels.Channel channel) {}

    /** Spawns a run of {@code instance} with its channel's variables and descriptors (blocking: a worker). */
    private SpawnedChildren.Held spawn(
            Instance instance,
            AppChannels.Channel channel,
            Map<String, String> env,
            int port,
            RunOutput runOutput,
            SpawnedChildren.ExitSink sink)
            throws IOException {
        AppConfig config = instance.config();
        try {
            if (channel != null) {
                env.putAll(channel.env());
            }
            List<String> command = config.launchCommand(readiness.nodeArgs(config, channel));
            LaunchSpec spec = new LaunchSpec(
                            command, config.cwd(), env, config.ecosystem().treekill())
                    .inOwnSession(!"cluster".equals(config.execMode()));
            if (channel != null) {
                spec = spec.inheriting(channel.inherited());
            }
            if (SocketShare.shares(instance)) {
                spec = sockets.prepare(instance, spec, env);
            }
            return spawnedChildren.spawn(spec, instance, port, runOutput, sink);
        } finally {
            if (channel != null) {
                channel.spawned();
            }
        }
    }

    /**
     * Adopts a run a previous daemon spawned (blocking: a worker): its own port, and Node's IPC
     * pipe when the keeper held one (socket mode), else no channel.
     */
    Spawned adoptRun(Instance instance, AdoptedRun run, RunOutput runOutput, SpawnedChildren.ExitSink sink)
            throws IOException {
        if (SocketShare.shares(instance)) {
            sockets.adoption().adopted(instance);
        }
        // a Node run in socket mode: its IPC pipe, which the keeper held, so it was never disconnected;
        // another Node run: its preload's token, under which it connects again to this daemon
        AppChannels.Channel channel = null;
        if (run.ipc() >= 0) {
            channel = readiness.adoptPipe(
                    run.ipc(),
                    (from, json) -> messages.accept(instance, from, json, Promise.promise()),
                    (from, json) -> RunMessages.takenOnItsThread(instance, from, json));
        } else if (run.ipcToken() != null) {
            channel = readiness.adoptToken(
                    run.ipcToken(),
                    (from, json) -> messages.accept(instance, from, json, Promise.promise()),
                    (from, json) -> RunMessages.takenOnItsThread(instance, from, json));
        }
        try {
            SpawnedChildren.Held held = spawnedChildren.adopt(
                    run.adoption(), instance.config().ecosystem().treekill(), instance, run.port(), runOutput, sink);
            if (channel != null && run.ipc() >= 0) {
                sockets.adoption()
                        .heldPipe(
                                channel,
                                DescriptorKeeper.key(
                                        "ipc",
                                        run.adoption().pid(),
                                        run.adoption().startTicks()));
            }
            return new Spawned(held, channel);
        } catch (IOException | RuntimeException e) {
            if (channel != null) {
                channel.close();
            }
            throw e;
        }
    }

    /**
     * Spawns {@code instance}'s next run (blocking: a worker). {@code moduleEnv} gets the variables
     * its modules' settings gave it; {@code said} and {@code listening} complete when the app says
     * ready or listens, through its channel.
     */
    Spawned spawnRun(
            Instance instance,
            boolean balanced,
            boolean pipe,
            Map<String, String> moduleEnv,
            RunOutput runOutput,
            SpawnedChildren.ExitSink sink,
            Promise<String> said,
            Promise<Void> listening)
            throws IOException {
        AppConfig config = instance.config();
        // a fresh private port per run: during a reload the old run still holds its own
        int port = balanced ? BalancerLink.freePort() : 0;
        moduleEnv.putAll(RunEnvironment.moduleEnv(home, config));
        Map<String, String> env = RunEnvironment.of(instance, port, home, moduleEnv);
        AppChannels.Channel channel = readiness.needed(config) || pipe
                ? readiness.open(
                        config,
                        pipe,
                        said,
                        (from, json) -> messages.accept(instance, from, json, listening),
                        (from, json) -> RunMessages.takenOnItsThread(instance, from, json))
                : null;
        try {
            SpawnedChildren.Held held = spawn(instance, channel, env, port, runOutput, sink);
            if (channel != null && channel.daemonEnd() >= 0) {
                sockets.adoption().holdPipe(channel, held.pid);
            }
            return new Spawned(held, channel);
        } catch (Exception | Error e) {
            if (channel != null) {
                channel.close();
            }
            throw e;
        }
    }
}
