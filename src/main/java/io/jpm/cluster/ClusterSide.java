package io.jpm.cluster;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.jpm.config.ClusterSettings;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.ClusterKeys;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmHome;
import io.jpm.verticle.FileOptions;
import io.jpm.verticle.LocalBus;
import io.jpm.verticle.Reply;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * One membership of the cluster: the cluster's Vert.x and everything that joins it to the
 * daemon's own bus, all undone by {@link #leave()}. On the daemon's bus (local consumers, as every
 * jpm address): the cluster-wide list, the members ({@link Addresses#QUERY_CLUSTER}), and a door
 * per known host ({@code jpm.host.<node>.cmd/query.*}) that sends the bridge's requests over the
 * cluster; this host's events relayed out ({@link HostEventsPublisher}); another host's events relayed in
 * while a bridge client follows them ({@link #follow}). On the cluster's bus: this host's doors
 * ({@link HostForwarder}).
 */
final class ClusterSide {
    /** A command may run long; the bridge client's own deadline governs (as in HostForwarder). */
    private static final long SEND_TIMEOUT_MS = 180_000;
    /** On the cluster's bus: publish {"node"}, each member forgets that host if it left. */
    private static final String FORGET = "jpm.cluster.forget";

    private final Vertx daemon;
    private final Vertx cluster;
    private final ClusterSettings settings;
    private final Members members;
    private final List<MessageConsumer<?>> local = new ArrayList<>();
    private final Map<String, Boolean> doors = new HashMap<>();
    private final Map<String, MessageConsumer<Object>> following = new HashMap<>();
    private RemoteFollowers logListeners;
    private RemoteFollowers metricsFollowers;
    /** The fleet apps' definitions, sealed under the secret. */
    private final FleetSeal seal;

    private FleetPlacement fleet;
    private FleetRoutes routes;
    private FleetCover cover;
    /** The event bus's TLS, which the fleet relay shares. */
    private final EventBusOptions tls;
    /** Left: Hazelcast's last news (a member seen while it shuts down) opens nothing any more. */
    private boolean left;

    private ClusterSide(
            Vertx daemon,
            Vertx cluster,
            ClusterSettings settings,
            Members members,
            FleetSeal seal,
            EventBusOptions tls) {
        this.daemon = daemon;
        this.tls = tls;
        this.seal = seal;
        this.cluster = cluster;
        this.settings = settings;
        this.members = members;
    }

    /** Joins; called on the switch's context, which every door and relay here then runs on. */
    static Future<ClusterSide> join(Vertx daemon, JpmHome home, ClusterSettings settings) {
        Members members = new Members(daemon);
        members.clear();
        // small pools: the cluster's Vert.x only relays; Hazelcast brings its own threads
        VertxOptions options = new VertxOptions()
                .setEventLoopPoolSize(1)
                .setWorkerPoolSize(2)
                .setInternalBlockingPoolSize(2)
                .setFileSystemOptions(FileOptions.withoutClassPath());
        // the nodes Hazelcast reports before this side exists wait there; later ones go to it
        NodesSeen seen = new NodesSeen();
        var context = daemon.getOrCreateContext();
        Promise<Vertx> started = Promise.promise();
        AtomicReference<FleetSeal> seal = new AtomicReference<>();
        // built off any Vert.x thread: a Vert.x made on another's context shares nothing with it, but
        // Vert.x warns of it in daemon.log as if it were a mistake
        Thread builder = new Thread(
                () -> {
                    try {
                        seal.set(new FleetSeal(ClusterKeys.fleetKey(ClusterKeys.readSecret(home.clusterSecret()))));
                        ClusterStart.start(
                                        home,
                                        settings,
                                        options,
                                        members,
                                        node -> context.runOnContext(v -> seen.add(node)))
                                .onComplete(started);
                    } catch (Exception | LinkageError e) {
                        started.fail(e);
                    }
                },
                "jpm-cluster-join");
        builder.setDaemon(true);
        // Vert.x and Hazelcast look services up through the thread's loader: the one that sees Hazelcast
        builder.setContextClassLoader(ClusterSide.class.getClassLoader());
        builder.start();
        // back on the switch's context, after the nodes already seen were queued there
        return started.future().compose(cluster -> {
            Promise<ClusterSide> opened = Promise.promise();
            context.runOnContext(v -> {
                ClusterSide joined =
                        new ClusterSide(daemon, cluster, settings, members, seal.get(), options.getEventBusOptions());
                joined.open();
                seen.handTo(joined::openDoors);
                opened.complete(joined);
            });
            return opened.future();
        });
    }

    /**
     * The member nodes Hazelcast reports, on the switch's context: queued while the side is being
     * built (Hazelcast reports the members it finds before its Vert.x is handed back), each given
     * to the side's door opener once there is one.
     */
    private static final class NodesSeen {
        private final List<String> queued = new ArrayList<>();
        private Consumer<String> opener;

        void add(String node) {
            if (opener == null) {
                queued.add(node);
            } else {
                opener.accept(node);
            }
        }

        void handTo(Consumer<String> doorOpener) {
            opener = doorOpener;
            queued.forEach(doorOpener);
            queued.clear();
        }
    }

    private void open() {
        HostForwarder.open(cluster, daemon, settings.node());
        local.addAll(HostEventsPublisher.open(daemon, cluster, settings.node()));
        HazelcastInstance hazelcast = Hazelcast.getHazelcastInstanceByName(ClusterStart.instanceName(settings));
        logListeners = RemoteFollowers.ofLogLines(daemon, hazelcast, settings.node());
        metricsFollowers = RemoteFollowers.ofMetrics(daemon, hazelcast, settings.node());
        fleet = FleetPlacement.open(daemon, cluster, hazelcast, settings, members, seal);
        routes = FleetRoutes.open(daemon, hazelcast, settings, fleet, tls);
        fleet.onHandover(routes::handOver);
        cover = FleetCover.open(daemon, hazelcast, settings.node(), fleet);
        local.add(daemon.eventBus()
                .<JsonObject>localConsumer(
                        Addresses.QUERY_CLUSTER_LIST,
                        m -> ClusterList.answer(cluster, members, settings.timeoutMs(), m)));
        local.add(daemon.eventBus()
                .<JsonObject>localConsumer(
                        Addresses.QUERY_CLUSTER_HOSTS,
                        m -> ClusterHostTotals.answer(
                                cluster, members, settings.name(), settings.node(), settings.timeoutMs(), m)));
        local.add(daemon.eventBus().<JsonObject>localConsumer(Addresses.QUERY_CLUSTER, m -> m.reply(Reply.ok(who()))));
        local.add(daemon.eventBus().<JsonObject>localConsumer(Addresses.CMD_CLUSTER_FORGET, this::forget));
        // every member's list, this one's included: the publish reaches each member's consumer
        cluster.eventBus()
                .<JsonObject>consumer(FORGET, m -> members.forget(m.body().getString("node")));
    }

    ClusterSettings settings() {
        return settings;
    }

    /** Host {@code node}'s doors on the daemon's bus, once per node. */
    private void openDoors(String node) {
        if (left || doors.putIfAbsent(node, Boolean.TRUE) != null) {
            return;
        }
        for (String address : HostForwarder.FORWARDED) {
            String remote = Addresses.onHost(node, address);
            local.add(daemon.eventBus().localConsumer(remote, message -> send(node, remote, message)));
        }
    }

    /**
     * A request for another host's last log lines goes once this daemon's registration for that
     * host's live lines is in the cluster: a client that registers for them, then asks for the last
     * lines ({@code jpm logs api@web-2}), is a follower there before the host reads them.
     */
    private void send(String node, String address, Message<Object> message) {
        MessageConsumer<Object> lines = address.equals(Addresses.onHost(node, Addresses.QUERY_LOGS))
                ? following.get(Addresses.onHost(node, Addresses.EVENTS_LOG))
                : null;
        if (lines == null) {
            forward(node, address, message);
        } else {
            lines.completion().onComplete(v -> forward(node, address, message));
        }
    }

    private void forward(String node, String address, Message<Object> message) {
        cluster.eventBus()
                .request(address, message.body(), new DeliveryOptions().setSendTimeout(SEND_TIMEOUT_MS))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        message.reply(ar.result().body());
                    } else if (ar.cause() instanceof ReplyException e && e.failureType() == ReplyFailure.NO_HANDLERS) {
                        message.fail(
                                JpmError.UNAVAILABLE.code(),
                                "member '" + node + "' is not in cluster '" + settings.name()
                                        + "' now (it left, or it has not joined again)");
                    } else if (ar.cause() instanceof ReplyException e) {
                        message.fail(e.failureCode(), e.getMessage());
                    } else {
                        message.fail(
                                JpmError.UNAVAILABLE.code(),
                                String.valueOf(ar.cause().getMessage()));
                    }
                });
    }

    /**
     * Another host's event address ({@code jpm.host.<node>.events.*}) followed by {@code count}
     * bridge clients: consumed on the cluster's bus while any do, each event published again on the
     * daemon's bus, local-only, where the bridge clients registered.
     */
    void follow(String address, int count) {
        MessageConsumer<Object> consumer = following.get(address);
        if (left) {
            return;
        }
        if (count > 0 && consumer == null) {
            following.put(address, cluster.eventBus().consumer(address, m -> daemon.eventBus()
                    .publish(address, m.body(), LocalBus.only())));
        } else if (count == 0 && consumer != null) {
            following.remove(address).unregister();
        }
    }

    /** jpm cluster forget: a host that left, dropped from every member's list. */
    private void forget(Message<JsonObject> request) {
        String node = request.body() == null ? null : request.body().getString("node");
        Map<String, String> known = members.known();
        if (node == null || node.isBlank()) {
            request.fail(JpmError.INVALID_ARGUMENT.code(), "cluster forget: name the host that left (its node name)");
        } else if (!known.containsKey(node)) {
            request.fail(
                    JpmError.UNKNOWN_TARGET.code(),
                    "cluster forget: no host '" + node + "' in cluster '" + settings.name() + "' (known: "
                            + String.join(", ", known.keySet()) + ")");
        } else if (Members.UP.equals(known.get(node))) {
            request.fail(
                    JpmError.INVALID_ARGUMENT.code(),
                    "cluster forget: '" + node + "' is in cluster '" + settings.name()
                            + "' now; only a host that left can be forgotten");
        } else {
            members.forget(node);
            cluster.eventBus().publish(FORGET, new JsonObject().put("node", node));
            request.reply(Reply.ok(new JsonObject().put("node", node)));
        }
    }

    private JsonObject who() {
        JsonArray known = new JsonArray();
        members.known()
                .forEach((node, state) ->
                        known.add(new JsonObject().put("node", node).put("status", state)));
        return new JsonObject()
                .put("name", settings.name())
                .put("node", settings.node())
                .put("members", known);
    }

    /** Undoes the membership: this daemon is alone again, its apps untouched. */
    Future<Void> leave() {
        left = true;
        local.forEach(MessageConsumer::unregister);
        local.clear();
        following.clear();
        if (metricsFollowers != null) {
            metricsFollowers.close();
        }
        if (logListeners != null) {
            logListeners.close();
        }
        if (fleet != null) {
            fleet.close();
        }
        if (routes != null) {
            routes.close();
        }
        if (cover != null) {
            cover.close();
        }
        members.clear();
        return cluster.close();
    }
}
