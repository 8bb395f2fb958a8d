package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Deadline;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Once a frame on a TCP connection carried a valid token, later frames without
 * headers act at that token's level (what stock Vert.x clients need to register); a frame with a
 * token is still checked on its own; every refusal is one err frame; a body that is not an object
 * is refused as a bad request naming the field.
 */
@ExtendWith(JpmExtension.class)
class ConnectionAuthIT {

    /** The next frame that is not an event: what answered the last request. */
    private static JsonObject answer(RawBridge bridge) throws IOException {
        Deadline deadline = Deadline.in(Duration.ofSeconds(10));
        while (!deadline.passed()) {
            JsonObject frame = bridge.read(deadline.remainingMillis());
            if (frame == null) {
                break;
            }
            if (!"message".equals(frame.getString("type"))
                    || !frame.getString("address", "").startsWith("jpm.events.")) {
                return frame;
            }
        }
        throw new AssertionError("no answer within 10 s");
    }

    /**
     * Asserts a refusal came as exactly one err frame: a ping sent after it is answered by the very
     * next frame (a second err frame would come between).
     */
    private static JsonObject oneRefusal(RawBridge bridge) throws IOException {
        JsonObject err = answer(bridge);
        assertEquals("err", err.getString("type"), err.encode());
        bridge.write(new JsonObject().put("type", "ping"));
        JsonObject next = answer(bridge);
        assertEquals("pong", next.getString("type"), "a second frame after the refusal: " + next.encode());
        return err;
    }

    private static JsonObject noHeaders(String type, String address) {
        return new JsonObject().put("type", type).put("address", address);
    }

    @Test
    void anAdminConnectionRegistersAndRestartsWithoutHeadersOnceItShowedTheToken(Jpm jpm) throws IOException {
        jpm.ok("start", Jpm.fixture("ticker.sh").toString(), "--name", "tick");
        String token = RawBridge.token(jpm.home, "token");
        try (RawBridge bridge = new RawBridge(jpm.home)) {
            JsonObject list = bridge.request("jpm.query.list", new JsonObject(), token);
            assertEquals("message", list.getString("type"), list.encode());
            bridge.write(noHeaders("register", "jpm.events.process"));
            bridge.write(noHeaders("register", "jpm.events.log"));
            bridge.write(noHeaders("send", "jpm.cmd.restart")
                    .put("replyAddress", "r.restart")
                    .put("body", new JsonObject().put("targets", new JsonArray().add("tick"))));
            boolean replied = false;
            boolean event = false;
            boolean line = false;
            Deadline deadline = Deadline.in(Duration.ofSeconds(20));
            while (!(replied && event && line) && !deadline.passed()) {
                JsonObject frame = bridge.read(deadline.remainingMillis());
                assertNotNull(frame, "replied " + replied + ", process event " + event + ", log line " + line);
                assertTrue(!"err".equals(frame.getString("type")), frame.encode());
                String address = frame.getString("address", "");
                replied |= address.equals("r.restart");
                event |= address.equals("jpm.events.process");
                line |= address.equals("jpm.events.log");
            }
            assertTrue(
                    replied && event && line, "replied " + replied + ", process event " + event + ", log line " + line);
        }
    }

    @Test
    void aReadOnlyConnectionListsAndFollowsButIsRefusedACommandInOneFrame(Jpm jpm) throws IOException {
        jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "idle");
        String readOnly = RawBridge.token(jpm.home, "token.readonly");
        try (RawBridge bridge = new RawBridge(jpm.home)) {
            bridge.write(noHeaders("register", "jpm.events.process")
                    .put("headers", new JsonObject().put("token", readOnly)));
            bridge.write(noHeaders("send", "jpm.query.list")
                    .put("replyAddress", "r.list")
                    .put("body", new JsonObject()));
            JsonObject list = answer(bridge);
            assertEquals("r.list", list.getString("address"), list.encode());
            bridge.write(noHeaders("send", "jpm.cmd.stop")
                    .put("replyAddress", "r.stop")
                    .put("body", new JsonObject().put("targets", new JsonArray().add("idle"))));
            JsonObject err = oneRefusal(bridge);
            assertTrue(err.getString("message").contains("read-only token may not send jpm.cmd.stop"), err.encode());
        }
        assertEquals("online", Jpm.status(jpm.named("idle").get(0)), "the read-only connection stopped the app");
    }

    @Test
    void aWrongTokenOnAnAuthenticatedConnectionIsRefusedInOneFrame(Jpm jpm) throws IOException {
        jpm.ok("ls");
        String token = RawBridge.token(jpm.home, "token");
        try (RawBridge bridge = new RawBridge(jpm.home)) {
            bridge.request("jpm.query.ping", new JsonObject(), token);
            bridge.write(RawBridge.send("jpm.query.list", new JsonObject(), "guess", "r.guess"));
            JsonObject err = oneRefusal(bridge);
            assertEquals("access denied: wrong token", err.getString("message"), err.encode());
            assertEquals("r.guess", err.getString("address"), err.encode());
        }
    }

    @Test
    void aBodyThatIsNotAnObjectIsABadRequestNamingTheField(Jpm jpm) throws IOException {
        jpm.ok("ls");
        String token = RawBridge.token(jpm.home, "token");
        try (RawBridge bridge = new RawBridge(jpm.home)) {
            bridge.write(RawBridge.send("jpm.query.list", null, token, "r.body").put("body", "api"));
            JsonObject err = oneRefusal(bridge);
            assertEquals(10, err.getInteger("failureCode"), err.encode());
            assertTrue(err.getString("message").contains("body must be a JSON object"), err.encode());
            bridge.write(RawBridge.send("jpm.cmd.restart", new JsonObject().put("targets", "api"), token, "r.targets"));
            JsonObject targets = answer(bridge);
            assertEquals("err", targets.getString("type"), targets.encode());
            assertEquals(10, targets.getInteger("failureCode"), targets.encode());
            assertTrue(targets.getString("message").contains("'targets' must be an array"), targets.encode());
        }
    }
}
