package io.jpm.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.launcher.ListeningSockets;
import io.jpm.testkit.Ports;
import io.jpm.testkit.SocketLines;
import io.netty.channel.Channel;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.spi.ExecutorServiceFactory;
import io.vertx.core.transport.Transport;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HeldSocketTransport against the Vert.x and Netty on the class path: a NetServer listens on a socket
 * it was handed, with what queued before it, and binds its own elsewhere. An upgrade that changes how a
 * NetServer binds fails here ("Address already in use", or a server that never accepts).
 */
class HeldSocketTransportTest {
    private final List<Channel> listening = new CopyOnWriteArrayList<>();
    private int heldPort;
    private int heldFd = -1;
    private Vertx vertx;

    @BeforeEach
    void epollVertx() throws IOException {
        assertTrue(Transport.EPOLL.available(), "epoll: " + Transport.EPOLL.unavailabilityCause());
        heldPort = Ports.free();
        heldFd = ListeningSockets.open("127.0.0.1", heldPort, 16);
        HeldSocketTransport.Sockets sockets = new HeldSocketTransport.Sockets() {
            @Override
            public int duplicate(String host, int port) {
                try {
                    return port == heldPort ? ListeningSockets.duplicate(heldFd) : -1;
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }

            @Override
            public void listening(Channel server) {
                listening.add(server);
            }
        };
        vertx = VertxInternals.create(
                new VertxOptions(),
                HeldSocketTransport.over(Transport.EPOLL.implementation(), sockets),
                ExecutorServiceFactory.INSTANCE,
                ThreadInternals.recording(thread -> {}));
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
        ListeningSockets.close(heldFd);
    }

    @Test
    void overListensOnTheHeldSocketWithWhatQueuedBeforeIt() throws Exception {
        try (Socket early = new Socket("127.0.0.1", heldPort)) { // queued: no server yet
            early.getOutputStream().write("early\n".getBytes(StandardCharsets.US_ASCII));
            NetServer server = vertx.createNetServer(
                            new NetServerOptions().setHost("127.0.0.1").setPort(heldPort))
                    .connectHandler(socket -> socket.handler(socket::write));
            assertEquals(heldPort, server.listen().await(10, TimeUnit.SECONDS).actualPort());
            assertEquals("early\n", SocketLines.readLine(early));
            assertEquals(1, listening.size(), "the server was not handed the held socket");
        }
    }

    @Test
    void overBindsItsOwnElsewhere() throws Exception {
        NetServer server = vertx.createNetServer(
                        new NetServerOptions().setHost("127.0.0.1").setPort(0))
                .connectHandler(socket -> socket.handler(socket::write));
        int port = server.listen().await(10, TimeUnit.SECONDS).actualPort();
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.getOutputStream().write("own\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("own\n", SocketLines.readLine(client));
        }
        assertEquals(List.of(), listening);
    }
}
