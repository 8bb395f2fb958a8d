package io.jpm.verticle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class FrameShapeTest {
    private static String problem(String payload) {
        return FrameShape.problemWith(Buffer.buffer(payload));
    }

    @Test
    void goodFramesPass() {
        assertNull(problem("{\"type\":\"send\",\"address\":\"jpm.query.list\",\"body\":{}}"));
        assertNull(problem("{\"type\":\"register\",\"address\":\"jpm.events.process\"}"));
        assertNull(problem("{\"type\":\"ping\"}"));
    }

    @Test
    void notJsonOrNotAnObject() {
        assertEquals("malformed frame: not a JSON object", problem("{\"type\":"));
        assertEquals("malformed frame: not a JSON object", problem("[1,2]"));
        assertEquals("malformed frame: not a JSON object", problem("\u00ff\u00fe garbage"));
    }

    @Test
    void unknownOrMissingType() {
        assertTrue(problem("{\"type\":\"fetch\",\"address\":\"a\"}").contains("got fetch"));
        assertTrue(problem("{\"address\":\"a\"}").contains("got null"));
        assertTrue(problem("{\"type\":5,\"address\":\"a\"}").contains("got 5"));
    }

    @Test
    void aSendNeedsAnAddress() {
        assertEquals("malformed frame: a send frame needs an address", problem("{\"type\":\"send\",\"body\":{}}"));
    }

    @Test
    void headerTypesTheBridgeWouldChokeOn() {
        assertEquals(
                "malformed frame: headers must be an object",
                problem("{\"type\":\"send\",\"address\":\"a\",\"headers\":[]}"));
        assertTrue(problem("{\"type\":\"send\",\"address\":\"a\",\"headers\":{\"timeout\":\"soon\"}}")
                .contains("timeout"));
        assertNull(problem("{\"type\":\"send\",\"address\":\"a\",\"headers\":{\"token\":\"t\",\"timeout\":60000}}"));
    }

    @Test
    void aBodyThatIsNotAnObjectIsNamed() {
        assertEquals(
                "malformed frame: body must be a JSON object, got a string",
                problem("{\"type\":\"send\",\"address\":\"jpm.query.list\",\"body\":\"api\"}"));
        assertEquals(
                "malformed frame: body must be a JSON object, got an array",
                problem("{\"type\":\"publish\",\"address\":\"jpm.cmd.restart\",\"body\":[\"api\"]}"));
        assertNull(
                problem("{\"type\":\"send\",\"address\":\"jpm.query.list\"}"), "no body at all is left to the address");
    }
}
