package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Each door holds at most max_connections, connections that never show a
 * token give way to new ones, one that has shown a token keeps its place, and the operator's CLI is
 * served while the bridge's port is full (through its Unix socket in JPM_HOME). The HTTP door answers
 * a request without a valid token from its headers: 401 before any of its body is read.
 */
@ExtendWith(JpmExtension.class)
class ConnectionCapIT {
    private static final int BRIDGE_CAP = 8;
    private static final int WEB_CAP = 4;
    private static final int HOSTILE = 30;
    private static int webPort;

    @BeforeEach
    void smallCaps(Jpm jpm) throws IOException {
        if (webPort == 0) {
            webPort = Ports.free();
            jpm.settings(new JsonObject()
                    .put(
                            "bridge",
                            new JsonObject().put("max_connections", BRIDGE_CAP).put("auth_timeout_ms", 600_000))
                    .put("web", new JsonObject().put("max_connections", WEB_CAP)));
            jpm.ok("web", "--port", Integer.toString(webPort));
        }
    }

    @Test
    void theCliIsServedWhileTheBridgePortIsFullOfConnectionsWithoutAToken(Jpm jpm) throws IOException {
        String token = RawBridge.token(jpm.home, "token");
        List<RawBridge> hostile = new ArrayList<>();
        try (RawBridge operator = new RawBridge(jpm.home)) {
            assertNotNull(operator.request("jpm.query.ping", new JsonObject(), token));
            for (int i = 0; i < HOSTILE; i++) {
                hostile.add(new RawBridge(jpm.home));
            }
            int closed = 0;
            for (RawBridge connection : hostile) {
                closed += connection.endsWithin(200) ? 1 : 0;
            }
            assertTrue(
                    closed >= HOSTILE - BRIDGE_CAP,
                    "only " + closed + " of " + HOSTILE + " connections without a token were"
                            + " closed: the bridge holds more than max_connections " + BRIDGE_CAP);
            Jpm.Result ls = jpm.ok("ls");
            assertEquals(0, ls.exit(), ls.toString());
            JsonObject reply = operator.request("jpm.query.ping", new JsonObject(), token);
            assertNotNull(reply, "the authenticated connection was evicted");
            assertEquals("message", reply.getString("type"), reply.encode());
        } finally {
            for (RawBridge connection : hostile) {
                connection.close();
            }
        }
    }

    @Test
    void aPostWithoutAValidTokenIsAnswered401BeforeItsBodyIsRead(Jpm jpm) throws IOException {
        for (String authorization : new String[] {null, "Bearer wrong"}) {
            try (Socket socket = new Socket("127.0.0.1", webPort)) {
                socket.setSoTimeout(10_000);
                OutputStream out = socket.getOutputStream();
                out.write(("POST /api/processes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
                                + "Content-Length: 4194304\r\n\r\n{")
                        .getBytes(StandardCharsets.US_ASCII));
                out.flush();
                String answer;
                try {
                    answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (SocketTimeoutException e) {
                    throw new AssertionError(
                            "no answer (and the connection open) until the 4 MiB body comes, for " + authorization);
                }
                assertTrue(answer.startsWith("HTTP/1.1 401"), answer);
                assertTrue(answer.contains("access denied"), answer);
            }
        }
        assertEquals(0, jpm.jlist().size());
    }

    @Test
    void theHttpDoorHoldsAtMostItsCapOfConnectionsWithoutAToken(Jpm jpm) throws IOException {
        List<Socket> hostile = new ArrayList<>();
        try {
            for (int i = 0; i < HOSTILE; i++) {
                hostile.add(new Socket("127.0.0.1", webPort));
            }
            // each new one past the cap makes the door close the oldest: polled for a while (a
            // loaded machine), far below the idle timeout (180 s), which would close them all
            List<Socket> open = new ArrayList<>(hostile);
            long deadline = System.currentTimeMillis() + 5_000;
            while (HOSTILE - open.size() < HOSTILE - WEB_CAP && System.currentTimeMillis() < deadline) {
                for (Socket socket : List.copyOf(open)) {
                    if (closedWithin(socket, 20)) {
                        open.remove(socket);
                    }
                }
            }
            int closed = HOSTILE - open.size();
            assertTrue(
                    closed >= HOSTILE - WEB_CAP,
                    "only " + closed + " of " + HOSTILE + " idle connections were closed:"
                            + " the HTTP door holds more than max_connections " + WEB_CAP);
            WebClient web = new WebClient(jpm, webPort);
            assertEquals(200, web.get("/api/processes", web.readOnly).status());
        } finally {
            for (Socket socket : hostile) {
                socket.close();
            }
        }
    }

    private static boolean closedWithin(Socket socket, int timeoutMs) throws IOException {
        socket.setSoTimeout(timeoutMs);
        InputStream in = socket.getInputStream();
        try {
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }
}
