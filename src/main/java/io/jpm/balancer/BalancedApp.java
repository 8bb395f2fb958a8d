package io.jpm.balancer;

import io.jpm.config.BalancerOptions.Balance;
import io.jpm.internals.ContextInternals;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One balanced app: its rotation, and the clients waiting for a ready instance. A frontend (TCP or
 * HTTP) asks it for an upstream per connection or request. HTTP mode asks from several event loops
 * at once, so the choice and the waiters are under this object's lock; a waiter's answer is handed
 * to the loop that asked (its promise belongs to that loop's context).
 */
final class BalancedApp {
    /** Something to do with one upstream (re-probe it, publish about it). */
    interface Events {
        void publish(String event, Upstream upstream, String detail);
    }

    final String name;
    final String host;
    final int port;
    final Balance balance;
    final AppUpstreams rotation = new AppUpstreams();
    private final Vertx vertx;
    private final Events events;
    private final Consumer<Upstream> reprobe;
    private final Deque<Waiter> waiters = new ArrayDeque<>();
    /** The app's listen_timeout: how long a client waits for a ready instance (see {@link #waitMs}). */
    private volatile long listenTimeoutMs;
    /** The daemon's balancer.queue_timeout_ms: an upper bound on that wait. */
    private volatile long queueTimeoutMs;
    /** Why no client should wait (every instance errored: {@link ErroredApps}), or null. */
    private volatile String down;
    /** TCP modes: a PROXY protocol v2 header goes to the instance before the client's bytes. */
    volatile boolean proxyProtocol;
    /** {@code prefer: local}: this host's ready instances first, another member's only while none is. */
    volatile boolean preferLocal;
    /**
     * {@code sticky}: "ip" (a client's address picks by {@link AppUpstreams#pick}'s hash), {@value
     * #COOKIE} (HTTP mode: its {@link StickyCookie}'s instance), or null.
     */
    volatile String sticky;

    static final String COOKIE = "cookie";

    /** Whether a request's sticky key is its cookie ({@link StickyCookie}) rather than its address. */
    boolean stickyByCookie() {
        return COOKIE.equals(sticky);
    }

    Frontend frontend;

    /** A client waiting for a ready instance it has not tried yet. */
    private record Waiter(Promise<Upstream> promise, Set<Upstream> tried, String client, long timer) {}

    BalancedApp(
            Vertx vertx,
            String name,
            String host,
            int port,
            Balance balance,
            long queueTimeoutMs,
            Events events,
            Consumer<Upstream> reprobe) {
        this.vertx = vertx;
        this.name = name;
        this.host = host;
        this.port = port;
        this.balance = balance;
        this.queueTimeoutMs = queueTimeoutMs;
        this.listenTimeoutMs = queueTimeoutMs;
        this.events = events;
        this.reprobe = reprobe;
    }

    void queueTimeoutMs(long ms) {
        this.queueTimeoutMs = ms;
    }

    void listenTimeoutMs(long ms) {
        this.listenTimeoutMs = ms;
    }

    /**
     * How long a client waits when no instance is ready: the app's listen_timeout (an instance
     * starting now is either ready by then or has failed its start), at most queue_timeout_ms.
     */
    long waitMs() {
        return Math.max(1, Math.min(listenTimeoutMs, queueTimeoutMs));
    }

    /**
     * A ready upstream not yet tried by this client; when none is ready, waits for one up to
     * {@link #waitMs} (then fails with {@link NoInstance}: the frontend refuses the client).
     * Called on a frontend's event loop; the answer comes on that loop.
     */
    Future<Upstream> acquire(Set<Upstream> tried) {
        return acquire(tried, null);
    }

    /** @param client the sticky key of the client (its address, or its cookie's instance), or null */
    Future<Upstream> acquire(Set<Upstream> tried, String client) {
        Upstream upstream = pickAndTake(tried, client);
        if (upstream != null) {
            return Future.succeededFuture(upstream);
        }
        String why = down;
        if (why != null) {
            return Future.failedFuture(new NoInstance(name, why));
        }
        // Vert.x internal: a promise bound to the waiter's context (Promise.promise() would run the waiter's
        // callbacks on whichever loop freed an instance, and a lane's state is touched on its own loop only)
        Context context = ContextInternals.current();
        Promise<Upstream> promise = context == null ? Promise.promise() : ContextInternals.promise(context);
        long wait = waitMs();
        synchronized (this) {
            // an instance may have become ready since the pick above: try again under the lock that serveWaiters takes
            upstream = pickAndTake(tried, client);
            if (upstream != null) {
                return Future.succeededFuture(upstream);
            }
            long timer = vertx.setTimer(wait, t -> {
                boolean waiting;
                synchronized (this) {
                    waiting = waiters.removeIf(w -> w.promise == promise);
                }
                if (waiting) { // told before the refusal, so whoever sees the refusal finds the event
                    events.publish("no_instance", null, "no ready instance within " + wait + " ms: client refused");
                    promise.tryFail(new NoInstance(name, wait));
                }
            });
            waiters.add(new Waiter(promise, tried, client, timer));
        }
        return promise.future();
    }

    /** A ready upstream not yet tried, taken (counted), or null at once: {@link #acquire} without a Future. */
    Upstream take(Set<Upstream> tried, String client) {
        return pickAndTake(tried, client);
    }

    private synchronized Upstream pickAndTake(Set<Upstream> tried, String client) {
        Upstream upstream = COOKIE.equals(sticky)
                ? rotation.pickByCookie(balance, tried, client)
                : rotation.pick(balance, tried, preferLocal, sticky == null ? null : client);
        if (upstream != null) {
            upstream.active.incrementAndGet();
            upstream.served.increment();
            upstream.recent.add(System.currentTimeMillis());
        }
        return upstream;
    }

    /** An upstream became ready: hand it (or others) to the clients waiting, in arrival order. */
    synchronized void serveWaiters() {
        int n = waiters.size();
        for (int k = 0; k < n; k++) {
            Waiter waiter = waiters.poll();
            Upstream upstream = pickAndTake(waiter.tried, waiter.client);
            if (upstream == null) {
                waiters.add(waiter);
                continue;
            }
            vertx.cancelTimer(waiter.timer);
            if (!waiter.promise.tryComplete(upstream)) {
                upstream.release(); // its timer fired meanwhile: the client was refused
            }
        }
    }

    /**
     * A connection to this upstream failed before any byte was sent: out of rotation until its port
     * accepts again (a crash God has not seen yet, or an instance that closed its listener).
     */
    void connectFailed(Upstream upstream, Throwable cause) {
        upstream.release();
        events.publish("retry", upstream, "connect failed (" + cause.getMessage() + "): trying another instance");
        // the state is the balancer loop's: moved there (this may run on another frontend loop)
        runOnBalancer(() -> {
            if (upstream.state() == Upstream.State.READY) {
                upstream.moveTo(Upstream.State.PROBING);
                events.publish("out", upstream, "not accepting: out of rotation until it accepts again");
                reprobe.accept(upstream);
            }
        });
    }

    /**
     * A request sent on a kept-alive connection got no answer (the instance closed that connection):
     * the instance may be fine, so it stays in rotation; the request goes elsewhere.
     */
    void sendFailed(Upstream upstream, Throwable cause) {
        upstream.release();
        events.publish("retry", upstream, "no answer (" + cause.getMessage() + "): trying another instance");
    }

    /**
     * No instance of the app will come back by itself ({@code why}), or one may again (null): while
     * it is down, a client that finds no ready instance is refused at once, and those waiting now are.
     */
    void down(String why) {
        down = why;
        if (why == null) {
            return;
        }
        synchronized (this) {
            Waiter waiter;
            while ((waiter = waiters.poll()) != null) {
                vertx.cancelTimer(waiter.timer);
                waiter.promise.tryFail(new NoInstance(name, why));
            }
        }
    }

    /** Why the app is down, or null. */
    String down() {
        return down;
    }

    /** Fails every waiting client (the app's port is closing). */
    synchronized void failWaiters() {
        Waiter waiter;
        while ((waiter = waiters.poll()) != null) {
            vertx.cancelTimer(waiter.timer);
            waiter.promise.tryFail(new NoInstance(name, 0));
        }
    }

    /** Set by the verticle: runs a task on the balancer's own event loop. */
    Consumer<Runnable> balancerLoop = Runnable::run;

    private void runOnBalancer(Runnable task) {
        balancerLoop.accept(task);
    }

    /** Why a client is refused: no instance of the app became ready in time (or its port is closing). */
    static final class NoInstance extends RuntimeException {
        NoInstance(String app, long waitedMs) {
            this(app, waitedMs > 0 ? "waited " + waitedMs + " ms" : "its port is closing");
        }

        NoInstance(String app, String why) {
            super("no instance of '" + app + "' is ready (" + why + ")", null, false, false);
        }
    }
}
