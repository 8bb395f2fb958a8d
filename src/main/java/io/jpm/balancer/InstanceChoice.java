package io.jpm.balancer;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * Which instance, and which connection to it, carries a relayed request: a ready instance taken at
 * once when there is one (no Future), else waited for up to the app's wait ({@link BalancedApp#acquire});
 * then an idle kept-alive connection of the lane, else a new one. A connection that fails sends the
 * request to another instance (up to {@link RelayExchange#MAX_ATTEMPTS}) and that instance out of
 * rotation until it accepts again. On the lane's event loop: an answer from the balancer's loop is
 * brought back to it.
 */
final class InstanceChoice {
    /** Where a choice ends; {@link #settled} follows an answer that came later than the call. */
    interface Outcome {
        void connected(RelayExchange ex, InstanceConnection instance);

        void refused(RelayExchange ex, HttpResponseStatus status, String text);

        void settled();
    }

    private final BalancedApp app;
    private final InstancePool pool;
    private final EventLoop loop;

    InstanceChoice(BalancedApp app, InstancePool pool, EventLoop loop) {
        this.app = app;
        this.pool = pool;
        this.loop = loop;
    }

    /** Whether the app sends a client to the instance its cookie names ({@link StickyCookie}). */
    boolean stickyByCookie() {
        return app.stickyByCookie();
    }

    void pick(RelayExchange ex, Outcome outcome) {
        Upstream upstream = app.take(ex.tried, ex.client);
        if (upstream != null) {
            connect(ex, upstream, outcome);
            return;
        }
        app.acquire(ex.tried, ex.client)
                .onComplete((picked, failure) -> onLoop(() -> {
                    if (ex.abandoned) {
                        if (picked != null) {
                            picked.release();
                        }
                    } else if (failure != null) {
                        outcome.refused(ex, HttpResponseStatus.SERVICE_UNAVAILABLE, failure.getMessage());
                    } else {
                        connect(ex, picked, outcome);
                    }
                    outcome.settled();
                }));
    }

    private void connect(RelayExchange ex, Upstream upstream, Outcome outcome) {
        ex.upstream = upstream;
        InstanceConnection idle = pool.takeIdle(upstream);
        if (idle != null) {
            outcome.connected(ex, idle);
            return;
        }
        pool.connect(upstream, (connection, failure) -> {
            if (ex.abandoned) {
                if (connection != null) {
                    connection.channel.close();
                }
            } else if (failure != null) {
                ex.upstream = null;
                app.connectFailed(upstream, failure); // out of its active requests, out of rotation until it accepts
                retry(ex, upstream, outcome);
            } else {
                outcome.connected(ex, connection);
            }
            outcome.settled();
        });
    }

    /**
     * The request to another instance than {@code failed} (already released by the caller, through
     * {@link BalancedApp#connectFailed} or {@link BalancedApp#sendFailed}); 502 after the last attempt.
     */
    void retry(RelayExchange ex, Upstream failed, Outcome outcome) {
        ex.tried(failed);
        ex.sent = false;
        if (ex.attempt <= RelayExchange.MAX_ATTEMPTS) {
            pick(ex, outcome);
        } else {
            outcome.refused(ex, HttpResponseStatus.BAD_GATEWAY, "no instance of '" + app.name + "' answered");
        }
    }

    /** The instance closed before answering a request that may be sent again: to another instance, it staying in rotation. */
    void resend(RelayExchange ex, Outcome outcome) {
        Upstream upstream = ex.upstream;
        ex.upstream = null;
        app.sendFailed(upstream, new IllegalStateException("connection closed before an answer"));
        retry(ex, upstream, outcome);
    }

    private void onLoop(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }
}
