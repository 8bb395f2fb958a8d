package io.jpm.process;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The ways a running app talks back to its manager, beyond its output: it says it is ready
 * (pm2's {@code wait_ready}) and, for Node, it is told to shut down by a message (pm2's
 * {@code shutdown_with_message}). Two doors, one per kind of app:
 * <ul>
 *   <li>any language: systemd's {@code NOTIFY_SOCKET}, a datagram socket the app (or sd_notify,
 *       systemd-notify, go-systemd, python's sdnotify...) sends {@code READY=1} to;
 *   <li>Node: pm2's IPC channel, {@code process.send('ready')} and {@code process.on('message')},
 *       given by a small preload ({@code node -r}) that carries the messages over a Unix socket.
 * </ul>
 * One {@link Channel} per run; opened only for apps that use one of the two options.
 */
public interface AppChannels {

    /** What a run says; called on a channel thread, never an event loop. */
    interface Listener {
        /** The app said it is ready; {@code how} says by which door ("READY=1", "process.send('ready')"). */
        void ready(String how);

        /** Any other message of a Node app's real IPC pipe: one JSON value (what process.send sent). */
        default void message(String json) {}
    }

    /** One run's channels: what to add to its launch, and the way back to it. */
    interface Channel extends AutoCloseable {
        /** Variables for the run's environment (NOTIFY_SOCKET, and the preload's address for Node). */
        Map<String, String> env();

        /** Arguments for node before the script (the preload), empty for other apps. */
        List<String> nodeArgs();

        /**
         * Sends a message as {@code process.send} from the manager would ({@code 'shutdown'}): false
         * when the app has no channel open to receive it (not Node, or the preload did not connect).
         */
        boolean send(String message);

        /** Descriptors the run inherits for its channels (Node's IPC pipe), announced by their variables. */
        default List<LaunchSpec.Inherited> inherited() {
            return List.of();
        }

        /**
         * The token jpm-ipc.js names its run by, which a next daemon adopts ({@link #adoptToken});
         * null without that preload.
         */
        default String ipcToken() {
            return null;
        }

        /**
         * The daemon's end of Node's IPC pipe, which its keeper holds a duplicate of so that the pipe
         * outlives the daemon (the app's channel never disconnects); -1 without a pipe.
         */
        default int daemonEnd() {
            return -1;
        }

        /** The run was spawned with {@link #inherited}: the daemon's copies of the app's ends go. */
        default void spawned() {}

        /**
         * Sends a listening socket over Node's IPC pipe as a {@code net.Server}, with {@code json} as
         * the message the app's {@code process.on('message', (msg, server))} gets; false without a pipe.
         */
        default boolean sendServer(String json, int fd) {
            return false;
        }

        /**
         * Offers an accepted connection over Node's IPC pipe as a raw TCP handle: 1 sent, 0 the app's
         * pipe is full now and {@code patient} is false (nothing sent), -1 no pipe (closed, or none).
         */
        default int offerConnection(String json, int fd, boolean patient) {
            return -1;
        }

        /**
         * Sends one JSON value over Node's IPC pipe unless the pipe is full now (the app is behind: it
         * is not waited for): 1 sent, 0 full (nothing sent), -1 no pipe.
         */
        default int offerJson(String json) {
            return -1;
        }

        /** Sends one JSON value as it is over Node's IPC pipe; false without a pipe. */
        default boolean sendJson(String json) {
            return false;
        }

        /** Closes the run's sockets; the app's later messages go nowhere. */
        @Override
        void close();
    }

    /**
     * Opens a run's channels.
     *
     * @param node whether the app runs under node (it gets the preload and its socket)
     * @throws IOException when a socket cannot be made
     */
    default Channel open(boolean node, Listener listener) throws IOException {
        return open(node, false, listener);
    }

    /**
     * Opens a run's channels; with {@code pipe}, a Node app gets Node's own IPC pipe (inherited,
     * {@code NODE_CHANNEL_FD}) instead of the preload, so that a descriptor can be sent to it.
     */
    Channel open(boolean node, boolean pipe, Listener listener) throws IOException;

    /**
     * The channel of an adopted run: Node's IPC pipe whose daemon's end {@code daemonEnd} the keeper
     * handed over (a previous daemon opened it); what the app sends goes to {@code listener}.
     *
     * @throws IOException when it cannot be read here
     */
    default Channel adoptPipe(int daemonEnd, Listener listener) throws IOException {
        throw new IOException("no Node IPC pipe can be adopted here");
    }

    /**
     * The channel of an adopted run whose preload (jpm-ipc.js) lost its connection with the daemon
     * that spawned it: its token, which a previous daemon gave it, is taken here, and the preload,
     * which connects again until a daemon takes it, is this run's channel once it does.
     *
     * @throws IOException when it cannot be taken here
     */
    default Channel adoptToken(String token, Listener listener) throws IOException {
        throw new IOException("no Node channel can be adopted here");
    }

    /**
     * Arguments node gets before the script in every Node app, whatever its channels: the preload
     * that logs an unhandled rejection and an uncaught exception as pm2's container does (blocking:
     * the file may be written on first use).
     */
    default List<String> nodeArgs() throws IOException {
        return List.of();
    }

    /**
     * Arguments node gets after its channel's preload in a Node app that reports its code metrics
     * (pm2's pmx): the preload that sends its heap, event loop and HTTP figures over the channel
     * (blocking: the file may be written on first use).
     */
    default List<String> metricsArgs() throws IOException {
        return List.of();
    }

    /**
     * Arguments node gets last in a Node app started with {@code trace}: the preload that starts
     * OpenTelemetry's Node SDK from JPM_HOME/otel (blocking: the file may be written on first use).
     */
    default List<String> traceArgs() throws IOException {
        return List.of();
    }

    /** Closes every door (the daemon stops). */
    default void shutdown() {}
}
