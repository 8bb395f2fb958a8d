package io.jpm.verticle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.Access;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class DoorRulesTest {
    @Test
    void commandsAndQueriesInEventsOut() {
        assertNull(DoorRules.unreachable("send", "jpm.cmd.restart"));
        assertNull(DoorRules.unreachable("publish", "jpm.query.list"));
        assertNull(DoorRules.unreachable("send", "jpm.host.web-2.cmd.stop"));
        assertNull(DoorRules.unreachable("register", "jpm.events.process"));
        assertNull(DoorRules.unreachable("unregister", "jpm.host.web-2.events.log"));
    }

    @Test
    void anythingElseIsNamed() {
        assertEquals(
                "jpm.internal.god.apply is not an address a client may send to (jpm.cmd.*, jpm.query.*)",
                DoorRules.unreachable("send", "jpm.internal.god.apply"));
        assertEquals(
                "jpm.cmd.stop is not an address a client may register for (jpm.events.*)",
                DoorRules.unreachable("register", "jpm.cmd.stop"));
        assertEquals(
                "jpm.events.process is not an address a client may send to (jpm.cmd.*, jpm.query.*)",
                DoorRules.unreachable("send", "jpm.events.process"));
        assertEquals(
                "jpm.events.* is not an address a client may register for (jpm.events.*)",
                DoorRules.unreachable("register", "jpm.events.*"),
                "no wildcard");
    }

    @Test
    void bothBridgesGetTheSameLists() {
        assertEquals(3, DoorRules.inbound().size());
        assertEquals(2, DoorRules.outbound().size());
        assertEquals("jpm\\.cmd\\.[A-Za-z]+", DoorRules.inbound().get(0).getAddressRegex());
    }

    @Test
    void aPassedFrameLosesItsTokenAndAReadOnlyQueryIsMarked() {
        JsonObject query = new JsonObject()
                .put("type", "send")
                .put("address", "jpm.query.list")
                .put("headers", new JsonObject().put("token", "t").put("timeout", 5))
                .put("body", new JsonObject().put(Access.FIELD, "admin"));
        DoorRules.passOn(query, true);
        assertFalse(query.getJsonObject("headers").containsKey("token"));
        assertEquals(5, query.getJsonObject("headers").getInteger("timeout"));
        assertEquals(Access.READ_ONLY, query.getJsonObject("body").getString(Access.FIELD), "whatever the client sent");

        JsonObject admin = new JsonObject()
                .put("type", "send")
                .put("address", "jpm.query.list")
                .put("headers", new JsonObject().put("token", "t"))
                .put("body", new JsonObject());
        DoorRules.passOn(admin, false);
        assertFalse(admin.getJsonObject("body").containsKey(Access.FIELD));

        JsonObject register = new JsonObject()
                .put("type", "register")
                .put("address", "jpm.events.process")
                .put("headers", new JsonObject().put("token", "t"));
        DoorRules.passOn(register, true);
        assertTrue(register.getJsonObject("headers").isEmpty());
    }
}
