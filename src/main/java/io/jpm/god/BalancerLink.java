package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.config.BalancerOptions;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.UpstreamRequest;
import io.jpm.verticle.Plain;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * God's side of the ClusterBalancer: tells it which instances of a balanced app run and on which
 * private port, over the event bus (verticles never hold each other). Instances of fork apps are
 * ignored here, so callers need not ask.
 */
final class BalancerLink {
    /** Margin over the balancer's own deadlines, so its answer (not the bus timeout) is what God sees. */
    private static final long BUS_MARGIN_MS = 10_000;

    private final Vertx vertx;
    /** False once a fresh God took over: this one's stale view must not move instances in or out of rotation. */
    private final BooleanSupplier current;

    BalancerLink(Vertx vertx, BooleanSupplier current) {
        this.vertx = vertx;
        this.current = current;
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

    /**
     * What a redeployed balancer rebuilds its state from: each balanced app's spec and its instances
     * that run on a private port, with their last health verdict (Satan publishes one only when it
     * changes, so a fresh balancer would otherwise wait for it forever).
     */
    static JsonObject balancedApps(Collection<Instance> instances) {
        Map<String, JsonObject> apps = new LinkedHashMap<>();
        for (Instance i : instances) {
            if (!balanced(i)) {
                continue;
            }
            BalancerOptions b = i.config().balancer();
            JsonObject app = apps.computeIfAbsent(i.name(), n -> new JsonObject()
                    .put("app", Plain.json(b.spec(n).toMap()))
                    .put("instances", new JsonArray()));
            if (i.pid() != null && i.privatePort() > 0 && i.state().isActive()) {
                boolean health = i.config().watchdog().health() != null;
                app.getJsonArray("instances")
                        .add(Plain.json(new UpstreamRequest(
                                                i.name(),
                                                i.pmId,
                                                i.pid(),
                                                i.privatePort(),
                                                b.listenTimeoutMs(),
                                                health,
                                                0)
                                        .toMap())
                                .put("healthy", i.healthyNow()));
            }
        }
        return new JsonObject().put("apps", new JsonArray(new ArrayList<>(apps.values())));
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
        if (!current.getAsBoolean()) {
            return Future.failedFuture(new JpmException(
                    JpmError.INTERNAL, "this God was replaced by a fresh one: the balancer is not told"));
        }
        return vertx.eventBus()
                .<JsonObject>request(address, body, new DeliveryOptions().setSendTimeout(timeoutMs))
                .map(reply -> reply.body().getValue("data") instanceof JsonObject data ? data : new JsonObject());
    }
}
