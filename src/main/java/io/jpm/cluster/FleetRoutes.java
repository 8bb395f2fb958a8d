package io.jpm.cluster;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.EntryAdapter;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.MapEvent;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.jpm.config.ClusterSettings;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.ProcessState;
import io.jpm.protocol.UpstreamRequest;
import io.jpm.verticle.RelayRoute;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Every named member's front routes to the ready instances of a fleet app on every member
 * (docs/CLUSTER.md, "One port for the fleet"). Each member writes its own ready instances of each
 * fleet app into Hazelcast's replicated map {@value #MAP} (key {@code app@node}, a copy on every
 * member), as its balancer admits them, takes them out and drains them; each member reads the
 * others' entries, of the members up only, and joins each remote instance to its own rotation as
 * one more upstream, reached through a {@link FleetRelay} tunnel. So a remote instance follows its
 * own host's readiness and health, and leaves every rotation when its host leaves the cluster. An
 * app without a port has entries too (its instances online, port 0, routed by none) for {@link FleetCover}.
 * One refresh at a time, on the cluster switch's context; Hazelcast's calls on its workers.
 */
final class FleetRoutes extends EntryAdapter<String, String> implements MembershipListener {
    /** The members' ready instances of each fleet app, by {@code app@node}. */
    static final String MAP = "jpm.fleet.ready";
    /** A remote instance that leaves keeps its open connections this long (its host drains it too). */
    private static final long DRAIN_MS = 10_000;
    /** A remote instance may be slow to answer on a loaded host: the join waits this long. */
    private static final long JOIN_TIMEOUT_MS = 10_000;
    /** An update waits this long at most for the other fronts' connections through the relay to end. */
    private static final long HANDOVER_MS = 2_000;

    private static final long HANDOVER_CHECK_MS = 20;

    private static final Logger LOG = Logger.getLogger("jpm.cluster");

    private final Vertx daemon;
    private final Context context;
    private final HazelcastInstance hazelcast;
    private final ReplicatedMap<String, String> map;
    private final ClusterSettings settings;
    private final FleetPlacement placement;
    private final FleetRelay relay;
    private final String relayAddress;
    private final Map<String, Route> routes = new HashMap<>();
    /** What this member last wrote, by key: written again only when it changes. */
    private final Map<String, String> written = new HashMap<>();
    /** The balanced apps this member opened (their public port), from the balancer's events. */
    private final Set<String> listening = new HashSet<>();

    private final List<MessageConsumer<?>> consumers = new ArrayList<>();
    private UUID entries;
    private UUID membership;
    private boolean refreshing;
    private boolean again;
    private long timer = -1;
    private volatile boolean closed;
    /** Every entry of this member written at the next refresh, changed or not. */
    private volatile boolean rewrite;
    /** The members up at the last look (written on a worker before the routes follow, read after). */
    private volatile Set<String> membersUp = Set.of();
    /** The daemon leaves for an update: its instances are offered to no other front any more. */
    private volatile boolean handingOver;

    /** One remote instance in this member's rotation: its pid on its host and the tunnel (its port the upstream's). */
    private record Route(String app, String node, int pmId, int pid, io.vertx.core.net.NetServer tunnel) {}

    private FleetRoutes(
            Vertx daemon,
            HazelcastInstance hazelcast,
            ClusterSettings settings,
            FleetPlacement placement,
            FleetRelay relay) {
        this.daemon = daemon;
        this.context = daemon.getOrCreateContext();
        this.hazelcast = hazelcast;
        this.map = hazelcast.getReplicatedMap(MAP);
        this.settings = settings;
        this.placement = placement;
        this.relay = relay;
        String publicHost =
                settings.busPublic().substring(0, settings.busPublic().lastIndexOf(':'));
        this.relayAddress = publicHost + ":" + settings.relayPort();
    }

    /** Opened on the cluster switch's context once this daemon joined. */
    static FleetRoutes open(
            Vertx daemon,
            HazelcastInstance hazelcast,
            ClusterSettings settings,
            FleetPlacement placement,
            io.vertx.core.eventbus.EventBusOptions tls) {
        FleetRelay relay = FleetRelay.open(daemon, tls, settings.listenHost(), settings.relayPort());
        FleetRoutes routes = new FleetRoutes(daemon, hazelcast, settings, placement, relay);
        routes.consumers.add(daemon.eventBus()
                .<JsonObject>localConsumer(Addresses.EVENTS_BALANCER, m -> routes.onBalancer(m.body())));
        // an app without a port is ready when online (FleetReady#addUnbalanced)
        routes.consumers.add(daemon.eventBus().<JsonObject>localConsumer(Addresses.EVENTS_PROCESS, m -> {
            if (ProcessState.ONLINE.word().equals(m.body().getString("to"))
                    || ProcessState.ONLINE.word().equals(m.body().getString("from"))) {
                routes.refresh();
            }
        }));
        routes.context
                .<Void>executeBlocking(
                        () -> {
                            routes.entries = routes.map.addEntryListener(routes);
                            routes.membership = hazelcast.getCluster().addMembershipListener(routes);
                            return null;
                        },
                        false)
                .onComplete(ar -> routes.refresh());
        // the balancer's events say each change; this catches one missed while a refresh ran
        routes.timer = daemon.setPeriodic(5_000, t -> routes.refresh());
        return routes;
    }

    private void onBalancer(JsonObject event) {
        String app = event.getString("app");
        switch (event.getString("event", "")) {
            case "listening" -> listening.add(app);
            case "closed" -> listening.remove(app);
            case "ready", "out", "draining", "drained", "not_ready" -> {}
            default -> {
                return;
            }
        }
        refresh();
    }

    /** Runs {@link #update} now, or once more after the one running. */
    private void refresh() {
        if (closed) {
            return;
        }
        if (refreshing) {
            again = true;
            return;
        }
        refreshing = true;
        update().onComplete(ar -> {
            if (ar.failed()) {
                LOG.warning(() -> "the fleet apps' routes on " + settings.node() + ": "
                        + ar.cause().getMessage());
            }
            refreshing = false;
            if (again) {
                again = false;
                refresh();
            }
        });
    }

    /** This member's ready instances written, the others' joined to its rotation and gone ones left. */
    private Future<Void> update() {
        Future<JsonObject> stats = daemon.eventBus()
                .<JsonObject>request(Addresses.INTERNAL_BALANCER_STATS, new JsonObject())
                .map(reply -> reply.body().getJsonObject("data", new JsonObject()));
        Future<JsonArray> listed = daemon.eventBus()
                .<JsonObject>request(
                        Addresses.QUERY_LIST, new JsonObject().put("env", false).put("view", "table"))
                .map(reply -> reply.body().getJsonArray("data", new JsonArray()));
        return Future.all(stats, listed)
                .compose(all -> context.executeBlocking(() -> exchange(stats.result(), listed.result()), false))
                .compose(this::follow);
    }

    /** On a worker: writes this member's entries, reads the others'; the routes wanted here. */
    private Map<String, Wanted> exchange(JsonObject stats, JsonArray listed) {
        Set<String> fleet = placement.liveNames();
        Map<String, FleetReady> mine = new HashMap<>();
        Set<String> here = new HashSet<>(listening);
        for (String pid : stats.fieldNames()) {
            JsonObject u = stats.getJsonObject(pid);
            String app = u.getString("app");
            if (!fleet.contains(app) || u.getString("node") != null) { // another member's: its own host tells it
                continue;
            }
            here.add(app);
            FleetReady ready =
                    mine.computeIfAbsent(app, a -> new FleetReady(relayAddress, new ArrayList<>(), handingOver));
            if ("ready".equals(u.getString("state")) && !handingOver) {
                ready.instances()
                        .add(new FleetReady.Instance(
                                u.getInteger("pm_id"), Integer.parseInt(pid), u.getInteger("port")));
            }
        }
        here.retainAll(fleet);
        Set<Integer> ports = new HashSet<>();
        mine.values().forEach(r -> r.instances().forEach(i -> ports.add(i.port())));
        relay.allow(handingOver ? Set.of() : ports);
        Set<String> entries = new HashSet<>(here);
        entries.addAll(FleetReady.addUnbalanced(mine, listed, fleet, here, relayAddress, handingOver));
        write(mine, entries);
        Set<String> up = new HashSet<>();
        hazelcast.getCluster().getMembers().forEach(m -> up.add(Membership.node(m)));
        membersUp = up;
        Map<String, Wanted> wanted = new HashMap<>();
        for (Map.Entry<String, String> e : map.entrySet()) {
            int at = e.getKey().lastIndexOf('@');
            String app = e.getKey().substring(0, at);
            String node = e.getKey().substring(at + 1);
            if (node.equals(settings.node()) || !up.contains(node) || !here.contains(app)) {
                continue;
            }
            FleetReady ready = FleetReady.parse(e.getValue());
            for (FleetReady.Instance i : ready.instances()) {
                if (i.port() == 0) { // an app its host does not balance (yet): not routed to
                    continue;
                }
                wanted.put(
                        app + "@" + node + "#" + i.pid(),
                        new Wanted(app, node, i.pmId(), i.pid(), ready.relay(), i.port()));
            }
        }
        return wanted;
    }

    /** This member's entries as its balancer has them now; those of apps it no longer runs removed. */
    private void write(Map<String, FleetReady> mine, Set<String> here) {
        Map<String, String> next = new HashMap<>();
        for (String app : here) {
            FleetReady ready = mine.getOrDefault(app, new FleetReady(relayAddress, List.of(), handingOver));
            next.put(app + "@" + settings.node(), ready.encode());
        }
        for (String key : map.keySet()) {
            if (key.endsWith("@" + settings.node()) && !next.containsKey(key)) {
                map.remove(key);
                written.remove(key);
            }
        }
        boolean all = rewrite;
        rewrite = false;
        next.forEach((key, value) -> {
            if (all || !value.equals(written.get(key)) || !value.equals(map.get(key))) {
                map.put(key, value);
                written.put(key, value);
            }
        });
    }

    /** A remote instance wanted in this member's rotation. */
    private record Wanted(String app, String node, int pmId, int pid, String relay, int port) {}

    /** The routes made to match {@code wanted}: tunnels opened and joined, gone ones left and closed. */
    private Future<Void> follow(Map<String, Wanted> wanted) {
        List<Future<?>> steps = new ArrayList<>();
        for (String key : List.copyOf(routes.keySet())) {
            if (!wanted.containsKey(key)) {
                steps.add(leave(routes.remove(key)));
            }
        }
        wanted.forEach((key, w) -> {
            if (!routes.containsKey(key) && !closed) {
                steps.add(join(key, w));
            }
        });
        return Future.join(steps).otherwiseEmpty().mapEmpty();
    }

    private Future<Void> join(String key, Wanted w) {
        Future<RelayRoute> direct = relay.route(w.relay(), w.port()).otherwise((RelayRoute) null);
        return Future.all(relay.tunnel(w.relay(), w.port()), direct).compose(both -> {
            io.vertx.core.net.NetServer server = both.resultAt(0);
            Route route = new Route(w.app(), w.node(), w.pmId(), w.pid(), server);
            routes.put(key, route);
            UpstreamRequest request = new UpstreamRequest(
                    w.app(), w.pmId(), w.pid(), route.tunnel().actualPort(), JOIN_TIMEOUT_MS, false, 0, w.node());
            RelayRoute way = both.resultAt(1);
            // the balancer's HTTP relay goes to the other member's relay itself; the rest through the tunnel
            Object join = way == null ? request : new RelayRoute.Join(request, way);
            return daemon.eventBus()
                    .request(
                            Addresses.INTERNAL_BALANCER_JOIN,
                            join,
                            new DeliveryOptions().setSendTimeout(JOIN_TIMEOUT_MS))
                    .<Void>mapEmpty()
                    .onFailure(e -> {
                        // not balanced here (yet): the next refresh tries again
                        routes.remove(key, route);
                        server.close();
                    });
        });
    }

    private Future<Void> leave(Route route) {
        // a member the cluster dropped answers nothing more: what was sent to it goes elsewhere at once
        long drain = membersUp.contains(route.node()) ? DRAIN_MS : 0;
        UpstreamRequest request = new UpstreamRequest(
                route.app(), route.pmId(), route.pid(), route.tunnel().actualPort(), 0, false, drain, route.node());
        return daemon.eventBus()
                .request(
                        Addresses.INTERNAL_BALANCER_LEAVE,
                        request,
                        new DeliveryOptions().setSendTimeout(DRAIN_MS + 5_000))
                .<Void>mapEmpty()
                .eventually(() -> route.tunnel().close());
    }

    /**
     * Before an update's leave (the balancer asks, {@link FleetPlacement#onHandover}): this member's
     * instances are written as ready nowhere and its relay takes no new connection, so the other
     * fronts leave them and send their requests elsewhere; completes once the connections through
     * the relay have ended (the fronts closed them as they left), or after {@value #HANDOVER_MS} ms.
     * The next daemon, once it joined, writes them again.
     */
    Future<Void> handOver() {
        handingOver = true;
        relay.allow(Set.of());
        refresh();
        Promise<Void> done = Promise.promise();
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(HANDOVER_MS);
        daemon.setPeriodic(HANDOVER_CHECK_MS, t -> {
            if (relay.open() == 0 || System.nanoTime() > deadline) {
                daemon.cancelTimer(t);
                done.tryComplete();
            }
        });
        return done.future();
    }

    /** Leaving the cluster: this member's entries removed, every remote instance out of rotation. */
    void close() {
        closed = true;
        daemon.cancelTimer(timer);
        consumers.forEach(MessageConsumer::unregister);
        consumers.clear();
        routes.values().forEach(this::leave);
        routes.clear();
        relay.close();
        context.executeBlocking(
                () -> {
                    if (entries != null) {
                        map.removeEntryListener(entries);
                    }
                    if (membership != null) {
                        hazelcast.getCluster().removeMembershipListener(membership);
                    }
                    for (String key : written.keySet()) {
                        map.remove(key);
                    }
                    return null;
                },
                false);
    }

    private void changed() {
        context.runOnContext(v -> refresh());
    }

    @Override
    public void memberAdded(MembershipEvent event) {
        // a member that joins, or the other half of a healed split, may lack this member's entries
        // (a replicated map's copies are made even only every 30 s): they are written again
        context.runOnContext(v -> {
            rewrite = true;
            refresh();
        });
    }

    @Override
    public void memberRemoved(MembershipEvent event) {
        changed();
    }

    @Override
    public void onEntryEvent(EntryEvent<String, String> event) {
        changed();
    }

    @Override
    public void onMapEvent(MapEvent event) {
        changed();
    }
}
