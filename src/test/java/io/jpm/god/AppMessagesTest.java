package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonObject;
import java.util.List;
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

    @Test
    void codeMetricsReportsStayInTheDaemonAsPm2KeepsThemOffItsBus() {
        for (String type : List.of("axm:monitor", "axm:action", "axm:option:configuration", "axm:option:setPID")) {
            assertNull(AppMessages.event("api", 0, 1, "{\"type\":\"" + type + "\",\"data\":{}}", "box"), type);
        }
        // what pm2 does publish: an action's reply, an exception @pm2/io reports
        for (String type : List.of("axm:reply", "process:exception", "human:event")) {
            assertEquals(
                    type,
                    AppMessages.event("api", 0, 1, "{\"type\":\"" + type + "\",\"data\":{}}", "box")
                            .getJsonObject("message")
                            .getString("type"));
        }
    }
}
