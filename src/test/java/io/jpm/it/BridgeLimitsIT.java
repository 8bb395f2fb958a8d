package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a bridge connection may cost before it shows a token. A frame announced
 * above 64 KiB is refused at its length (nothing of it buffered) and the connection closed; a
 * connection that shows no valid token within bridge.auth_timeout_ms is closed with an err frame;
 * once authenticated, the idle timeout closes a silent connection but never one registered for events.
 */
@ExtendWith(JpmExtension.class)
@WithoutTuning
class BridgeLimitsIT {
    private static final int AUTH_TIMEOUT_MS = 1000;
    private static final int IDLE_TIMEOUT_MS = 1000;

    @BeforeEach
    void shortTimeouts(Jpm jpm) throws IOException {
        if (!Files.exists(jpm.home.resolve("daemon.json"))) {
            jpm.settings(new JsonObject()
                    .put(
                            "bridge",
                            new JsonObject()
                                    .put("auth_timeout_ms", AUTH_TIMEOUT_MS)
                                    .put("idle_timeout_ms", IDLE_TIMEOUT_MS)));
        }
        jpm.ok("ls");
    }

    @Test
    void aFrameAnnouncedAbove64KiBWithoutATokenIsRefusedAtItsLength(Jpm jpm) throws IOException {
        try (RawBridge bridge = new RawBridge(jpm.home)) {
            bridge.writeLength(4 * 1024 * 1024);
            JsonObject err = bridge.read(5000);
            assertNotNull(err, "the daemon waited for the 4 MiB frame instead of refusing its length");
            assertEquals("err", err.getString("type"), err.encode());
            assertTrue(err.getString("message").contains("before a valid token"), err.encode());
            assertTrue(bridge.endsWithin(5000), "the connection stays open");
        }
        jpm.ok("ls");
    }

    @Test
    void aConnectionWithoutAValidTokenIsClosedAfterTheAuthTimeout(Jpm jpm) throws IOException {
        try (RawBridge bridge = new RawBridge(jpm.home)) {
            bridge.write(new JsonObject().put("type", "ping"));
            assertEquals("pong", bridge.read(5000).getString("type"), "a ping is answered before a token");
            JsonObject refused = bridge.request("jpm.query.list", new JsonObject(), "not-the-token");
            assertTrue(refused.getString("message").contains("wrong token"), refused.encode());
            JsonObject closing = bridge.read(AUTH_TIMEOUT_MS + 10_000);
            assertNotNull(closing, "the unauthenticated connection was never closed");
            assertTrue(closing.getString("message").contains("no valid token"), closing.encode());
            assertTrue(bridge.endsWithin(5000), "the connection stays open after its err frame");
        }
    }

    @Test
    void aConnectionAuthenticatedByAPingTakesLargeFramesAndClosesWhenIdle(Jpm jpm) throws IOException {
        String token = RawBridge.token(jpm.home, "token");
        try (RawBridge bridge = new RawBridge(jpm.home)) {
            // a ping with the token authenticates the connection (what the CLI does before a large first frame)
            bridge.write(new JsonObject().put("type", "ping").put("headers", new JsonObject().put("token", token)));
            assertEquals("pong", bridge.read(5000).getString("type"));
            // a request keeps its connection until its own timeout has run out: a short one here
            bridge.write(RawBridge.send(
                            "jpm.query.ping", new JsonObject().put("pad", "x".repeat(200_000)), null, "big.reply")
                    .put("headers", new JsonObject().put("token", token).put("timeout", 500)));
            JsonObject reply = bridge.read(10_000);
            assertNotNull(reply, "no reply to a frame above 64 KiB on an authenticated connection");
            assertEquals("big.reply", reply.getString("address"), reply.encode());
            JsonObject closing = bridge.read(IDLE_TIMEOUT_MS + 10_000);
            assertNotNull(closing, "the idle connection was never closed");
            assertTrue(closing.getString("message").contains("idle"), closing.encode());
            assertTrue(bridge.endsWithin(5000));
        }
    }

    @Test
    void aConnectionRegisteredForEventsIsNotIdle(Jpm jpm) throws IOException {
        String token = RawBridge.token(jpm.home, "token");
        try (RawBridge bridge = new RawBridge(jpm.home)) {
            bridge.write(new JsonObject()
                    .put("type", "register")
                    .put("address", "jpm.events.process")
                    .put("headers", new JsonObject().put("token", token)));
            assertFalse(bridge.endsWithin(IDLE_TIMEOUT_MS * 4), "a subscriber was cut by the idle timeout");
            jpm.ok("start", Jpm.fixture("tree.sh").toString(), "--name", "seen");
            JsonObject event = bridge.read(10_000);
            assertNotNull(event, "the subscriber got no event");
            jpm.ok("delete", "seen");
        }
    }
}
