package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Deadline;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The exact frames two stock Vert.x TCP bridge clients send, replayed byte for byte
 * (only the token and their random reply addresses filled in): vert-x3's Python client
 * (vertx-eventbus-bridge-clients, python/vertx/eventbus.py: json.dumps with its ", " and ": ", no
 * headers on register, none on a send that names none) and its Node client (nodejs/lib/
 * tcp-vertx-eventbus.js: JSON.stringify, {@code "headers":{}} on every frame, the reply address
 * last). Recorded from the clients themselves, run by hand against a daemon; their code is not here.
 * Each lists, restarts, and receives the restart's process events and the app's log lines.
 */
@ExtendWith(JpmExtension.class)
class StockClientFramesIT {
    static final String PYTHON_PING = "{\"type\": \"ping\"}";
    static final String PYTHON_LIST = "{\"type\": \"send\", \"address\": \"jpm.query.list\", \"replyAddress\":"
            + " \"4fef1c4a-e80b-11f1-9d3a-02fc00000001\", \"headers\": {\"token\": \"TOKEN\"}, \"body\": {}}";
    static final String PYTHON_REGISTER_PROCESS = "{\"type\": \"register\", \"address\": \"jpm.events.process\"}";
    static final String PYTHON_REGISTER_LOG = "{\"type\": \"register\", \"address\": \"jpm.events.log\"}";
    static final String PYTHON_RESTART = "{\"type\": \"send\", \"address\": \"jpm.cmd.restart\", \"replyAddress\":"
            + " \"4ffe7744-e80b-11f1-9d3a-02fc00000001\", \"body\": {\"targets\": [\"tick\"]}}";

    static final String NODE_PING = "{\"type\":\"ping\"}";
    static final String NODE_LIST = "{\"type\":\"send\",\"address\":\"jpm.query.list\",\"headers\":{\"token\":"
            + "\"TOKEN\"},\"body\":{},\"replyAddress\":\"a5fe2d46-c056-403c-ad60-3c0c0bf83735\"}";
    static final String NODE_REGISTER_PROCESS =
            "{\"type\":\"register\",\"address\":\"jpm.events.process\",\"headers\":{}}";
    static final String NODE_REGISTER_LOG = "{\"type\":\"register\",\"address\":\"jpm.events.log\",\"headers\":{}}";
    static final String NODE_RESTART = "{\"type\":\"send\",\"address\":\"jpm.cmd.restart\",\"headers\":{},"
            + "\"body\":{\"targets\":[\"tick\"]},\"replyAddress\":\"6b83ac8c-2585-4f2b-99af-664b7b2bf0dd\"}";

    @Test
    void thePythonClientsFramesListRestartAndFollow(Jpm jpm) throws IOException {
        replay(
                jpm,
                List.of(PYTHON_PING, PYTHON_LIST, PYTHON_REGISTER_PROCESS, PYTHON_REGISTER_LOG, PYTHON_RESTART),
                "4fef1c4a-e80b-11f1-9d3a-02fc00000001",
                "4ffe7744-e80b-11f1-9d3a-02fc00000001");
    }

    @Test
    void theNodeClientsFramesListRestartAndFollow(Jpm jpm) throws IOException {
        replay(
                jpm,
                List.of(NODE_PING, NODE_LIST, NODE_REGISTER_PROCESS, NODE_REGISTER_LOG, NODE_RESTART),
                "a5fe2d46-c056-403c-ad60-3c0c0bf83735",
                "6b83ac8c-2585-4f2b-99af-664b7b2bf0dd");
    }

    private static void replay(Jpm jpm, List<String> frames, String listReply, String restartReply) throws IOException {
        jpm.ok("start", Jpm.fixture("ticker.sh").toString(), "--name", "tick");
        String token = RawBridge.token(jpm.home, "token");
        try (RawBridge bridge = new RawBridge(jpm.home)) {
            for (String frame : frames) {
                bridge.writeRaw(frame.replace("TOKEN", token).getBytes(StandardCharsets.UTF_8));
            }
            List<String> seen = new ArrayList<>();
            JsonObject list = null;
            JsonObject restarted = null;
            boolean pong = false;
            boolean event = false;
            boolean line = false;
            Deadline deadline = Deadline.in(Duration.ofSeconds(20));
            while (!(pong && list != null && restarted != null && event && line) && !deadline.passed()) {
                JsonObject frame = bridge.read(deadline.remainingMillis());
                assertNotNull(frame, "so far: " + seen);
                assertTrue(!"err".equals(frame.getString("type")), frame.encode());
                String address = frame.getString("address", "");
                seen.add(frame.getString("type") + " " + address);
                pong |= "pong".equals(frame.getString("type"));
                list = address.equals(listReply) ? frame : list;
                restarted = address.equals(restartReply) ? frame : restarted;
                event |= address.equals("jpm.events.process")
                        && "tick".equals(frame.getJsonObject("body").getString("app"));
                line |= address.equals("jpm.events.log");
            }
            assertTrue(pong && event && line, "pong " + pong + ", process event " + event + ", log line " + line);
            assertNotNull(list, "no reply to the list: " + seen);
            assertEquals(
                    "tick",
                    list.getJsonObject("body")
                            .getJsonArray("data")
                            .getJsonObject(0)
                            .getString("name"));
            assertNotNull(restarted, "no reply to the restart: " + seen);
            assertTrue(restarted.getJsonObject("body").getBoolean("ok"), restarted.encode());
        }
        jpm.ok("delete", "tick");
    }
}
