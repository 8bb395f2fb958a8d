package io.jpm.daemon;

import io.jpm.internals.ContextInternals;
import io.jpm.internals.VertxInternals;
import io.netty.channel.EventLoop;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * A context on Vert.x's acceptor event loop, for the daemon's hang check (daemon.HangWatch): it must
 * go on while a verticle holds an event loop, and the acceptor loop only accepts connections (no
 * verticle is ever deployed on it), so none can stall it, and it costs no thread of its own.
 * Through Vert.x internals (io.jpm.internals).
 */
final class AcceptorContext {
    private AcceptorContext() {}

    static Context of(Vertx vertx) {
        return ContextInternals.onLoop(
                vertx, (EventLoop) VertxInternals.acceptorLoops(vertx).next());
    }
}
