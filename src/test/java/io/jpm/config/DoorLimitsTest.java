package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class DoorLimitsTest {
    @Test
    void defaultsAndEveryOption() {
        JsonObject settings = DaemonSettings.parse("jpm.json", "{}");
        assertEquals(DoorLimits.DEFAULTS, DoorLimits.from(settings.getJsonObject("bridge")));
        JsonObject all = DaemonSettings.parse(
                "jpm.json",
                "{\"bridge\":{\"max_connections\":9,\"idle_timeout_ms\":2000,\"auth_timeout_ms\":300},"
                        + "\"web\":{\"max_connections\":4,\"idle_timeout_ms\":30000}}");
        assertEquals(new DoorLimits(9, 2000, 300), DoorLimits.from(all.getJsonObject("bridge")));
        assertEquals(
                new DoorLimits(4, 30000, 5000),
                WebSettings.from(all.getJsonObject("web")).limits());
    }

    @Test
    void badValuesAreRefusedNamingTheSectionAndOption() {
        assertEquals(
                "jpm.json: bridge: option 'max_connections' must be a whole number from 1, got 0",
                assertThrows(
                                JpmException.class,
                                () -> DaemonSettings.parse("jpm.json", "{\"bridge\":{\"max_connections\":0}}"))
                        .getMessage());
        assertEquals(
                "jpm.json: bridge: option 'auth_timeout' is not a known option (did you mean 'auth_timeout_ms'?)",
                assertThrows(
                                JpmException.class,
                                () -> DaemonSettings.parse("jpm.json", "{\"bridge\":{\"auth_timeout\":1}}"))
                        .getMessage());
        assertEquals(
                "jpm.json: web: option 'idle_timeout_ms' must be a whole number from 20000 (milliseconds): the event streams'"
                        + " keepalive comes every 15 s, got 5000",
                assertThrows(
                                JpmException.class,
                                () -> DaemonSettings.parse("jpm.json", "{\"web\":{\"idle_timeout_ms\":5000}}"))
                        .getMessage());
        assertEquals(
                "jpm.json: web: option 'auth_timeout_ms' is not a known option",
                assertThrows(
                                JpmException.class,
                                () -> WebSettings.parse("jpm.json", new JsonObject().put("auth_timeout_ms", 1)))
                        .getMessage());
    }
}
