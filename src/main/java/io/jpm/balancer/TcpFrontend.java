package io.jpm.balancer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * TCP mode: each client connection is paired with a connection to one ready instance and the bytes
 * are piped both ways with back-pressure ({@code pipeTo} pauses the reader while the writer's queue
 * is full). The client is paused until its upstream is connected, so a connection that fails is
 * retried on another instance before any byte went anywhere.
 */
final class TcpFrontend implements Frontend {
    private static final Logger LOG = Logger.getLogger("jpm.balancer");
    private final BalancedApp app;
    private final NetServer server;
    private final NetClient client;

    TcpFrontend(Vertx vertx, BalancedApp app, NetClient client) {
        this.app = app;
        this.client = client;
        this.server = vertx.createNetServer(new NetServerOptions()
                .setHost(app.host)
                .setPort(app.port)
                .setTcpNoDelay(true)
                .setReuseAddress(true));
        server.connectHandler(this::accept);
    }

    @Override
    public Future<Integer> listen() {
        return server.listen().map(NetServer::actualPort);
    }

    @Override
    public Future<Void> close() {
        return server.close();
    }

    /** A connection carries bytes jpm cannot frame: it is left to end by itself within the grace. */
    @Override
    public Future<Void> leave(long graceMs) {
        return server.shutdown(graceMs, TimeUnit.MILLISECONDS);
    }

    private void accept(NetSocket socket) {
        // nothing is read from the client until its upstream is connected (so a failed connect can be
        // retried elsewhere): the channel stops reading; Vert.x's own pause is for the pipeTo fallback
        ChannelRelay.hold(socket);
        socket.pause();
        Connection connection = new Connection(socket);
        socket.closeHandler(v -> connection.clientClosed());
        connect(connection, new HashSet<>());
    }

    private void connect(Connection connection, Set<Upstream> tried) {
        app.acquire(tried, app.sticky == null ? null : clientAddress(connection.client))
                .onComplete(picked -> {
                    if (picked.failed()) {
                        // no instance ready within listen_timeout: a closed connection is TCP's clear refusal
                        connection.client.close();
                        return;
                    }
                    Upstream upstream = picked.result();
                    if (connection.closed) {
                        upstream.release();
                        return;
                    }
                    client.connect(upstream.port, "127.0.0.1").onComplete(ar -> {
                        if (ar.failed()) {
                            tried.add(upstream);
                            app.connectFailed(upstream, ar.cause());
                            connect(connection, tried);
                        } else {
                            if (app.proxyProtocol) {
                                // before any byte of the client's: the instance reads who the client is first
                                ar.result().write(Buffer.buffer(proxyHeader(connection.client)));
                            }
                            connection.bind(upstream, ar.result());
                        }
                    });
                });
    }

    private static String clientAddress(NetSocket client) {
        SocketAddress from = client.remoteAddress();
        return from == null ? null : from.hostAddress();
    }

    private static byte[] proxyHeader(NetSocket client) {
        SocketAddress from = client.remoteAddress();
        SocketAddress to = client.localAddress();
        return ProxyHeader.v2(
                from == null ? null : from.hostAddress(),
                from == null ? 0 : from.port(),
                to == null ? null : to.hostAddress(),
                to == null ? 0 : to.port());
    }

    /** One client connection and, once connected, its upstream connection. */
    private static final class Connection {
        final NetSocket client;
        NetSocket server;
        Upstream upstream;
        boolean closed;

        Connection(NetSocket client) {
            this.client = client;
        }

        void bind(Upstream upstream, NetSocket server) {
            this.upstream = upstream;
            this.server = server;
            if (closed) {
                server.close();
                upstream.release();
                return;
            }
            // no close of the client here: the pipe below ends it once the bytes still queued for it
            // (the instance's last answer) are written; closing at once would cut that answer
            server.closeHandler(v -> done());
            boolean linked = ChannelRelay.link(client, server, upstream.bytesIn::add, upstream.bytesOut::add);
            if (linked) {
                ChannelRelay.start(client);
                return;
            }
            LOG.fine(() -> "balancer: client and instance connections on two event loops, piping through Vert.x");
            server.pipeTo(new CountingWriteStream(client, upstream.bytesOut::add));
            client.pipeTo(new CountingWriteStream(server, upstream.bytesIn::add));
            ChannelRelay.start(client);
        }

        void clientClosed() {
            closed = true;
            if (server != null) {
                server.close();
                done();
            }
        }

        private boolean released;

        private void done() {
            if (!released && upstream != null) {
                released = true;
                upstream.release();
            }
        }
    }
}
