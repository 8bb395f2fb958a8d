package io.jpm.god;

import io.jpm.config.BalancerOptions;
import io.jpm.launcher.ListeningSockets;
import io.jpm.process.AppChannels;
import io.jpm.protocol.ProcessState;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.logging.Logger;

/**
 * Socket mode for the runs a previous daemon spawned, which this one adopted (docs/ARCHITECTURE.md,
 * "The keeper"): the keeper handed over the listening sockets and each Node run's IPC pipe, so the
 * runs still serve from the same socket. An app at fd 3 is put on its socket again; a Node run is
 * asked what it listens on (jpm-listen.js answers with the id, host and port the previous daemon
 * answered) and is dealt that socket's connections again. Runs on God's event loop, but for
 * {@link #adopted} and the pipe's hold (a worker thread, at spawn).
 */
final class AdoptedSockets {
    private static final Logger LOG = Logger.getLogger("jpm.god");
    /** To an adopted Node run: say again what you listen on; its answer, one per listen() still open. */
    static final String RELISTEN = "NODE_JPM_RELISTEN";

    static final String RELISTENING = "NODE_JPM_RELISTENING";

    private final Vertx vertx;
    private final SharedSockets sockets;
    private final KeptSockets kept;

    AdoptedSockets(Vertx vertx, SharedSockets sockets, KeptSockets kept) {
        this.vertx = vertx;
        this.sockets = sockets;
        this.kept = kept;
    }

    /**
     * An adopted run of a socket-mode app that is not Node (blocking: a worker): it serves from the
     * socket the previous daemon passed it at fd 3, which the keeper handed over; the app is put on it
     * again, so its next runs get the same socket and it closes once no run of the app is left. Without
     * it (no keeper socket, the port taken) the run is adopted anyway, and the reason logged.
     */
    void adopted(Instance instance) {
        BalancerOptions b = instance.config().balancer();
        if (instance.config().isNode() || b.port() == null) {
            return;
        }
        try {
            sockets.open(instance.name(), b.host(), b.port(), ListeningSockets.DEFAULT_BACKLOG);
        } catch (IOException e) {
            LOG.warning(() -> "pm_id " + instance.pmId + " (" + instance.name() + "): adopted, but its shared socket: "
                    + e.getMessage());
        }
    }

    /** A run spawned with Node's IPC pipe: the keeper holds the daemon's end too (blocking: a worker). */
    void holdPipe(AppChannels.Channel channel, int pid) {
        sockets.pipes().hold(channel, pid, channel.daemonEnd());
    }

    /** An adopted run's pipe, which the keeper holds under {@code key}. */
    void heldPipe(AppChannels.Channel channel, String key) {
        sockets.pipes().held(channel, key);
    }

    /** An adopted Node run is online: it is asked what it listens on. */
    void relisten(Instance instance) {
        AppChannels.Channel channel = instance.channel();
        if (channel != null && instance.config().isNode()) {
            channel.sendJson(new JsonObject().put("cmd", RELISTEN).encode());
        }
    }

    /** An adopted run listens on the host and port of {@code message} under the id the previous daemon answered. */
    void dealAgain(Instance instance, AppChannels.Channel channel, JsonObject message, SocketShare.Listening who) {
        Integer port = message.getValue("port") instanceof Number n ? n.intValue() : null;
        String host = message.getString("host");
        if (port == null || host == null) {
            return;
        }
        vertx.executeBlocking(() -> sockets.open(instance.name(), host, port, ListeningSockets.DEFAULT_BACKLOG), false)
                .onComplete(ar -> {
                    if (ar.failed()) {
                        LOG.warning(() -> "pm_id " + instance.pmId + " (" + instance.name() + "), adopted: its socket "
                                + host + ":" + port + ": " + ar.cause().getMessage());
                        return;
                    }
                    if (instance.channel() != channel || instance.state() == ProcessState.STOPPING) {
                        return;
                    }
                    kept.join(ar.result().fd(), who, KeptSockets.keeps(message));
                    LOG.info(() -> "pm_id " + instance.pmId + " (" + instance.name() + "), adopted: dealt the"
                            + " connections of " + ar.result().address() + " again");
                });
    }
}
