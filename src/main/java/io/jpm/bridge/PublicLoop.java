package io.jpm.bridge;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;

/**
 * An event-loop context for the bridge's public TCP port on another event loop than the calling
 * verticle's, when the daemon has more than one. Vert.x hands event loops out in turn, so a few
 * tries find another; its public API gives a verticle no context but its own (hence the internal
 * one, as Vert.x's own servers use it).
 */
final class PublicLoop {
    private static final int TRIES = 8;

    private PublicLoop() {}

    static Context apartFrom(Vertx vertx) {
        ContextInternal own = (ContextInternal) vertx.getOrCreateContext();
        VertxInternal internal = (VertxInternal) vertx;
        ContextInternal other = internal.createEventLoopContext();
        for (int i = 1; i < TRIES && other.nettyEventLoop() == own.nettyEventLoop(); i++) {
            other = internal.createEventLoopContext();
        }
        return other;
    }
}
