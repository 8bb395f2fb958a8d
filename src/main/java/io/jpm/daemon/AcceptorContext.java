package io.jpm.verticle;

import io.netty.channel.EventLoop;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

/**
 * A context on Vert.x's acceptor event loop, for the daemon's own supervision (the watchdog's pings,
 * the redeploy of a hung verticle): that work must go on while a verticle holds an event loop, and
 * the acceptor loop only accepts connections (no verticle is ever deployed on it), so none can stall
 * it. It had a thread of its own per use before, two threads an idle daemon did not need (issue 31:
 * threads). Through Vert.x internals: checked on 5.0.10.
 */
public final class AcceptorContext {
    private AcceptorContext() {}

    public static ContextInternal of(Vertx vertx) {
        VertxInternal internal = (VertxInternal) vertx;
        return internal.contextBuilder()
                .withEventLoop((EventLoop) internal.acceptorEventLoopGroup().next())
                .build();
    }
}
