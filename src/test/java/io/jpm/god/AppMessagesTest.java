package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** Which of a Node app's IPC lines are the app's own messages (pm2's process:msg), and their event. */
class AppMessagesTest {

    @Test
    void aProcessMsgPacketIsPublishedAsTheAppSentIt() {
        JsonObject event = AppMessages.event("api", 3, 812, "{\"type\":\"process:msg\",\"data\":{\"n\":1}}", "box");
        assertEquals("api", event.getString("app"));
        assertEquals(3, event.getInteger("pm_id"));
        assertEquals(812, event.getInteger("pid"));
        assertEquals("box", event.getString("host"));
        assertEquals(
                new JsonObject().put("type", "process:msg").put("data", new JsonObject().put("n", 1)),
                event.getJsonObject("message"));
    }

    @Test
    void anyJsonValueIsAMessage() {
        assertEquals("hi", AppMessages.event("api", 0, 1, "\"hi\"", "box").getString("message"));
        assertEquals(
                5,
                AppMessages.event("api", 0, 1, "{\"cmd\":5}", "box")
                        .getJsonObject("message")
                        .getInteger("cmd"));
    }

    @Test
    void jpmsOwnLinesStayInTheDaemon() {
        assertNull(AppMessages.event("api", 0, 1, "\"ready\"", "box"));
        assertNull(AppMessages.event("api", 0, 1, "{\"cmd\":\"NODE_JPM_LISTEN\",\"id\":1,\"port\":3000}", "box"));
        assertNull(AppMessages.event("api", 0, 1, "not json", "box"));
    }
}
