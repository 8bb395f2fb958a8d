package io.jpm.balancer;

import io.jpm.internals.ContextInternals;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.UpstreamRequest;
import io.jpm.verticle.RelayRoute;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClient;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * An instance's way into and out of its app's rotation: joined by God (by pid), probed until its
 * private port accepts (or, with a health probe, until Satan's first {@code healthy}), ready, taken
 * out when unhealthy, drained when it leaves. A join not ready within listen_timeout fails, and the
 * instance is still probed slowly after. Runs on the balancer's event loop.
 */
final class Admission {
    private static final Logger LOG = Logger.getLogger("jpm.balancer");
    /** Between two readiness attempts while listen_timeout runs, and after it ran out. */
    private static final long PROBE_INTERVAL_MS = 100;

    private static final long SLOW_PROBE_INTERVAL_MS = 1000;

    /** Where rotation changes are told (jpm.events.balancer). */
    interface Events {
        void publish(String app, String event, Upstream upstream, String detail);
    }

    /** Who holds the socket listening on a port: {@link PortListener#holderOf} in the daemon. */
    interface ListenerHolders {
        PortListener.Holder holderOf(int port, int pid);
    }

    private final Supplier<Vertx> vertx;
    private final Map<String, BalancedApp> apps;
    private final Supplier<NetClient> netClient;
    private final Events events;
    private final ListenerHolders holders;
    private final Map<Upstream, Join> joining = new HashMap<>();
    /** Upstreams whose port was seen held by another process: told once each. */
    private final Set<Upstream> taken = new HashSet<>();
    /** Other members' relays, asked whether they answer; null until the verticle started. */
    private RelayWatch relays;

    /** Suppliers: the verticle's Vert.x and client exist only once it is deployed. */
    Admission(
            Supplier<Vertx> vertx,
            Map<String, BalancedApp> apps,
            Supplier<NetClient> netClient,
            Events events,
            ListenerHolders holders) {
        this.vertx = vertx;
        this.apps = apps;
        this.netClient = netClient;
        this.events = events;
        this.holders = holders;
    }

    /** {@code route}: how the HTTP relay reaches another member's instance itself; null for this host's own. */
    Future<JsonObject> join(UpstreamRequest request, RelayRoute route) {
        BalancedApp app = apps.get(request.app());
        if (app == null) {
            return Future.failedFuture(
                    new JpmException(JpmError.UNKNOWN_TARGET, "app '" + request.app() + "' is not balanced"));
        }
        Upstream upstream = app.rotation.get(Upstream.key(request.node(), request.pid()));
        if (upstream == null) {
            upstream = new Upstream(
                    request.app(), request.pmId(), request.pid(), request.port(), request.health(), request.node());
            app.rotation.add(upstream);
        }
        if (upstream.node != null) {
            upstream.route = route;
            if (relays != null && route != null) {
                relays.watch(upstream);
                upstream.relaySilent = relays.silent(route.relay());
            }
            // another member's instance: its own host admitted it, and its readiness travels with it
            ready(app, upstream);
            return Future.succeededFuture(new JsonObject());
        }
        if (upstream.state() == Upstream.State.READY) {
            return Future.succeededFuture(new JsonObject());
        }
        Join pending = joining.get(upstream);
        if (pending != null) {
            // joined twice: one wait, both answered
            return pending.ready.future().map(v -> new JsonObject());
        }
        Join join = new Join();
        joining.put(upstream, join);
        Upstream joined = upstream;
        vertx.get().setTimer(Math.max(1, request.listenTimeoutMs()), t -> {
            if (join.ready.tryFail(new JpmException(
                    JpmError.SPAWN_FAILED,
                    "app '" + request.app() + "' pm_id " + request.pmId()
                            + " (pid " + request.pid() + ") was not ready within listen_timeout "
                            + request.listenTimeoutMs() + " ms"
                            + (request.health()
                                    ? " (no healthy verdict)"
                                    : " (port " + request.port() + " never accepted"
                                            + (taken.contains(joined) ? ": another process listens there" : "")
                                            + "; " + join.attempts() + ")")))) {
                joining.remove(joined);
                events.publish(
                        request.app(),
                        "not_ready",
                        joined,
                        "not ready within listen_timeout " + request.listenTimeoutMs() + " ms");
            }
        });
        probe(app, upstream, PROBE_INTERVAL_MS);
        return join.ready.future().map(v -> new JsonObject());
    }

    void probeSlowly(Upstream upstream) {
        BalancedApp app = apps.get(upstream.app);
        if (app != null) {
            probe(app, upstream, SLOW_PROBE_INTERVAL_MS);
        }
    }

    /**
     * Tries the private port until it accepts and the listener is the instance's own (then ready,
     * unless a health verdict is awaited).
     */
    private void probe(BalancedApp app, Upstream upstream, long interval) {
        if (upstream.state() != Upstream.State.PROBING || apps.get(app.name) != app) {
            taken.remove(upstream); // ready, gone, or its app closed
            return;
        }
        netClient
                .get()
                .connect(upstream.port, "127.0.0.1")
                .compose(socket -> {
                    socket.close();
                    // another member's instance: the way there accepts again, its host answers for the rest
                    return upstream.node != null ? Future.succeededFuture(true) : listensItself(app, upstream);
                })
                .onComplete(ar -> {
                    if (ar.succeeded() && ar.result() && (!upstream.health || upstream.healthy)) {
                        ready(app, upstream);
                        return;
                    }
                    Join join = joining.get(upstream);
                    if (join != null) {
                        join.tried(outcome(ar));
                    }
                    if (upstream.state() == Upstream.State.PROBING) {
                        long next = joining.containsKey(upstream) ? interval : SLOW_PROBE_INTERVAL_MS;
                        vertx.get().setTimer(next, t -> probe(app, upstream, interval));
                    }
                });
    }

    /** One readiness attempt in a few words: what the operator reads when listen_timeout runs out. */
    private static String outcome(AsyncResult<Boolean> attempt) {
        if (attempt.succeeded()) {
            return attempt.result() ? "accepted, no healthy verdict yet" : "accepted, another process listens";
        }
        Throwable e = attempt.cause();
        // Netty's words for a refusal name its syscall and errno; a timeout's are plain
        return e instanceof ConnectException ? "connection refused" : String.valueOf(e.getMessage());
    }

    /**
     * Whether the listener on the upstream's port is its process's (or not known otherwise: no
     * process to blame); another process there is told once, and the instance stays out of rotation.
     */
    private Future<Boolean> listensItself(BalancedApp app, Upstream upstream) {
        return vertx.get()
                .executeBlocking(() -> holders.holderOf(upstream.port, upstream.pid), false)
                .map(holder -> {
                    if (holder != PortListener.Holder.ANOTHER) {
                        return true;
                    }
                    if (taken.add(upstream)) {
                        events.publish(
                                app.name,
                                "port_taken",
                                upstream,
                                "port " + upstream.port + " accepts, but another process listens there, not pid "
                                        + upstream.pid);
                    }
                    return false;
                });
    }

    private void ready(BalancedApp app, Upstream upstream) {
        if (upstream.state() != Upstream.State.PROBING || upstream.relaySilent) {
            return;
        }
        upstream.moveTo(Upstream.State.READY);
        taken.remove(upstream);
        events.publish(app.name, "ready", upstream, "in rotation (" + app.rotation.readyCount() + " ready)");
        Join joined = joining.remove(upstream);
        if (joined != null) {
            joined.ready.tryComplete();
        }
        app.serveWaiters();
    }

    /** Other members' relays watched from now on (the verticle's event loop exists once it started). */
    void watchRelays(RelayWatch watch) {
        relays = watch;
    }

    /** Whether {@code upstream} is still in its app's rotation ({@link RelayWatch} forgets the others). */
    boolean inRotation(Upstream upstream) {
        BalancedApp app = apps.get(upstream.app);
        return app != null && app.rotation.get(upstream.key()) == upstream && upstream.state() != Upstream.State.GONE;
    }

    /**
     * {@code relay} stopped answering ({@link RelayWatch}): the instances of its member leave this front's
     * rotation, and the requests waiting for their answer that may be sent again go to another instance; or
     * it answers again, and they are back.
     */
    void relayAnswering(InetSocketAddress relay, boolean answering) {
        // rare, and what an operator looks for after a cut or a stopped member: said once each way
        LOG.info(() -> "the fleet relay at " + relay.getHostString() + ":" + relay.getPort()
                + (answering
                        ? " answers again: its member's instances back in rotation here"
                        : " answered nothing for " + RelayWatch.SILENT_AFTER_MS
                                + " ms: its member's instances out of rotation here until it answers"));
        for (BalancedApp app : apps.values()) {
            for (Upstream u : app.rotation.all()) {
                if (u.route == null || !u.route.relay().equals(relay)) {
                    continue;
                }
                u.relaySilent = !answering;
                if (answering) {
                    ready(app, u);
                } else if (u.state() == Upstream.State.READY) {
                    u.moveTo(Upstream.State.PROBING);
                    events.publish(
                            app.name,
                            "out",
                            u,
                            "its host's relay answered nothing for " + RelayWatch.SILENT_AFTER_MS
                                    + " ms: out of rotation until it answers");
                    app.frontend.resendWaiting(u);
                }
            }
        }
    }

    void onHealth(JsonObject event) {
        BalancedApp app = apps.get(event.getString("app"));
        Integer pmId = event.getInteger("pm_id");
        if (app == null || pmId == null) {
            return;
        }
        boolean healthy = "healthy".equals(event.getString("status"));
        Integer pid = event.getInteger("pid");
        for (Upstream u : app.rotation.all()) {
            // by pid too: during a reload the old and the new run share the pm_id
            if (u.pmId != pmId || !u.health || (pid != null && pid != 0 && u.pid != pid)) {
                continue;
            }
            u.healthy = healthy;
            if (healthy && u.state() == Upstream.State.PROBING) {
                ready(app, u);
            } else if (!healthy && u.state() == Upstream.State.READY) {
                u.moveTo(Upstream.State.PROBING);
                events.publish(app.name, "out", u, "unhealthy: " + event.getString("reason"));
            }
        }
    }

    /** Takes an instance out of rotation; with drain_ms, lets its open connections finish first. */
    Future<JsonObject> leave(UpstreamRequest request) {
        BalancedApp app = apps.get(request.app());
        Upstream upstream = app == null ? null : app.rotation.get(Upstream.key(request.node(), request.pid()));
        if (upstream == null
                || upstream.state() == Upstream.State.GONE
                || upstream.state() == Upstream.State.DRAINING) {
            return Future.succeededFuture(
                    new JsonObject().put("drained", upstream == null || upstream.active.get() <= 0));
        }
        Join join = joining.remove(upstream);
        if (join != null) {
            join.ready.tryFail(new JpmException(
                    JpmError.SPAWN_FAILED,
                    "app '" + request.app() + "' pm_id " + upstream.pmId + " (pid " + upstream.pid
                            + ") exited before it was ready"));
        }
        if (request.drainMs() <= 0 || upstream.active.get() <= 0) {
            gone(app, upstream, "out of rotation");
            if (upstream.node != null && request.drainMs() <= 0) {
                app.frontend.cutOff(upstream); // a member dropped by the cluster: nothing in flight comes back
            }
            return Future.succeededFuture(new JsonObject().put("drained", upstream.active.get() <= 0));
        }
        // the promise first, then out of rotation, then the count: a request ending on another loop
        // meanwhile either sees the promise or is seen in the count (bound to this loop's context, so
        // what follows the drain runs here whichever loop ended the last request)
        // (Vert.x internal: no public API makes a context-bound promise)
        Promise<Boolean> drained = ContextInternals.promise(vertx.get().getOrCreateContext());
        synchronized (app) { // the lock under which frontends pick and count: no pick slips between
            upstream.drained = drained;
            upstream.moveTo(Upstream.State.DRAINING);
        }
        if (upstream.active.get() <= 0) {
            drained.tryComplete(true);
        }
        events.publish(
                app.name, "draining", upstream, upstream.active.get() + " open, up to " + request.drainMs() + " ms");
        long timer = vertx.get().setTimer(request.drainMs(), t -> drained.tryComplete(false));
        return drained.future().map(all -> {
            vertx.get().cancelTimer(timer);
            gone(app, upstream, all ? "drained" : "drain time up with " + upstream.active.get() + " still open");
            return new JsonObject().put("drained", all);
        });
    }

    private void gone(BalancedApp app, Upstream upstream, String detail) {
        upstream.moveTo(Upstream.State.GONE);
        taken.remove(upstream);
        app.rotation.remove(upstream.key());
        events.publish(
                app.name,
                detail.equals("drained") ? "drained" : "out",
                upstream,
                detail + " (" + app.rotation.readyCount() + " ready)");
    }

    /**
     * An instance waiting to be ready, and what its probes found: when listen_timeout runs out, the
     * message tells an app that refused every attempt from a daemon that hardly probed (short of CPU).
     */
    private static final class Join {
        final Promise<Void> ready = Promise.promise();
        private int attempts;
        private String last;

        void tried(String outcome) {
            attempts++;
            last = outcome;
        }

        /** "12 attempts, the last: Connection refused", or that none ended. */
        String attempts() {
            return attempts == 0
                    ? "no attempt ended"
                    : attempts + (attempts == 1 ? " attempt" : " attempts") + ", the last: " + last;
        }
    }
}
