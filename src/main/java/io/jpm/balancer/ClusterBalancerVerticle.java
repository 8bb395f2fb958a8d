package io.jpm.balancer;

import io.jpm.config.BalancerOptions.Balance;
import io.jpm.internals.ContextInternals;
import io.jpm.internals.VertxInternals;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.BalancedAppSpec;
import io.jpm.protocol.BalancerEvent;
import io.jpm.protocol.DaemonJit;
import io.jpm.protocol.JpmEnv;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.ProcessEvent;
import io.jpm.protocol.UpstreamRequest;
import io.jpm.verticle.JpmVerticle;
import io.jpm.verticle.LocalBus;
import io.jpm.verticle.Plain;
import io.jpm.verticle.RelayRoute;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * ClusterBalancer: owns the public port of every balanced app and spreads connections (TCP mode) or
 * requests (HTTP mode) over the app's ready instances. God tells it which instances exist
 * (join/leave, by pid); {@link Admission} decides when each is ready (its private port accepts, or
 * Satan's first {@code healthy} when the app has a health probe) and drains those that leave. Wiring
 * only: the choice is in {@link AppUpstreams}, the byte and request paths in {@link TcpFrontend} and
 * {@link HttpFrontend}.
 *
 * <p>A client that finds no instance ready waits for one up to the app's listen_timeout, then is
 * refused (HTTP 503 naming the app, or its connection closed); config section "balancer":
 * {@code {"queue_timeout_ms":10000}} caps that wait. Nothing is allocated (clients, servers) until
 * an app is balanced, so a daemon without balanced apps pays nothing for it.
 *
 * <p>The verticle wires each balancer address (open, close, join, leave, stats); what has logic of
 * its own (admission, the choice, the frontends) is a class of its own.
 */
public final class ClusterBalancerVerticle extends JpmVerticle {
    private static final Logger LOG = Logger.getLogger("jpm.balancer");
    static final long DEFAULT_QUEUE_TIMEOUT_MS = 10_000;
    /** Idle kept-alive connections to instances are dropped before a typical app's own idle timeout (Node: 5 s). */
    private static final int UPSTREAM_KEEP_ALIVE_S = 2;
    /**
     * HTTP mode on the Netty-level relay ({@link RelayLane}); {@code JPM_HTTP_RELAY=0} in the daemon's
     * environment puts it on Vert.x's HttpServer and HttpClient instead (the path before, kept to
     * compare the two in one run).
     */
    private static final boolean HTTP_RELAY = !JpmEnv.HTTP_RELAY.off();
    /** Kept-alive connections to one instance, per lane (event loop) of an HTTP frontend (Vert.x's path). */
    private static final int UPSTREAM_POOL_SIZE = 128;
    /**
     * How long a leaving daemon lets its connections end (an answer in flight, a TCP connection), while new
     * ones wait in the port's queue: long enough for a usual request, short enough for the wait of those.
     */
    public static final long LEAVING_GRACE_MS = 3000;

    private final Map<String, BalancedApp> apps = new HashMap<>();
    private final ErroredApps errored = new ErroredApps();
    private final Admission admission;
    private RelayWatch relays;
    private final PublicPorts publicPorts;
    private NetClient netClient;
    private String host;
    private long queueTimeoutMs = DEFAULT_QUEUE_TIMEOUT_MS;
    private boolean saidC1;

    /**
     * How long after its start the balancer keeps the public ports a previous daemon left that no app
     * claimed: the previous daemon's apps are adopted or started again well before (persistence
     * does it before the doors open), so what is left then is a port no app has any more.
     */
    static final long UNCLAIMED_PORTS_MS = 60_000;

    /** @param publicPorts where the public ports are opened so that they outlive this daemon (its keeper holds them) */
    public ClusterBalancerVerticle(PublicPorts publicPorts) {
        this(new PortListener()::holderOf, publicPorts);
    }

    /** @param holders who listens on an instance's port (the tests' instances are servers of their own JVM) */
    ClusterBalancerVerticle(Admission.ListenerHolders holders) {
        this(holders, PublicPorts.NONE);
    }

    private ClusterBalancerVerticle(Admission.ListenerHolders holders, PublicPorts publicPorts) {
        this.publicPorts = publicPorts;
        admission = new Admission(() -> vertx, apps, this::netClient, this::publish, holders);
    }

    @Override
    public Future<?> start() {
        host = config().getString("host", "localhost");
        applySettings(config().getJsonObject("balancer"));
        this.<BalancedAppSpec>handleRecord(Addresses.INTERNAL_BALANCER_OPEN, this::open);
        handleLocal(Addresses.INTERNAL_BALANCER_CLOSE, body -> close(body.getString("app")));
        this.<Record>handleRecord(
                Addresses.INTERNAL_BALANCER_JOIN,
                body -> body instanceof RelayRoute.Join remote
                        ? admission.join(remote.request(), remote.route())
                        : admission.join((UpstreamRequest) body, null));
        this.<UpstreamRequest>handleRecord(Addresses.INTERNAL_BALANCER_LEAVE, admission::leave);
        handleLocal(Addresses.INTERNAL_BALANCER_STATS, body -> Future.succeededFuture(stats()));
        handleLocal(Addresses.INTERNAL_BALANCER_LEAVING, body -> leaving());
        vertx.eventBus().<JsonObject>localConsumer(Addresses.EVENTS_HEALTH, m -> admission.onHealth(m.body()));
        vertx.eventBus()
                .<JsonObject>localConsumer(
                        Addresses.EVENTS_PROCESS, m -> onProcessEvent(ProcessEvent.from(Plain.map(m.body()))));
        vertx.eventBus()
                .<JsonObject>localConsumer(
                        Addresses.INTERNAL_SETTINGS, m -> applySettings(m.body().getJsonObject("balancer")));
        vertx.setTimer(UNCLAIMED_PORTS_MS, t -> publicPorts.closeUnclaimed());
        watchRelays();
        return Future.succeededFuture();
    }

    /** Other members' relays asked on this verticle's own loop, the verdicts handled on its context. */
    private void watchRelays() {
        Context here = context;
        relays = new RelayWatch(
                VertxInternals.transport(vertx),
                ContextInternals.eventLoop(here),
                (relay, answering) -> here.runOnContext(v -> admission.relayAnswering(relay, answering)),
                admission::inRotation);
        admission.watchRelays(relays);
    }

    /** At daemon shutdown the apps are already stopped: the ports close at once. */
    @Override
    public Future<?> stop() {
        if (relays != null) {
            relays.close();
        }
        return Future.join(
                        apps.values().stream().map(app -> app.frontend.close()).toList())
                .otherwiseEmpty();
    }

    /**
     * The daemon leaves for the next one: every public port stops accepting here and its connections end. The
     * servers stop reading their sockets first, and each event loop runs a task after that, by which the
     * connections accepted before are in their server's hands (Vert.x's shutdown waits for those), not
     * still on their way to a server that is closing, which would reset them. A clustered daemon's fleet
     * relay meanwhile: the other members' fronts leave its fleet instances (docs/CLUSTER.md, "One port for
     * the fleet"; none without a cluster).
     */
    private Future<JsonObject> leaving() {
        LOG.info(() -> "leaving: the public ports accept no more here, the answers in flight end");
        JsonObject fleet = new JsonObject().put("names", new JsonArray()).put("action", "handover");
        Future<?> relayed = vertx.eventBus()
                .request(Addresses.INTERNAL_FLEET_ACT, fleet, new DeliveryOptions().setSendTimeout(LEAVING_GRACE_MS));
        Promise<Void> paused = Promise.promise();
        publicPorts.stopAccepting().whenComplete((v, e) -> paused.complete());
        Future<?> fronts = paused.future()
                .compose(v -> afterEveryLoop())
                .compose(v -> Future.join(apps.values().stream()
                        .map(app -> app.frontend.leave(LEAVING_GRACE_MS))
                        .toList()));
        return Future.join(fronts, relayed).otherwiseEmpty().map(v -> new JsonObject());
    }

    /** Done once every event loop has run what was queued on it before (Vert.x internal: the loops themselves). */
    private Future<Void> afterEveryLoop() {
        List<Future<Void>> ran = new ArrayList<>();
        for (EventExecutor loop : VertxInternals.eventLoops(vertx)) {
            Promise<Void> done = Promise.promise();
            loop.execute(done::complete);
            ran.add(done.future());
        }
        return Future.all(ran).mapEmpty();
    }

    private void applySettings(JsonObject section) {
        if (section == null) {
            return;
        }
        // validated by DaemonSettings; a value that is not a positive number still leaves the default
        queueTimeoutMs = section.getValue("queue_timeout_ms") instanceof Number n && n.longValue() > 0
                ? n.longValue()
                : DEFAULT_QUEUE_TIMEOUT_MS;
        apps.values().forEach(a -> a.queueTimeoutMs(queueTimeoutMs));
    }

    private Future<JsonObject> open(BalancedAppSpec spec) {
        BalancedApp existing = apps.get(spec.app());
        Balance balance = Balance.fromWord(spec.balance());
        if (existing != null
                && existing.host.equals(spec.host())
                && existing.port == spec.port()
                && existing.balance == balance) {
            existing.listenTimeoutMs(spec.listenTimeoutMs());
            existing.proxyProtocol = spec.proxyProtocol(); // for the connections from now on
            existing.preferLocal = "local".equals(spec.prefer());
            existing.sticky = spec.sticky();
            return Future.succeededFuture(new JsonObject().put("port", existing.port));
        }
        BalancedApp app = new BalancedApp(
                vertx,
                spec.app(),
                spec.host(),
                spec.port(),
                balance,
                queueTimeoutMs,
                (event, upstream, detail) -> publish(spec.app(), event, upstream, detail),
                admission::probeSlowly);
        app.listenTimeoutMs(spec.listenTimeoutMs());
        app.down(errored.why(spec.app()));
        app.proxyProtocol = spec.proxyProtocol();
        app.preferLocal = "local".equals(spec.prefer());
        app.sticky = spec.sticky();
        app.balancerLoop = this::onBalancerLoop;
        app.frontend = balance == Balance.HTTP
                ? new HttpFrontend(vertx, app, context -> httpLane(app, context))
                : new TcpFrontend(vertx, app, netClient());
        Future<Void> closed = existing == null ? Future.succeededFuture() : existing.frontend.close();
        return closed.compose(v -> claim(app))
                .compose(v -> app.frontend.listen())
                .recover(e -> {
                    if (existing == null || !sameAddress(existing, app)) {
                        publicPorts.release(app.name, app.host, app.port);
                    }
                    return Future.failedFuture(new JpmException(
                            JpmError.INVALID_CONFIG,
                            "app '" + spec.app() + "': cannot listen on " + spec.host() + ":" + spec.port() + ": "
                                    + e.getMessage()));
                })
                .map(port -> {
                    if (existing != null && !sameAddress(existing, app)) {
                        publicPorts.release(existing.name, existing.host, existing.port);
                    }
                    if (existing != null) {
                        existing.rotation.all().forEach(app.rotation::add);
                        existing.failWaiters();
                    }
                    apps.put(spec.app(), app);
                    publish(spec.app(), "listening", null, balance.word() + " on " + spec.host() + ":" + port);
                    LOG.info(() ->
                            "balancing " + spec.app() + " (" + balance.word() + ") on " + spec.host() + ":" + port);
                    sayWhenRelayingOnC1(spec.app());
                    return new JsonObject().put("port", port);
                });
    }

    /** The app's public port made ready to outlive this daemon (opened, or taken from the keeper): a bind, off the loop. */
    private Future<Void> claim(BalancedApp app) {
        return vertx.executeBlocking(() -> {
            publicPorts.claim(app.name, app.host, app.port);
            return null;
        });
    }

    private static boolean sameAddress(BalancedApp a, BalancedApp b) {
        return a.host.equals(b.host) && a.port == b.port;
    }

    /**
     * A daemon started with no relayed app runs C1 alone (cli.transport.DaemonJvm): its relay costs
     * about a third more CPU a request than with C2, which the next daemon gets. Said once.
     */
    private void sayWhenRelayingOnC1(String app) {
        if (!saidC1 && DaemonJit.current() == DaemonJit.C1) {
            saidC1 = true;
            LOG.warning(() -> app + " is relayed by a daemon started without relayed apps, whose JIT is C1 alone:"
                    + " `jpm update` starts the next one with C2 (about a third less CPU a relayed request)");
        }
    }

    private Future<JsonObject> close(String name) {
        BalancedApp app = apps.remove(name);
        if (app == null) {
            return Future.succeededFuture(new JsonObject());
        }
        app.failWaiters();
        app.rotation.all().forEach(u -> {
            if (u.state() != Upstream.State.GONE) {
                u.moveTo(Upstream.State.GONE);
            }
        });
        return app.frontend.close().map(v -> {
            publicPorts.release(app.name, app.host, app.port);
            publish(name, "closed", null, "public port " + app.port + " closed");
            return new JsonObject();
        });
    }

    /** An app whose every instance errored refuses its clients at once; one that runs again lets them wait. */
    private void onProcessEvent(ProcessEvent event) {
        String name = errored.take(event);
        BalancedApp app = name == null ? null : apps.get(name);
        if (app != null) {
            String why = errored.why(name);
            boolean wasDown = app.down() != null;
            app.down(why);
            if (why != null && !wasDown) {
                publish(name, "down", null, why + ": clients are refused at once");
            }
        }
    }

    private JsonObject stats() {
        JsonObject all = new JsonObject();
        long now = System.currentTimeMillis();
        for (BalancedApp app : apps.values()) {
            for (Upstream u : app.rotation.all()) {
                all.put(
                        u.key(),
                        new JsonObject()
                                .put("app", app.name)
                                .put("pm_id", u.pmId)
                                .put("node", u.node)
                                .put("state", u.state().word())
                                .put("port", u.port)
                                .put("public_port", app.port)
                                .put("balance", app.balance.word())
                                .put("connections", u.active.get())
                                .put("served", u.served.sum())
                                .put("per_minute", u.recent.perMinute(now))
                                .put("bytes_in", u.bytesIn.sum())
                                .put("bytes_out", u.bytesOut.sum()));
            }
        }
        return all;
    }

    void publish(String app, String event, Upstream upstream, String detail) {
        BalancerEvent e = new BalancerEvent(
                app,
                event,
                upstream == null ? null : upstream.pmId,
                upstream == null ? null : upstream.pid,
                upstream == null ? null : upstream.port,
                detail,
                System.currentTimeMillis(),
                host);
        vertx.eventBus().publish(Addresses.EVENTS_BALANCER, Plain.json(e.toMap()), LocalBus.only());
    }

    NetClient netClient() {
        if (netClient == null) {
            netClient = vertx.createNetClient(
                    new NetClientOptions().setConnectTimeout(2000).setTcpNoDelay(true));
        }
        return netClient;
    }

    /**
     * One lane of an HTTP frontend: the Netty relay, or with {@code JPM_HTTP_RELAY=0} Vert.x's HTTP
     * server and a client of its own (its pool stays on that lane's loop).
     *
     * @param context the lane's loop, pinned to it through a Vert.x internal (HttpFrontend says why)
     */
    private HttpFrontend.Lane httpLane(BalancedApp app, Context context) {
        if (HTTP_RELAY) {
            return new RelayLane(vertx, app, context);
        }
        return new VertxHttpLane(
                vertx,
                app,
                vertx.createHttpClient(
                        new HttpClientOptions()
                                .setKeepAliveTimeout(UPSTREAM_KEEP_ALIVE_S)
                                .setTcpNoDelay(true)
                                .setConnectTimeout(2000),
                        new PoolOptions().setHttp1MaxSize(UPSTREAM_POOL_SIZE)));
    }

    /** AppUpstreams changes stay on this verticle's loop, wherever a frontend saw the need for one. */
    private void onBalancerLoop(Runnable task) {
        if (context.owner().getOrCreateContext() == context) {
            task.run();
        } else {
            context.runOnContext(v -> task.run());
        }
    }
}
