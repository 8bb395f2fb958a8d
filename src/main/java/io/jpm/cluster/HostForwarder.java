package io.jpm.cluster;

import io.jpm.protocol.Addresses;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import java.util.List;

/**
 * This host's doors in the cluster: {@code jpm.host.<node>.cmd.*} and {@code .query.*} are
 * consumers on the cluster's bus that hand the request, as it came, to the local address it names
 * on the daemon's own bus and relay the reply (or the failure, with its code). A command reaches
 * another host only through these.
 */
final class HostForwarder {
    /** The addresses another host may reach here; kill, update and set stay with this host's own CLI. */
    static final List<String> FORWARDED = List.of(
            Addresses.CMD_START,
            Addresses.CMD_STOP,
            Addresses.CMD_RESTART,
            Addresses.CMD_RELOAD,
            Addresses.CMD_DELETE,
            Addresses.CMD_RESET,
            Addresses.CMD_SCALE,
            Addresses.CMD_SIGNAL,
            Addresses.CMD_TRIGGER,
            Addresses.CMD_FLUSH,
            Addresses.CMD_RELOAD_LOGS,
            Addresses.CMD_SAVE,
            Addresses.QUERY_LIST,
            Addresses.QUERY_DESCRIBE,
            Addresses.QUERY_PING,
            Addresses.QUERY_CONFIG,
            Addresses.QUERY_LOGS,
            Addresses.QUERY_HISTORY,
            Addresses.QUERY_HOST,
            Addresses.QUERY_ALERTS,
            Addresses.QUERY_EXCEPTIONS);
    /** A command may run long (a restart waits for the old run to stop); the sender's own deadline governs. */
    private static final long FORWARD_TIMEOUT_MS = 180_000;

    private HostForwarder() {}

    /**
     * Registers the doors of host {@code node} (this daemon's) on the cluster's bus; they end with it.
     *
     * @param daemon the daemon's own Vert.x, whose local addresses serve the requests
     */
    static void open(Vertx cluster, Vertx daemon, String node) {
        for (String local : FORWARDED) {
            cluster.eventBus().consumer(Addresses.onHost(node, local), message -> relay(daemon, local, message));
        }
    }

    /** Sends {@code message} on to {@code address} of {@code bus}; its reply, or its failure with the code, goes back. */
    static void relay(Vertx bus, String address, Message<Object> message) {
        DeliveryOptions options = new DeliveryOptions().setSendTimeout(FORWARD_TIMEOUT_MS);
        bus.eventBus().request(address, message.body(), options).onComplete(ar -> {
            if (ar.succeeded()) {
                message.reply(ar.result().body());
            } else if (ar.cause() instanceof ReplyException e) {
                message.fail(e.failureCode(), e.getMessage());
            } else {
                message.fail(-1, String.valueOf(ar.cause().getMessage()));
            }
        });
    }
}
