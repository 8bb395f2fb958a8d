package io.jpm.cluster;

import com.hazelcast.core.EntryAdapter;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.jpm.config.ClusterSettings;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.DumpEntry;
import io.jpm.protocol.FleetDefinition;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.verticle.Plain;
import io.jpm.verticle.Reply;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The fleet apps' definitions in the cluster (docs/CLUSTER.md, "Fleet apps"): Hazelcast's map
 * {@value #MAP}, one entry per app (sealed, {@link FleetSeal}), with a backup on every other member
 * (up to Hazelcast's six), so it lives as long as one member holding it does. This member places
 * apps there ({@link Addresses#INTERNAL_FLEET_PLACE}: the hosts checked against the members, all the
 * apps or none), changes them ({@link Addresses#INTERNAL_FLEET_ACT}: stop, start, delete, kept as a
 * deleted entry so a member that was away does not bring the app back), and has God run its share
 * ({@link Addresses#INTERNAL_GOD_FLEET}) at its join, after each change of the map (its entry
 * listener, on every member) and after its own writes. At its join it first writes back the fleet
 * apps its God runs that the map lacks (the cluster was restarted whole: each member's dump kept
 * them). One change at a time, on the cluster switch's context; Hazelcast's calls on its workers.
 */
final class FleetPlacement extends EntryAdapter<String, String> {
    /** The map of definitions, by app name. */
    static final String MAP = "jpm.fleet";
    /** Starting a share waits for its instances (a JVM app's listen_timeout is 30 s). */
    private static final long SHARE_TIMEOUT_MS = 180_000;

    private static final Logger LOG = Logger.getLogger("jpm.cluster");

    private final Vertx daemon;
    private final Context context;
    private final IMap<String, String> map;
    private final FleetSeal seal;
    private final ClusterSettings settings;
    private final Members members;
    private final FleetVerbs verbs;
    private final FleetPreflight preflight;
    private final List<MessageConsumer<?>> consumers = new ArrayList<>();
    private Future<?> busy = Future.succeededFuture();
    private java.util.function.Supplier<Future<Void>> handover = Future::succeededFuture; // FleetRoutes#handOver
    private FleetCover cover; // how many instances each app has here while a member is lost
    private volatile boolean closed;

    private FleetPlacement(
            Vertx daemon,
            Vertx cluster,
            HazelcastInstance hazelcast,
            ClusterSettings settings,
            Members members,
            FleetSeal seal) {
        this.daemon = daemon;
        this.verbs = new FleetVerbs(cluster, members);
        this.preflight = new FleetPreflight(daemon, cluster, settings, members);
        this.context = daemon.getOrCreateContext();
        this.map = hazelcast.getMap(MAP);
        this.seal = seal;
        this.settings = settings;
        this.members = members;
    }

    /** Opened on the cluster switch's context once this daemon joined. */
    static FleetPlacement open(
            Vertx daemon,
            Vertx cluster,
            HazelcastInstance hazelcast,
            ClusterSettings settings,
            Members members,
            FleetSeal seal) {
        FleetPlacement placement = new FleetPlacement(daemon, cluster, hazelcast, settings, members, seal);
        placement.consumers.add(
                daemon.eventBus().<JsonObject>localConsumer(Addresses.INTERNAL_FLEET_PLACE, placement::place));
        placement.consumers.add(
                daemon.eventBus().<JsonObject>localConsumer(Addresses.INTERNAL_FLEET_ACT, placement::act));
        placement.consumers.add(cluster.eventBus()
                .<JsonObject>consumer(
                        FleetVerbs.memberAddress(settings.node()),
                        m -> placement.context.runOnContext(v -> placement.asked(m))));
        placement.serially(() -> placement
                .blocking(() -> placement.map.addEntryListener(placement, false))
                .compose(id -> placement.writeBack())
                .compose(v -> placement.runShare()));
        return placement;
    }

    void onHandover(java.util.function.Supplier<Future<Void>> handover) {
        this.handover = handover;
    }

    void onCover(FleetCover cover) {
        this.cover = cover;
    }

    /** This member's share run again (the members or their readiness changed); {@code starting} once it begins. */
    void reshare(Runnable starting) {
        serially(() -> {
            starting.run();
            return runShare();
        });
    }

    void close() {
        closed = true;
        consumers.forEach(MessageConsumer::unregister);
        consumers.clear();
    }

    /**
     * {"apps":[definitions],"ports":[{"app","host","port"}]}: every host named must be a member the
     * cluster knows and each port must open on each member up that runs its app ({@link
     * FleetPreflight}), or nothing is written.
     */
    private void place(Message<JsonObject> message) {
        List<FleetDefinition> apps = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (Object o : message.body().getJsonArray("apps", new JsonArray())) {
            apps.add(FleetDefinition.from(Plain.map((JsonObject) o)).placed(now, settings.node()));
        }
        List<FleetPreflight.Port> ports = message.body().getJsonArray("ports", new JsonArray()).stream()
                .map(o -> FleetPreflight.Port.from((JsonObject) o))
                .toList();
        serially(() -> preflight
                .check(apps, ports)
                .compose(checked -> blocking(() -> {
                    for (FleetDefinition app : apps) {
                        if (!app.sameAs(read(app.name()))) {
                            map.put(
                                    app.name(),
                                    seal.seal(
                                            app.name(), Plain.json(app.toMap()).encode()));
                        }
                    }
                    return null;
                }))
                .compose(v -> runShare())
                .onComplete(ar -> reply(message, ar, new JsonObject())));
    }

    /**
     * {"names","action","request"}: the fleet apps among the names rest, run again or are deleted on
     * every member (their definitions say so), are scaled (the definition's per-host instances), or
     * every member up that runs them restarts, reloads or describes its instances ({@link FleetVerbs}).
     */
    private void act(Message<JsonObject> message) {
        List<String> names = message.body().getJsonArray("names", new JsonArray()).stream()
                .map(String::valueOf)
                .toList();
        String action = message.body().getString("action", "");
        JsonObject request = message.body().getJsonObject("request", new JsonObject());
        long now = System.currentTimeMillis();
        if ("kept".equals(action) || "handover".equals(action)) {
            // kept: God restored apps, those of the fleet the cluster lacks go back, as at a join;
            // handover: the balancer before an update, the other fronts let go of this member first
            Future<?> done =
                    "kept".equals(action) ? serially(() -> writeBack().compose(v -> runShare())) : handover.get();
            done.onComplete(ar -> reply(message, ar, new JsonObject().put("fleet", new JsonArray())));
            return;
        }
        serially(() -> blocking(() -> decide(names, action, request, now))
                .compose(steps -> (steps.isEmpty() ? Future.<Void>succeededFuture() : runShare()).map(v -> steps))
                .onComplete(ar -> {
                    if (ar.failed()) {
                        Reply.fail(message, ar.cause());
                        return;
                    }
                    List<FleetVerbs.Step> asked = ar.result().stream()
                            .filter(step -> step.action() != null)
                            .toList();
                    JsonArray acted = new JsonArray(
                            ar.result().stream().map(FleetVerbs.Step::name).toList());
                    verbs.ask(asked, request)
                            .onComplete(done -> reply(
                                    message,
                                    done,
                                    new JsonObject()
                                            .put("fleet", acted)
                                            .put("processes", done.succeeded() ? done.result() : null)));
                }));
    }

    /**
     * The definitions of the fleet apps among {@code names} changed as {@code action} says (on a
     * worker), all checked before any is written; a step per app, with what its members are asked now
     * (none for stop, start and delete: the definition says it).
     */
    private List<FleetVerbs.Step> decide(List<String> names, String action, JsonObject request, long now) {
        Map<String, FleetDefinition> next = new java.util.LinkedHashMap<>();
        List<FleetVerbs.Step> steps = new ArrayList<>();
        for (String name : names) {
            FleetDefinition app = read(name);
            if (app == null || app.deleted()) {
                continue;
            }
            String asked = null;
            switch (action) {
                case "stop" -> next.put(name, app.with(FleetDefinition.STOPPED, false, now));
                case "delete" -> next.put(name, app.with(app.status(), true, now));
                case "start" -> next.put(name, app.with(FleetDefinition.ONLINE, false, now));
                case "restart", "reload" -> {
                    // pm2's restart of a stopped app starts it: here, on every member, as its definition says
                    if (app.stopped()) {
                        next.put(name, app.with(FleetDefinition.ONLINE, false, now));
                    }
                    asked = app.stopped() ? FleetVerbs.SHARE : action;
                }
                case "scale" -> {
                    next.put(name, app.scaled(FleetVerbs.scaledTo(app, request), now));
                    asked = FleetVerbs.SHARE;
                }
                case "describe" -> asked = action;
                default -> throw new JpmException(JpmError.INVALID_ARGUMENT, "no fleet action '" + action + "'");
            }
            steps.add(new FleetVerbs.Step(name, app.hosts(), asked));
        }
        next.forEach((name, app) ->
                map.put(name, seal.seal(name, Plain.json(app.toMap()).encode())));
        return steps;
    }

    /**
     * Another member's (or this one's) {@link FleetVerbs} asking this member: its share made to
     * match first when asked, then God's verb on its own instances; reply {"processes":[..]}.
     */
    private void asked(Message<JsonObject> message) {
        if (FleetPreflight.PORTS.equals(message.body().getString("action"))) {
            preflight.answer(message);
            return;
        }
        Future<?> ready = FleetVerbs.SHARE.equals(message.body().getString("action"))
                ? serially(this::runShare)
                : Future.succeededFuture();
        ready.compose(v -> daemon.eventBus()
                        .<JsonObject>request(
                                Addresses.INTERNAL_GOD_FLEET_VERB,
                                message.body(),
                                new DeliveryOptions().setSendTimeout(SHARE_TIMEOUT_MS)))
                .onComplete(ar -> reply(
                        message,
                        ar,
                        new JsonObject()
                                .put(
                                        "processes",
                                        ar.succeeded()
                                                ? ar.result().body().getJsonArray("data", new JsonArray())
                                                : null)));
    }

    private static void reply(Message<JsonObject> message, io.vertx.core.AsyncResult<?> ar, JsonObject data) {
        if (ar.succeeded()) {
            message.reply(Reply.ok(data));
        } else {
            Reply.fail(message, ar.cause());
        }
    }

    /** The fleet apps God runs that the map lacks, written back as they run (the cluster was restarted whole). */
    private Future<Void> writeBack() {
        return daemon.eventBus()
                .<JsonObject>request(Addresses.INTERNAL_GOD_APPS, new JsonObject())
                .map(reply -> reply.body().getJsonArray("data", new JsonArray()))
                .compose(entries -> blocking(() -> {
                    for (Object o : entries) {
                        DumpEntry entry = DumpEntry.from(Plain.map((JsonObject) o));
                        Object hosts = entry.source().get(AppOption.HOSTS.key);
                        if (hosts != null && read(entry.name()) == null) {
                            FleetDefinition app = kept(entry, hosts);
                            LOG.info(() ->
                                    "fleet app '" + app.name() + "' runs here and the cluster lacks it: written back");
                            map.putIfAbsent(
                                    app.name(),
                                    seal.seal(
                                            app.name(), Plain.json(app.toMap()).encode()));
                        }
                    }
                    return null;
                }));
    }

    /** A dumped fleet app as a definition older than any decision ({@code at} 0): any the cluster holds wins. */
    private FleetDefinition kept(DumpEntry entry, Object hosts) {
        List<String> names = hosts instanceof List<?> list
                ? list.stream().map(String::valueOf).toList()
                : List.of(String.valueOf(hosts).split(","));
        DumpEntry app = DumpEntry.builder()
                .name(entry.name())
                .source(entry.source())
                .env(entry.env())
                .file(entry.file())
                .commandCwd(entry.commandCwd())
                .envName(entry.envName())
                .build();
        String status = entry.stopped().isEmpty() ? FleetDefinition.ONLINE : FleetDefinition.STOPPED;
        return new FleetDefinition(entry.name(), names, status, false, 0, settings.node(), app);
    }

    /** Every definition the map holds, opened; God makes this member's share match them. */
    private Future<Void> runShare() {
        return blocking(() -> {
                    List<FleetDefinition> apps = new ArrayList<>();
                    for (Map.Entry<String, String> e : map.entrySet()) {
                        FleetDefinition app = opened(e.getKey(), e.getValue());
                        if (app != null) {
                            apps.add(app);
                        }
                    }
                    JsonObject body = cover == null ? new JsonObject() : cover.counts(apps);
                    return body.put("node", settings.node())
                            .put(
                                    "fleet",
                                    new JsonArray(apps.stream()
                                            .map(a -> Plain.json(a.toMap()))
                                            .toList()));
                })
                .compose(body -> closed
                        ? Future.succeededFuture()
                        : daemon.eventBus()
                                .request(
                                        Addresses.INTERNAL_GOD_FLEET,
                                        body,
                                        new DeliveryOptions().setSendTimeout(SHARE_TIMEOUT_MS)))
                .onFailure(
                        e -> LOG.warning(() -> "the fleet apps' share of " + settings.node() + ": " + e.getMessage()))
                .mapEmpty();
    }

    /** The fleet apps the map holds and has not deleted (a blocking read: on a worker). */
    Set<String> liveNames() {
        Set<String> names = new java.util.HashSet<>();
        for (Map.Entry<String, String> e : map.entrySet()) {
            FleetDefinition app = opened(e.getKey(), e.getValue());
            if (app != null && !app.deleted()) {
                names.add(app.name());
            }
        }
        return names;
    }

    private FleetDefinition read(String name) {
        String value = map.get(name);
        return value == null ? null : opened(name, value);
    }

    private FleetDefinition opened(String name, String value) {
        return seal.open(name, value)
                .map(json -> FleetDefinition.from(Plain.map(new JsonObject(json))))
                .orElseGet(() -> {
                    LOG.warning(() -> "fleet app '" + name + "': its definition does not open with this cluster's"
                            + " secret: ignored");
                    return null;
                });
    }

    /** Runs {@code step} once the change before it is over, on the switch's context. */
    private Future<?> serially(java.util.function.Supplier<Future<?>> step) {
        busy = busy.transform(ar -> closed ? Future.succeededFuture() : step.get());
        return busy;
    }

    private <T> Future<T> blocking(java.util.concurrent.Callable<T> call) {
        return context.executeBlocking(call, true);
    }

    private void changed() {
        context.runOnContext(v -> serially(this::runShare));
    }

    @Override
    public void entryAdded(EntryEvent<String, String> event) {
        changed();
    }

    @Override
    public void entryUpdated(EntryEvent<String, String> event) {
        changed();
    }

    // a removal (never done by jpm: a deletion is kept as such), an eviction: nothing a member runs changes
}
