package io.jpm.balancer;

import io.jpm.internals.ContextInternals;
import io.jpm.internals.VertxInternals;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * HTTP mode ({@code balance: "http"}): an HTTP/1.1 reverse proxy. It runs one lane per Vert.x event
 * loop: a server on the public port and its own kept-alive connections to the instances, both on
 * that loop. Inside one Vert.x, servers on the same host:port share the socket and the acceptor
 * spreads the connections over their loops, so the proxy uses every core the daemon has instead of
 * one, and a request never crosses from one loop to another (its upstream connection belongs to the
 * loop that took it). What the lanes share, the rotation and the counts, is thread-safe
 * ({@link BalancedApp}). What a lane is: {@link RelayLane} (Netty's codecs, the default) or
 * {@link VertxHttpLane} (Vert.x's HttpServer and HttpClient, {@code JPM_HTTP_RELAY=0}).
 */
final class HttpFrontend implements Frontend {
    private static final AtomicInteger RANDOM_PORT_KEYS = new AtomicInteger();

    /** One event loop's share of the frontend: its server on the public port and its way to the instances. */
    interface Lane {
        /** Listens; called on the lane's own context (a server's connections go to the loop it listened from). */
        Future<Integer> listen(int port, String host);

        Future<Void> close();

        /** Frontend#leave for this lane's server and connections. */
        Future<Void> leave(long graceMs);

        /** Frontend#cutOff for this lane's connections; on the lane's context. */
        default void cutOff(Upstream upstream) {}

        /** Frontend#resendWaiting for this lane's connections; on the lane's context. */
        default void resendWaiting(Upstream upstream) {}
    }

    private final Vertx vertx;
    private final BalancedApp app;
    private final Function<Context, Lane> laneFactory;
    private final List<Running> lanes = new ArrayList<>();

    private record Running(Context context, Lane lane) {}

    /** @param laneFactory makes the lane of one event loop, given that loop's context */
    HttpFrontend(Vertx vertx, BalancedApp app, Function<Context, Lane> laneFactory) {
        this.vertx = vertx;
        this.app = app;
        this.laneFactory = laneFactory;
    }

    @Override
    public Future<Integer> listen() {
        // Vert.x internal: a context pinned to each Netty loop (one lane per loop); the public API picks the
        // loop itself, and without it the lanes could share a loop and leave a core idle
        for (EventExecutor loop : VertxInternals.eventLoops(vertx)) {
            Context context = ContextInternals.onLoop(vertx, (EventLoop) loop);
            lanes.add(new Running(context, laneFactory.apply(context)));
        }
        // port 0 (tests) asks for any free port: Vert.x shares one random port between servers that
        // listen on the same negative number, so each frontend takes a number of its own
        int port = app.port != 0 ? app.port : -RANDOM_PORT_KEYS.incrementAndGet();
        List<Future<Integer>> bound = new ArrayList<>();
        for (Running running : lanes) {
            Promise<Integer> listening = Promise.promise();
            // listen(port) alone would bind every interface (Vert.x's default host), whatever the options say
            running.context.runOnContext(
                    v -> running.lane.listen(port, app.host).onComplete(listening));
            bound.add(listening.future());
        }
        return Future.all(bound).map(all -> all.<Integer>resultAt(0));
    }

    @Override
    public Future<Void> close() {
        return onEachLane(Lane::close);
    }

    @Override
    public Future<Void> leave(long graceMs) {
        return onEachLane(lane -> lane.leave(graceMs));
    }

    @Override
    public void cutOff(Upstream upstream) {
        lanes.forEach(running -> running.context.runOnContext(v -> running.lane.cutOff(upstream)));
    }

    @Override
    public void resendWaiting(Upstream upstream) {
        lanes.forEach(running -> running.context.runOnContext(v -> running.lane.resendWaiting(upstream)));
    }

    private Future<Void> onEachLane(Function<Lane, Future<Void>> action) {
        List<Future<Void>> done = new ArrayList<>();
        for (Running running : lanes) {
            Promise<Void> promise = Promise.promise();
            running.context.runOnContext(v -> action.apply(running.lane).onComplete(promise));
            done.add(promise.future());
        }
        return Future.join(done).mapEmpty();
    }
}
