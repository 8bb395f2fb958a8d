package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.config.BalancerOptions;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.UpstreamRequest;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * God's side of the ClusterBalancer: tells it which instances of a balanced app run and on which
 * private port, over the event bus (verticles never hold each other). Instances of fork apps are
 * ignored here, so callers need not ask.
 */
final class BalancerLink {
    /** Margin over the balancer's own deadlines, so its answer (not the bus timeout) is what God sees. */
    private static final long BUS_MARGIN_MS = 10_000;

    private final Vertx vertx;

    BalancerLink(Vertx vertx) {
        this.vertx = vertx;
    }

    static boolean balanced(Instance instance) {
        return instance.config().balancer().balanced();
    }

    /** A free ephemeral port on loopback for an instance's PORT; blocking (call off the event loop). */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress("127.0.0.1", 0));
            return socket.getLocalPort();
        }
    }

    /** Opens (or keeps) the app's public port; fails when it cannot be bound. */
    Future<Void> open(AppConfig config) {
        BalancerOptions b = config.balancer();
        if (!b.balanced()) {
            return Future.succeededFuture();
        }
        return request(Addresses.INTERNAL_BALANCER_OPEN, b.spec(config.name()), BUS_MARGIN_MS)
                .mapEmpty();
    }

    Future<Void> close(String app) {
        return request(Addresses.INTERNAL_BALANCER_CLOSE, new JsonObject().put("app", app), BUS_MARGIN_MS)
                .mapEmpty();
    }

    /** The instance is online on its private port: completes once it is ready and in rotation. */
    Future<Void> join(Instance instance) {
        if (!balanced(instance) || instance.pid() == null || instance.privatePort() <= 0) {
            return Future.succeededFuture();
        }
        BalancerOptions b = instance.config().balancer();
        boolean health = instance.config().watchdog().health() != null;
        UpstreamRequest request = new UpstreamRequest(
                instance.name(), instance.pmId, instance.pid(), instance.privatePort(), b.listenTimeoutMs(), health, 0);
        return request(Addresses.INTERNAL_BALANCER_JOIN, request, b.listenTimeoutMs() + BUS_MARGIN_MS)
                .mapEmpty();
    }

    /**
     * Out of rotation before a stop the app asked for (a reload's old run, a scaled-down instance):
     * completes once its connections are done, or after the app's kill_timeout, as long as its stop
     * would let them run.
     */
    Future<Void> drain(Instance instance) {
        Integer pid = instance.pid();
        return pid == null
                ? Future.succeededFuture()
                : leave(instance, pid, instance.config().policy().killTimeoutMs());
    }

    /** Out of rotation; with drainMs &gt; 0 completes once its connections are done (or drainMs passed). */
    Future<Void> leave(Instance instance, int pid, long drainMs) {
        if (!balanced(instance)) {
            return Future.succeededFuture();
        }
        UpstreamRequest request = new UpstreamRequest(instance.name(), instance.pmId, pid, 0, 0, false, drainMs);
        return request(Addresses.INTERNAL_BALANCER_LEAVE, request, drainMs + BUS_MARGIN_MS)
                .mapEmpty();
    }

    /** Per-instance counters by pid; empty when the balancer does not answer. */
    Future<JsonObject> stats() {
        return request(Addresses.INTERNAL_BALANCER_STATS, new JsonObject(), 2000)
                .otherwise(new JsonObject());
    }

    private Future<JsonObject> request(String address, Object body, long timeoutMs) {
        return vertx.eventBus()
                .<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(timeoutMs))
                .map(reply -> reply.body().getValue("data") instanceof JsonObject data ? data : new JsonObject());
    }
}
