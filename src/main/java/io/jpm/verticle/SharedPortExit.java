package io.jpm.verticle;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.net.impl.VertxEventLoopGroup;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * How a replaced balancer's server leaves a public port it shares with its successor without
 * closing a client on the way.
 *
 * <p>Why: inside one Vert.x, servers listening on the same host:port share one socket; the acceptor
 * picks the event loop of one of them for each new connection ({@code VertxEventLoopGroup.next()}),
 * and the connection's registration then runs on that loop, where the server handler for the loop
 * is looked up ({@code ServerChannelLoadBalancer.initChannel}). A plain {@code shutdown()} removes
 * the loop and its handler in one step, so a connection the acceptor sent to that loop just before
 * finds no handler when its registration runs and is closed unanswered (Vert.x 5.0.10; seen in
 * VerticleWatchdogIT under load: {@code bad answer: ''}). Here the exit takes three steps: the loop
 * leaves the acceptor's choice first, the connections already sent to it reach this server's
 * handler (one turn of the acceptor's loop, then of this server's loop), and only then is the
 * handler removed, on the acceptor's loop so no choice is made in between.
 *
 * <p>This reaches into Vert.x internals (checked: 5.0.10); if they are not as expected the exit is a
 * plain shutdown, as before, with a warning.
 */
public final class SharedPortExit {
    private static final Logger LOG = Logger.getLogger("jpm.balancer");

    private SharedPortExit() {}

    /**
     * Shuts down {@code server} (a NetServer or HttpServer of this context) with {@code shutdown}
     * once no connection is on its way to it. Called on the server's own context.
     */
    public static Future<Void> shutdown(Vertx vertx, Object server, Supplier<Future<Void>> shutdown) {
        Internals in;
        try {
            in = Internals.of(server);
            if (in == null) {
                return shutdown.get(); // not listening: nothing is on its way to it
            }
            // 1. the acceptor no longer picks this loop (unless another server listens on it too)
            in.group.removeWorker(in.loop);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warning(() -> "balancer: cannot leave the shared port step by step (" + e
                    + "): a client connecting right now may be closed");
            return shutdown.get();
        }
        ContextInternal context = (ContextInternal) vertx.getOrCreateContext();
        // 2. a connection picked for this loop before is registered there, with this server's handler
        return turn(context, in.acceptor, () -> {})
                .compose(v -> turn(context, in.loop, () -> {}))
                // 3. the handler goes; on the acceptor's loop, so that the loop's count, restored for the
                // removal below, is never seen by a choice
                .compose(v -> turn(context, in.acceptor, in::removeHandler))
                // 4. the server finds its handler gone (no second removal) and drains its connections
                .transform(ar -> {
                    if (ar.failed()) {
                        LOG.warning(() -> "balancer: leaving the shared port step by step failed (" + ar.cause()
                                + "): shutting down as is");
                    }
                    return shutdown.get();
                });
    }

    /** The stepped exit applies to {@code server} (a listening, shared-capable Vert.x server): for tests. */
    static boolean stepwise(Object server) {
        try {
            return Internals.of(server) != null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return false;
        }
    }

    /** Runs {@code action} on {@code loop}; completes on {@code context} once it ran. */
    private static Future<Void> turn(ContextInternal context, EventLoop loop, Runnable action) {
        Promise<Void> done = context.promise();
        loop.execute(() -> {
            try {
                action.run();
                done.complete();
            } catch (RuntimeException e) {
                done.fail(e);
            }
        });
        return done.future();
    }

    /** The parts of a shared Vert.x server this needs. */
    private record Internals(
            Object balancer,
            Method removeWorker,
            VertxEventLoopGroup group,
            EventLoop loop,
            Handler<Channel> worker,
            EventLoop acceptor) {

        /** Null when the server is not listening. */
        @SuppressWarnings("unchecked")
        static Internals of(Object server) throws ReflectiveOperationException {
            Object net = server;
            Field tcp = findField(server.getClass(), "tcpServer"); // an HttpServer runs on a NetServer
            if (tcp != null) {
                net = tcp.get(server);
                if (net == null) {
                    return null;
                }
            }
            Object actual = field(net, "actualServer");
            EventLoop loop = (EventLoop) field(net, "eventLoop");
            Handler<Channel> worker = (Handler<Channel>) field(net, "worker");
            if (actual == null || loop == null || worker == null) {
                return null;
            }
            Object balancer = field(actual, "channelBalancer");
            Future<Channel> bound = (Future<Channel>) field(actual, "bindFuture");
            if (balancer == null || bound == null || !bound.succeeded()) {
                return null;
            }
            Method workers = balancer.getClass().getDeclaredMethod("workers");
            workers.setAccessible(true);
            Method removeWorker = balancer.getClass().getDeclaredMethod("removeWorker", EventLoop.class, Handler.class);
            removeWorker.setAccessible(true);
            return new Internals(
                    balancer,
                    removeWorker,
                    (VertxEventLoopGroup) workers.invoke(balancer),
                    loop,
                    worker,
                    bound.result().eventLoop());
        }

        /** The loop's count back, then the handler and that count away together (ServerChannelLoadBalancer.removeWorker). */
        void removeHandler() {
            group.addWorker(loop);
            try {
                removeWorker.invoke(balancer, loop, worker);
            } catch (ReflectiveOperationException e) {
                group.removeWorker(loop);
                throw new IllegalStateException(e);
            }
        }

        private static Object field(Object o, String name) throws ReflectiveOperationException {
            Field f = findField(o.getClass(), name);
            if (f == null) {
                throw new NoSuchFieldException(o.getClass().getName() + "." + name);
            }
            return f.get(o);
        }

        private static Field findField(Class<?> type, String name) {
            for (Class<?> c = type; c != null; c = c.getSuperclass()) {
                try {
                    Field f = c.getDeclaredField(name);
                    f.setAccessible(true);
                    return f;
                } catch (NoSuchFieldException e) {
                    // the superclass may have it
                }
            }
            return null;
        }
    }
}
