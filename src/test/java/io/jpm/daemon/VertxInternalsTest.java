package io.jpm.daemon;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The Vert.x internals jpm reaches by reflection or by a cast that falls back without a word: each
 * fallback keeps the daemon working, a little worse (a hang dump naming no verticle,
 * TCP mode through pipeTo), so a Vert.x upgrade that moves one must fail here, not go unnoticed. The
 * internals called directly (VertxInternal, ContextInternal, VertxBootstrap) fail the build instead.
 */
class VertxInternalsTest {
    /** VertxThreads: the verticle a thread runs, read from VertxThread's package-private context. */
    @Test
    void aVertxThreadStillHoldsItsContext() {
        assertTrue(VertxThreads.namesVerticles(), "VertxThread.context is gone: hang dumps name no verticle");
    }

    /** balancer.ChannelRelay: a Vert.x socket is a NetSocketInternal, the way to its Netty channel. */
    @Test
    void aVertxSocketIsANetSocketInternal() throws Exception {
        Vertx vertx = Vertx.vertx();
        try {
            CompletableFuture<NetSocket> accepted = new CompletableFuture<>();
            int port = vertx.createNetServer()
                    .connectHandler(accepted::complete)
                    .listen(0, "127.0.0.1")
                    .await(10, TimeUnit.SECONDS)
                    .actualPort();
            NetSocket client =
                    vertx.createNetClient().connect(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
            NetSocket server = accepted.get(10, TimeUnit.SECONDS);
            assertTrue(client instanceof NetSocketInternal, "a client socket is no NetSocketInternal");
            assertTrue(server instanceof NetSocketInternal, "a server socket is no NetSocketInternal");
            assertNotNull(((NetSocketInternal) server).channelHandlerContext());
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }
}
