package io.jpm.cli.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.cli.CliException;
import io.jpm.protocol.JpmError;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A daemon's door that is full is a running daemon, not a missing one: the CLI tries it again rather
 * than starting a second daemon; one that nothing listens on is missing at once.
 */
class TcpConnectTest {
    /** A door past its cap closes the newcomers that it has not read a token from yet: the third try gets in. */
    @Test
    void connectionsClosedBeforeTheTokenWasReadAreTriedAgainUntilOneIsAnswered() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger accepted = new AtomicInteger();
            Thread door = new Thread(() -> evictTwiceThenAnswer(server, accepted));
            door.start();
            int port = server.getLocalPort();
            try (BridgeClient client = TcpConnect.connect(
                    "127.0.0.1:" + port,
                    (connect, answer) -> BridgeClient.connect("127.0.0.1", port, "t", connect, answer))) {
                assertEquals(
                        "pong", client.request("jpm.query.ping", Map.of(), 5000).asText());
            }
            door.join(5000);
            assertEquals(3, accepted.get());
        }
    }

    /**
     * A token holder whose ping comes after the door evicted it (the CLI waited for a core between its
     * connect and its ping) reads the eviction's err as the answer to that ping: it tries a new
     * connection, and does not take the err for its token refused and send its requests over the
     * closing connection (ChurnIT under a CI run's load: "lost the daemon: Broken pipe").
     */
    @Test
    void anEvictionThatAnswersThePingIsTriedAgainNotTakenForTheTokenRefused() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            AtomicInteger accepted = new AtomicInteger();
            Thread door = new Thread(() -> evictOnceThenAnswer(server, accepted));
            door.start();
            int port = server.getLocalPort();
            try (BridgeClient client = TcpConnect.connect(
                    "127.0.0.1:" + port,
                    (connect, answer) -> BridgeClient.connect("127.0.0.1", port, "t", connect, answer))) {
                assertEquals(
                        "pong", client.request("jpm.query.ping", Map.of(), 5000).asText());
            }
            door.join(5000);
            assertEquals(2, accepted.get());
        }
    }

    @Test
    void aDoorNothingListensOnIsMissingAtOnce() throws Exception {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }
        AtomicInteger tries = new AtomicInteger();
        assertThrows(
                ConnectException.class,
                () -> TcpConnect.connect("127.0.0.1:" + port, (connect, answer) -> {
                    tries.incrementAndGet();
                    return BridgeClient.connect("127.0.0.1", port, "t", connect, answer);
                }));
        assertEquals(1, tries.get());
    }

    /** The token refused: the ping's answer is an err, and the first request fails with it, as before any wait. */
    @Test
    void aRefusedTokenFailsTheFirstRequestWithTheDaemonsReason() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread door = new Thread(() -> {
                try (Socket socket = server.accept()) {
                    readFrame(new DataInputStream(socket.getInputStream()));
                    write(
                            new DataOutputStream(socket.getOutputStream()),
                            Map.of(
                                    "type", "err",
                                    "failureCode", JpmError.FORBIDDEN.code(),
                                    "message", "access denied: wrong token"));
                    readFrame(new DataInputStream(socket.getInputStream()));
                } catch (IOException e) {
                    // the client closed
                }
            });
            door.start();
            int port = server.getLocalPort();
            try (BridgeClient client = TcpConnect.connect(
                    "127.0.0.1:" + port,
                    (connect, answer) -> BridgeClient.connect("127.0.0.1", port, "t", connect, answer))) {
                CliException refused =
                        assertThrows(CliException.class, () -> client.request("jpm.query.list", Map.of(), 5000));
                assertEquals(JpmError.FORBIDDEN, refused.error);
                assertTrue(refused.getMessage().contains("wrong token"), refused.getMessage());
            }
            door.join(5000);
        }
    }

    private static void evictTwiceThenAnswer(ServerSocket server, AtomicInteger accepted) {
        try {
            for (int i = 0; i < 2; i++) {
                server.accept().close();
                accepted.incrementAndGet();
            }
            answer(server, accepted);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The first connection gets the door's eviction notice (BridgeVerticle's) as it closes; the next is answered. */
    private static void evictOnceThenAnswer(ServerSocket server, AtomicInteger accepted) {
        try {
            try (Socket evicted = server.accept()) {
                accepted.incrementAndGet();
                write(
                        new DataOutputStream(evicted.getOutputStream()),
                        Map.of(
                                "type",
                                "err",
                                "failureCode",
                                JpmError.UNAVAILABLE.code(),
                                "failureType",
                                "RECIPIENT_FAILURE",
                                "message",
                                "closed: 128 connections are open (jpm.json bridge.max_connections)"
                                        + " and this one has shown no valid token"));
                // the ping came after the eviction: read, never answered
                readFrame(new DataInputStream(evicted.getInputStream()));
            }
            answer(server, accepted);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Accepts one connection, answers its ping with a pong and its request with "pong". */
    private static void answer(ServerSocket server, AtomicInteger accepted) throws IOException {
        try (Socket socket = server.accept()) {
            accepted.incrementAndGet();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            assertEquals("ping", readFrame(in).path("type").asText());
            write(out, Map.of("type", "pong"));
            Json.Value request = readFrame(in);
            write(
                    out,
                    Map.of(
                            "type", "message",
                            "address", request.path("replyAddress").asText(),
                            "body", Map.of("ok", true, "data", "pong")));
        }
    }

    private static Json.Value readFrame(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return Json.parse(bytes);
    }

    private static void write(DataOutputStream out, Map<String, Object> frame) throws IOException {
        byte[] bytes = Json.write(frame);
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
    }
}
