package io.jpm.web;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import io.jpm.verticle.LocalBus;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.logging.Logger;

/**
 * Live events to HTTP clients over Server-Sent Events ({@code text/event-stream}): each bus event
 * becomes {@code event: <kind>} and {@code data: <the event's JSON>}. {@code GET /api/events}
 * streams the kinds asked for ({@code ?only=process,metrics}; all by default). A browser's
 * EventSource cannot send an Authorization header: it opens the stream with a ticket from
 * {@code POST /api/events/ticket} ({@link EventTickets}), or reads it with fetch as the dashboard does.
 *
 * <p>Live log lines are built by the LogAggregator only while someone listens: this class tells it
 * how many streams follow them, as the bridge tells its registrations. A client that reads too
 * slowly loses events (counted in a {@code dropped} event) rather than grow the daemon's memory.
 */
final class EventStreams {
    private static final Logger LOG = Logger.getLogger("jpm.web");
    static final Map<String, String> KINDS = new LinkedHashMap<>();
    /** Proxies close idle streams; a comment line now and then keeps them open. */
    private static final long KEEPALIVE_MS = 15_000;

    static {
        KINDS.put("process", Addresses.EVENTS_PROCESS);
        KINDS.put("metrics", Addresses.EVENTS_METRICS);
        KINDS.put("log", Addresses.EVENTS_LOG);
        KINDS.put("balancer", Addresses.EVENTS_BALANCER);
        KINDS.put("health", Addresses.EVENTS_HEALTH);
        KINDS.put("config", Addresses.EVENTS_CONFIG);
        KINDS.put("appMetrics", Addresses.EVENTS_APP_METRICS);
        KINDS.put("alert", Addresses.EVENTS_ALERT);
        // a clustered daemon only: who joined, left or was forgotten (docs/CLUSTER.md)
        KINDS.put("cluster", Addresses.EVENTS_CLUSTER);
    }

    private final Vertx vertx;
    private final Set<Stream> open = new HashSet<>();
    private int logListeners;
    private int metricsFollowers;
    /** Streams by another host's event address: the cluster relays that address while any follow it. */
    private final Map<String, Integer> hostFollowers = new HashMap<>();

    EventStreams(Vertx vertx) {
        this.vertx = vertx;
    }

    void mount(Router router, HttpTokenRules doorman, EventTickets tickets) {
        router.get("/api/events")
                .handler(doorman.listens(Addresses.EVENTS_PROCESS))
                .handler(this::events);
        // a ticket for a browser's EventSource, which cannot send the Authorization header (either token)
        // never a ticket for a ticket: only the Authorization header gets one, so a ticket cannot be renewed
        router.post("/api/events/ticket").handler(doorman.authenticated()).handler(ctx -> {
            String ticket = HttpTokenRules.ticket(ctx, tickets);
            if (ticket == null) {
                HttpReplies.fail(
                        ctx,
                        JpmError.UNAVAILABLE,
                        EventTickets.MAX_OPEN + " tickets are open: use one, or wait " + EventTickets.LIFETIME_MS / 1000
                                + " s for them to expire");
                return;
            }
            HttpReplies.ok(ctx, new JsonObject().put("ticket", ticket).put("expires_in_ms", EventTickets.LIFETIME_MS));
        });
    }

    private void events(RoutingContext ctx) {
        String only = ctx.request().getParam("only");
        List<String> kinds = new ArrayList<>();
        for (String kind : (only == null || only.isBlank() ? String.join(",", KINDS.keySet()) : only).split(",")) {
            if (!KINDS.containsKey(kind.trim())) {
                HttpReplies.fail(
                        ctx,
                        JpmError.INVALID_ARGUMENT,
                        "query parameter 'only': unknown event kind '" + kind.trim() + "'; the kinds are "
                                + String.join(", ", KINDS.keySet()));
                return;
            }
            kinds.add(kind.trim());
        }
        String hosts = ctx.request().getParam("host");
        List<String> nodes = hosts == null ? List.of() : List.of(hosts.split(",", -1));
        for (String node : nodes) {
            if (!EveryHost.NODE.matcher(node).matches()) {
                HttpReplies.fail(
                        ctx,
                        JpmError.INVALID_ARGUMENT,
                        "query parameter 'host': a node name is 1-63 letters, digits, '-' or '_', got '" + node + "'");
                return;
            }
        }
        Stream stream = open(ctx);
        for (String kind : kinds) {
            if (nodes.isEmpty() || kind.equals("cluster")) {
                stream.follow(KINDS.get(kind), kind, UnaryOperator.identity());
                continue;
            }
            // other members' events: their own addresses, relayed here while someone follows them
            // (docs/CLUSTER.md), each marked with its member, as one stream carries several
            for (String node : new LinkedHashSet<>(nodes)) {
                stream.follow(Addresses.onHost(node, KINDS.get(kind)), kind, body -> body.copy()
                        .put("node", node));
            }
        }
    }

    /** Starts an event stream on this response; it ends when the client goes. */
    Stream open(RoutingContext ctx) {
        Stream stream = new Stream(ctx.response());
        open.add(stream);
        return stream;
    }

    /** Every stream ends (the server is switched off): the log listeners go with them. */
    void closeAll() {
        new ArrayList<>(open).forEach(Stream::close);
    }

    /** A follower of live log lines more or less: these streams', and the SockJS door's registrations. */
    void countLogListener(int delta) {
        logListeners += delta;
        vertx.eventBus()
                .publish(
                        Addresses.INTERNAL_LOGS_LISTENERS,
                        new JsonObject().put("count", logListeners).put("source", "web"),
                        LocalBus.only());
    }

    /** A follower of cpu and memory figures more or less: these streams', and the SockJS door's registrations. */
    void countMetricsFollower(int delta) {
        metricsFollowers += delta;
        vertx.eventBus()
                .publish(
                        Addresses.INTERNAL_METRICS_FOLLOWERS,
                        new JsonObject()
                                .put("count", Math.max(0, metricsFollowers))
                                .put("source", "web"),
                        LocalBus.only());
    }

    /** Streams following another host's event address, one more or less, told to the cluster switch. */
    private void countHostFollower(String address, int delta) {
        int count = hostFollowers.merge(address, delta, Integer::sum);
        if (count <= 0) {
            hostFollowers.remove(address);
        }
        vertx.eventBus()
                .publish(
                        Addresses.INTERNAL_CLUSTER_FOLLOWS,
                        new JsonObject()
                                .put("address", address)
                                .put("count", Math.max(count, 0))
                                .put("source", "web-streams"),
                        LocalBus.only());
    }

    /** One client's stream. */
    final class Stream {
        private final HttpServerResponse response;
        private final List<MessageConsumer<JsonObject>> consumers = new ArrayList<>();
        private final long keepalive;
        private boolean closed;
        private boolean followsLog;
        private boolean followsMetrics;
        private final Set<String> hostAddresses = new HashSet<>();
        private long dropped;

        private Stream(HttpServerResponse response) {
            this.response = response;
            response.setStatusCode(200)
                    .setChunked(true)
                    .putHeader("Content-Type", "text/event-stream; charset=utf-8")
                    .putHeader("Cache-Control", "no-cache")
                    .putHeader("X-Accel-Buffering", "no");
            response.write(": jpm events\n\n");
            response.closeHandler(v -> close());
            keepalive = vertx.setPeriodic(KEEPALIVE_MS, t -> {
                if (!response.writeQueueFull()) {
                    response.write(": keepalive\n\n");
                }
            });
        }

        /** Forwards an event address, each body through {@code filter} (null: not this client's). */
        void follow(String address, String kind, UnaryOperator<JsonObject> filter) {
            if (closed) {
                return;
            }
            consumers.add(vertx.eventBus().<JsonObject>localConsumer(address, m -> {
                JsonObject body = m.body() == null ? null : filter.apply(m.body());
                if (body != null) {
                    send(kind, body);
                }
            }));
            if (Addresses.EVENTS_LOG.equals(address) && !followsLog) {
                followsLog = true;
                countLogListener(1);
            }
            if (Addresses.hostOf(address) != null && hostAddresses.add(address)) {
                countHostFollower(address, 1);
            }
            if (Addresses.EVENTS_METRICS.equals(address) && !followsMetrics) {
                followsMetrics = true;
                countMetricsFollower(1);
            }
        }

        void send(String kind, JsonObject data) {
            if (closed) {
                return;
            }
            if (response.writeQueueFull()) {
                dropped++;
                return;
            }
            if (dropped > 0) {
                response.write("event: dropped\ndata: {\"events\":" + dropped + "}\n\n");
                dropped = 0;
            }
            response.write("event: " + kind + "\ndata: " + data.encode() + "\n\n");
        }

        void close() {
            if (closed) {
                return;
            }
            closed = true;
            open.remove(this);
            vertx.cancelTimer(keepalive);
            consumers.forEach(MessageConsumer::unregister);
            if (followsLog) {
                countLogListener(-1);
            }
            if (followsMetrics) {
                countMetricsFollower(-1);
            }
            hostAddresses.forEach(address -> countHostFollower(address, -1));
            if (!response.ended() && !response.closed()) {
                response.end().onFailure(e -> LOG.fine(() -> "web: stream end: " + e.getMessage()));
            }
        }
    }
}
