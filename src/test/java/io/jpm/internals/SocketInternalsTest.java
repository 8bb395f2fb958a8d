package io.jpm.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Each method of SocketInternals against the Vert.x on the class path: an upgrade that moves one fails here. */
class SocketInternalsTest {
    private static Vertx vertx;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void handlerContextIsOnBothEndsOfAConnection() throws Exception {
        CompletableFuture<NetSocket> accepted = new CompletableFuture<>();
        NetServer server = vertx.createNetServer().connectHandler(accepted::complete);
        int port = server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
        try {
            NetSocket client =
                    vertx.createNetClient().connect(port, "127.0.0.1").await(10, TimeUnit.SECONDS);
            ChannelHandlerContext clientSide = SocketInternals.handlerContext(client);
            ChannelHandlerContext serverSide = SocketInternals.handlerContext(accepted.get(10, TimeUnit.SECONDS));
            assertNotNull(clientSide, "a client socket has no Netty handler context");
            assertNotNull(serverSide, "a server socket has no Netty handler context");
            assertEquals(port, ((InetSocketAddress) clientSide.channel().remoteAddress()).getPort());
            assertTrue(serverSide.channel().isActive());
        } finally {
            server.close().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void listeningChannelOfANetServer() throws Exception {
        NetServer server = vertx.createNetServer().connectHandler(NetSocket::close);
        assertNull(SocketInternals.listeningChannel(server), "a server not listening has a channel");
        int port = server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
        try {
            assertListensOn(port, SocketInternals.listeningChannel(server));
        } finally {
            server.close().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void listeningChannelOfAnHttpServer() throws Exception {
        HttpServer server =
                vertx.createHttpServer().requestHandler(r -> r.response().end());
        int port = server.listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS).actualPort();
        try {
            assertListensOn(port, SocketInternals.listeningChannel(server));
        } finally {
            server.close().await(10, TimeUnit.SECONDS);
        }
    }

    private static void assertListensOn(int port, Channel channel) {
        assertNotNull(channel, "the listening channel was not found");
        assertTrue(channel.isActive());
        assertEquals(port, ((InetSocketAddress) channel.localAddress()).getPort());
    }
}
