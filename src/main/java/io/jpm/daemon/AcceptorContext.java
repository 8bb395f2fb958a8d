package io.jpm.daemon;

import io.netty.channel.EventLoop;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

/**
 * A context on Vert.x's acceptor event loop, for the daemon's hang check (daemon.HangWatch): it must
 * go on while a verticle holds an event loop, and the acceptor loop only accepts connections (no
 * verticle is ever deployed on it), so none can stall it, and it costs no thread of its own.
 * Through Vert.x internals: checked on 5.0.10.
 */
final class AcceptorContext {
    private AcceptorContext() {}

    static ContextInternal of(Vertx vertx) {
        VertxInternal internal = (VertxInternal) vertx;
        return internal.contextBuilder()
                .withEventLoop((EventLoop) internal.acceptorEventLoopGroup().next())
                .build();
    }
}
