package io.jpm.heldport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.launcher.ListeningSockets;
import io.jpm.process.ProcessLauncher.DescriptorKeeper;
import io.jpm.testkit.Ports;
import io.jpm.testkit.SocketLines;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.transport.Transport;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The held ports with the Vert.x and Netty internals they lean on (internals.HeldSocketTransport says
 * which): a Vert.x server listens on the socket jpm opened, with the connections that queued before it,
 * and a server on any other address binds its own; the keeper holds and releases them. A Vert.x or Netty
 * upgrade that changes how a NetServer binds fails here and in HeldSocketTransportTest (the server
 * would bind again: "Address already in use", or never accept).
 */
class HeldPortsTest {
    private final List<String> keeperLines = new ArrayList<>();
    private final DescriptorKeeper keeper = new DescriptorKeeper() {
        @Override
        public void hold(String key, int fd) {
            keeperLines.add("hold " + key);
        }

        @Override
        public void release(String key) {
            keeperLines.add("release " + key);
        }
    };
    private HeldPorts ports;
    private Vertx vertx;

    @BeforeEach
    void epollVertx() {
        assertTrue(Transport.EPOLL.available(), "epoll: " + Transport.EPOLL.unavailabilityCause());
        ports = new HeldPorts(keeper, Map.of());
        vertx = VertxBootstrap.create()
                .transport(ports.listenThrough(Transport.EPOLL.implementation()))
                .init()
                .vertx();
    }

    @AfterEach
    void close() throws Exception {
        vertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void aNetServerListensOnTheHeldSocketAndServesWhatQueuedBeforeIt() throws Exception {
        int port = Ports.free();
        ports.claim("app", "127.0.0.1", port);
        assertEquals(List.of("hold public:127.0.0.1|" + port), keeperLines);
        try (Socket early = new Socket("127.0.0.1", port)) { // queued: no server yet
            early.getOutputStream().write("early\n".getBytes(StandardCharsets.US_ASCII));
            NetServer server = vertx.createNetServer(
                            new NetServerOptions().setHost("127.0.0.1").setPort(port))
                    .connectHandler(socket -> socket.handler(socket::write));
            assertEquals(port, server.listen().await(10, TimeUnit.SECONDS).actualPort());
            assertEquals("early\n", SocketLines.readLine(early));

            // the server closed, the socket still queues (jpm and its keeper hold it) until released
            server.close().await(10, TimeUnit.SECONDS);
            try (Socket waiting = new Socket("127.0.0.1", port)) {
                assertTrue(waiting.isConnected());
            }
        }
        ports.release("app", "127.0.0.1", port);
        assertEquals(List.of("hold public:127.0.0.1|" + port, "release public:127.0.0.1|" + port), keeperLines);
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }

    @Test
    void anHttpServerListensOnTheHeldSocketToo() throws Exception {
        int port = Ports.free();
        ports.claim("app", "127.0.0.1", port);
        try (Socket early = new Socket("127.0.0.1", port)) {
            early.getOutputStream()
                    .write("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
            HttpServer server = vertx.createHttpServer(
                            new HttpServerOptions().setHost("127.0.0.1").setPort(port))
                    .requestHandler(request -> request.response().end("ok"));
            assertEquals(port, server.listen().await(10, TimeUnit.SECONDS).actualPort());
            assertEquals("HTTP/1.1 200 OK", SocketLines.readLine(early).trim());
        } finally {
            ports.release("app", "127.0.0.1", port);
        }
    }

    @Test
    void aServerOnAnAddressNotHeldBindsItsOwn() throws Exception {
        NetServer server = vertx.createNetServer(
                        new NetServerOptions().setHost("127.0.0.1").setPort(0))
                .connectHandler(socket -> socket.handler(socket::write));
        int port = server.listen().await(10, TimeUnit.SECONDS).actualPort();
        try (Socket client = new Socket("127.0.0.1", port)) {
            client.getOutputStream().write("own\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("own\n", SocketLines.readLine(client));
        }
        assertEquals(List.of(), keeperLines);
    }

    @Test
    void socketsThePreviousDaemonLeftAreTakenOrClosed() throws Exception {
        int taken = Ports.free();
        int left = Ports.free();
        int takenFd = ListeningSockets.open("127.0.0.1", taken, 16);
        int leftFd = ListeningSockets.open("127.0.0.1", left, 16);
        HeldPorts next =
                new HeldPorts(keeper, Map.of("public:127.0.0.1|" + taken, takenFd, "public:127.0.0.1|" + left, leftFd));
        next.use();
        next.claim("app", "127.0.0.1", taken); // no new bind: the port is in use by that very socket
        assertEquals(List.of(), keeperLines, "the keeper holds it already");
        next.closeUnclaimed();
        assertEquals(List.of("release public:127.0.0.1|" + left), keeperLines);
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", left).close());
        new Socket("127.0.0.1", taken).close();
        next.release("app", "127.0.0.1", taken);
    }
}
