package io.jpm.balancer;

import io.jpm.internals.ContextInternals;
import io.jpm.internals.SocketInternals;
import io.jpm.internals.VertxInternals;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpServerCodec;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import java.util.concurrent.TimeUnit;

/**
 * HTTP mode's lane as a Netty-level relay (the default). Vert.x accepts the connections (a NetServer:
 * the shared public port, its host, epoll or NIO, the stepped exit of a replaced balancer), then
 * each connection's pipeline gets Netty's {@link HttpServerCodec} and a {@link RelayedConnection},
 * ahead of Vert.x's own handler, which from then on sees only the connection's close. Requests go
 * to the instances over this lane's {@link InstancePool}, on the same event loop.
 *
 * <p>Why not Vert.x's HttpServer and HttpClient ({@link VertxHttpLane}, kept as the fallback
 * {@code JPM_HTTP_RELAY=0}): their header handling took about half of the daemon's Java samples; here
 * a request's headers are parsed once, edited in place and encoded once, and bodies pass as Netty's
 * buffers without a copy. Kept because it measures ahead of the Vert.x path in the
 * same run of bench/http-proxy.sh (docs/BENCHMARKS.md): on a busy machine 1.3-2.3x its req/s on the
 * median, with less daemon CPU per request in 13 of 16 paired rounds; on a quiet one 7% more.
 *
 * <p>Not public Vert.x API, so a Vert.x upgrade may break it (then {@code JPM_HTTP_RELAY=0} until it
 * is fixed; HttpRelayTest's cases pass on that path too), each reached through io.jpm.internals, whose
 * tests fail when an upgrade moves one: {@code SocketInternals.handlerContext} (here and in
 * {@link ChannelRelay}: Netty handlers put into the pipeline of a connection Vert.x accepted),
 * {@code VertxInternals.transport} and {@code ContextInternals.eventLoop}
 * ({@link InstancePool}: instance connections made with Vert.x's epoll/NIO transport on the lane's
 * loop), and, shared with the Vert.x path, {@code VertxInternals.eventLoops} and
 * {@code ContextInternals.onLoop} ({@link HttpFrontend}: a context per event loop). The rest is Netty's own public API (its HTTP codecs, Bootstrap, channel
 * handlers), at the version Vert.x brings.
 */
final class RelayLane implements HttpFrontend.Lane {
    static final String CODEC = "jpm-http-codec";
    private final NetServer server;
    private final InstancePool pool;
    private final InstanceChoice choice;

    RelayLane(Vertx vertx, BalancedApp app, Context context) {
        this.pool = new InstancePool(VertxInternals.transport(vertx), ContextInternals.eventLoop(context));
        this.choice = new InstanceChoice(app, pool, ContextInternals.eventLoop(context));
        this.server = vertx.createNetServer(new NetServerOptions()
                .setHost(app.host)
                .setPort(app.port)
                .setTcpNoDelay(true)
                .setReuseAddress(true));
        server.connectHandler(this::accept);
    }

    private void accept(NetSocket socket) {
        ChannelHandlerContext vertxHandler = SocketInternals.handlerContext(socket);
        RelayedConnection relayed = new RelayedConnection(pool, choice);
        vertxHandler.pipeline().addBefore(vertxHandler.name(), CODEC, new HttpServerCodec());
        vertxHandler.pipeline().addBefore(vertxHandler.name(), RelayedConnection.NAME, relayed);
        socket.shutdownHandler(v -> relayed.leave()); // Vert.x's server shutting down (leave), on this loop
    }

    @Override
    public Future<Integer> listen(int port, String host) {
        return server.listen(port, host).map(NetServer::actualPort);
    }

    @Override
    public Future<Void> close() {
        return server.close().eventually(pool::close);
    }

    @Override
    public void cutOff(Upstream upstream) {
        pool.closeAll(upstream);
    }

    @Override
    public void resendWaiting(Upstream upstream) {
        pool.closeWaiting(upstream);
    }

    @Override
    public Future<Void> leave(long graceMs) {
        return server.shutdown(graceMs, TimeUnit.MILLISECONDS);
    }
}
