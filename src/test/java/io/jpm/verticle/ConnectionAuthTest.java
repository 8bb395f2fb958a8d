package io.jpm.verticle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class ConnectionAuthTest {
    private static final String ADMIN = "admin-token";
    private static final String READ_ONLY = "read-only-token";
    private final TokenGuard tokens = new TokenGuard(ADMIN, READ_ONLY);

    private static JsonObject frame(String type, String address, String token) {
        JsonObject frame = new JsonObject().put("type", type);
        if (address != null) {
            frame.put("address", address).put("body", new JsonObject());
        }
        if (token != null) {
            frame.put("headers", new JsonObject().put("token", token));
        }
        return frame;
    }

    private static String why(ConnectionAuth.Outcome outcome) {
        return assertInstanceOf(ConnectionAuth.Refuse.class, outcome).why();
    }

    @Test
    void beforeAnyTokenOnlyAPingIsAnswered() {
        ConnectionAuth auth = new ConnectionAuth(tokens);
        assertInstanceOf(ConnectionAuth.Pong.class, auth.admit(frame("ping", null, null)));
        assertEquals("no token in headers.token", why(auth.admit(frame("register", "jpm.events.process", null))));
        assertEquals("wrong token", why(auth.admit(frame("send", "jpm.query.list", "guess"))));
        assertFalse(auth.authenticated());
    }

    @Test
    void aValidTokenOnceLetsLaterFramesWithoutHeadersActAtItsLevel() {
        ConnectionAuth auth = new ConnectionAuth(tokens);
        assertEquals(new ConnectionAuth.Pass(false), auth.admit(frame("send", "jpm.query.list", ADMIN)));
        assertEquals(ConnectionAuth.Level.ADMIN, auth.level());
        JsonObject register = frame("register", "jpm.events.process", null);
        assertEquals(new ConnectionAuth.Pass(true), auth.admit(register));
        // the bridge's own per-frame check then sees the connection's token
        assertEquals(ADMIN, register.getJsonObject("headers").getString("token"));
        JsonObject restart =
                frame("send", "jpm.cmd.restart", null).put("headers", new JsonObject().put("timeout", 5000));
        assertEquals(new ConnectionAuth.Pass(true), auth.admit(restart));
        assertEquals(5000, restart.getJsonObject("headers").getInteger("timeout"), "other headers are kept");
    }

    @Test
    void aReadOnlyConnectionMayQueryAndRegisterButNeverSendACommand() {
        ConnectionAuth auth = new ConnectionAuth(tokens);
        assertInstanceOf(ConnectionAuth.Pass.class, auth.admit(frame("register", "jpm.events.process", READ_ONLY)));
        assertEquals(ConnectionAuth.Level.READ_ONLY, auth.level());
        JsonObject list = frame("send", "jpm.query.list", null);
        assertInstanceOf(ConnectionAuth.Pass.class, auth.admit(list));
        assertEquals(READ_ONLY, list.getJsonObject("headers").getString("token"), "its queries are marked read-only");
        assertEquals(
                "the read-only token may not send jpm.cmd.restart",
                why(auth.admit(frame("send", "jpm.cmd.restart", null))));
    }

    @Test
    void aFrameWithATokenIsStillCheckedOnItsOwn() {
        ConnectionAuth auth = new ConnectionAuth(tokens);
        auth.admit(frame("send", "jpm.query.list", ADMIN));
        assertEquals("wrong token", why(auth.admit(frame("send", "jpm.cmd.restart", "guess"))));
        // a read-only token on an admin connection acts read-only for that frame
        assertEquals(
                "the read-only token may not send jpm.cmd.stop",
                why(auth.admit(frame("send", "jpm.cmd.stop", READ_ONLY))));
        assertEquals(ConnectionAuth.Level.ADMIN, auth.level(), "the connection stays admin");
        assertInstanceOf(ConnectionAuth.Pass.class, auth.admit(frame("send", "jpm.cmd.stop", null)));
    }

    @Test
    void theAdminTokenRaisesAReadOnlyConnection() {
        ConnectionAuth auth = new ConnectionAuth(tokens);
        auth.admit(frame("send", "jpm.query.list", READ_ONLY));
        auth.admit(frame("send", "jpm.cmd.restart", ADMIN));
        assertEquals(ConnectionAuth.Level.ADMIN, auth.level());
    }

    @Test
    void aPingIsPassedUntouchedOnceAuthenticated() {
        ConnectionAuth auth = new ConnectionAuth(tokens);
        auth.admit(frame("ping", null, ADMIN));
        JsonObject ping = frame("ping", null, null);
        assertEquals(new ConnectionAuth.Pass(false), auth.admit(ping));
        assertNull(ping.getJsonObject("headers"));
    }

    @Test
    void theOwnersSocketIsAdminWithoutAToken() {
        ConnectionAuth auth = ConnectionAuth.owner(tokens, ADMIN);
        JsonObject restart = frame("send", "jpm.cmd.restart", null);
        assertEquals(new ConnectionAuth.Pass(true), auth.admit(restart));
        assertEquals(ADMIN, restart.getJsonObject("headers").getString("token"));
        assertEquals("wrong token", why(auth.admit(frame("send", "jpm.cmd.restart", "guess"))));
    }
}
