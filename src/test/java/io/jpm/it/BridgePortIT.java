package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A stable bridge port. jpm.json's bridge.port is the port at every start (a client
 * configured once finds the daemon after a restart); a port that is taken costs one line in
 * daemon.log and in jpm ping, and the daemon listens on a free one, named in daemon.json.
 */
@ExtendWith(JpmExtension.class)
@WithoutTuning
class BridgePortIT {
    /** No JPM_BRIDGE_PORT: jpm.json decides (Jpm sets 0 for every other IT). */
    private static final Map<String, String> JPM_JSON_DECIDES = Map.of("JPM_BRIDGE_PORT", "");

    private static JsonObject daemonJson(Jpm jpm) throws IOException {
        return new JsonObject(Files.readString(jpm.home.resolve("daemon.json")));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void theConfiguredPortIsTheSameAfterARestart(Jpm jpm) throws IOException {
        jpm.cli("kill");
        int port = freePort();
        jpm.settings(new JsonObject().put("bridge", new JsonObject().put("port", port)));
        Jpm.Result first = jpm.cli(JPM_JSON_DECIDES, "ping");
        assertEquals(0, first.exit(), first.toString());
        assertEquals(port, daemonJson(jpm).getInteger("bridgePort"));
        jpm.ok("kill");
        Jpm.Result again = jpm.cli(JPM_JSON_DECIDES, "ping");
        assertEquals(0, again.exit(), again.toString());
        assertEquals(port, daemonJson(jpm).getInteger("bridgePort"), "a new port after a restart");
        assertTrue(!again.err().contains("was taken"), again.toString());
    }

    @Test
    void aTakenPortIsSaidInOneLineAndAFreeOneTaken(Jpm jpm) throws IOException {
        // a daemon of this class's earlier test may run: the port is read at a daemon's start
        jpm.cli("kill");
        try (ServerSocket holder = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int taken = holder.getLocalPort();
            Jpm.Result ping = jpm.cli(Map.of("JPM_BRIDGE_PORT", Integer.toString(taken)), "ping");
            assertEquals(0, ping.exit(), ping.toString());
            JsonObject info = daemonJson(jpm);
            int port = info.getInteger("bridgePort");
            assertNotEquals(taken, port);
            assertEquals(taken, info.getInteger("bridgePortTaken"), info.encode());
            assertTrue(
                    ping.err()
                            .contains("the bridge's port " + taken
                                    + " was taken when the daemon started: it listens on " + port),
                    ping.toString());
            String log = Files.readString(jpm.home.resolve("daemon.log"));
            assertEquals(
                    1,
                    log.lines()
                            .filter(l -> l.contains("bridge: port " + taken + " on 127.0.0.1 is taken"))
                            .count(),
                    log);
            // and the daemon answers there
            try (RawBridge bridge = new RawBridge(jpm.home)) {
                JsonObject pong =
                        bridge.request("jpm.query.ping", new JsonObject(), RawBridge.token(jpm.home, "token"));
                assertEquals("message", pong.getString("type"), pong.encode());
            }
        }
    }
}
