package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class SatanSettingsTest {
    @Test
    void defaultsWhenAbsent() {
        assertEquals(new SatanSettings(1000, 30_000, 5000, 2000, 500), SatanSettings.from(null));
        assertEquals(SatanSettings.DEFAULTS, SatanSettings.parse("jpm.json", new JsonObject()));
    }

    @Test
    void durationsAsTextOrMilliseconds() {
        SatanSettings s = SatanSettings.parse(
                "jpm.json",
                new JsonObject()
                        .put("sample_interval", "2s")
                        .put("idle_sample_interval", "1m")
                        .put("ping_interval", 10000)
                        .put("ping_timeout", "1s")
                        .put("stall_warning", "250ms"));
        assertEquals(new SatanSettings(2000, 60_000, 10000, 1000, 250), s);
    }

    @Test
    void badOptionsAreRefusedByName() {
        JpmException e = assertThrows(
                JpmException.class,
                () -> SatanSettings.parse("/h/jpm.json", new JsonObject().put("sample_intervall", "2s")));
        assertTrue(
                e.getMessage()
                        .startsWith(
                                "/h/jpm.json: satan: option 'sample_intervall' is not a known option (did you mean 'sample_interval'?)"),
                e.getMessage());
        e = assertThrows(
                JpmException.class,
                () -> SatanSettings.parse("/h/jpm.json", new JsonObject().put("sample_interval", "often")));
        assertTrue(
                e.getMessage().contains("option 'sample_interval' must be a duration of at least 100 ms"),
                e.getMessage());
        e = assertThrows(
                JpmException.class, () -> SatanSettings.parse("/h/jpm.json", new JsonObject().put("ping_interval", 5)));
        assertTrue(e.getMessage().contains("option 'ping_interval'"), e.getMessage());
    }

    @Test
    void aFileWithABadSatanSectionIsRefusedWhole() {
        JpmException e = assertThrows(
                JpmException.class,
                () -> DaemonSettings.parse("/h/jpm.json", "{\"satan\":{\"ping_timeout\":\"never\"}}"));
        assertTrue(e.getMessage().contains("satan: option 'ping_timeout'"), e.getMessage());
        assertEquals(
                new JsonObject().put("sample_interval", "2s"),
                DaemonSettings.parse("/h/jpm.json", "{\"satan\":{\"sample_interval\":\"2s\"}}")
                        .getJsonObject("satan"));
    }
}
