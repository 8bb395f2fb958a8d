package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.JpmException;
import io.jpm.testkit.LoggedLines;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class SatanSettingsTest {
    @Test
    void defaultsWhenAbsent() {
        assertEquals(new SatanSettings(1000, 60_000, 60_000), SatanSettings.from(null));
        assertEquals(SatanSettings.DEFAULTS, SatanSettings.parse("jpm.json", new JsonObject()));
    }

    @Test
    void durationsAsTextOrMilliseconds() {
        SatanSettings s = SatanSettings.parse(
                "jpm.json",
                new JsonObject()
                        .put("sample_interval", "2s")
                        .put("idle_sample_interval", "1m")
                        .put("hang_timeout", 90_000));
        assertEquals(new SatanSettings(2000, 60_000, 90_000), s);
        assertEquals(
                3000,
                SatanSettings.parse("jpm.json", new JsonObject().put("hang_timeout", "3s"))
                        .hangTimeoutMs());
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
                JpmException.class,
                () -> SatanSettings.parse("/h/jpm.json", new JsonObject().put("hang_timeout", 500)));
        assertTrue(
                e.getMessage().contains("option 'hang_timeout' must be a duration of at least 1000 ms"),
                e.getMessage());
    }

    /** The verticle pings' settings are gone with the pings: a file that has them still reads, with a warning. */
    @Test
    void thePingSettingsOfBeforeAreAWarningNotARefusal() {
        List<String> warnings;
        try (LoggedLines log = LoggedLines.of("jpm.config")) {
            JsonObject settings = DaemonSettings.parse(
                    "/h/jpm.json",
                    "{\"satan\":{\"ping_interval\":\"5s\",\"ping_timeout\":2000,\"stall_warning\":\"never\","
                            + "\"sample_interval\":\"2s\"}}");
            assertEquals(
                    2000, SatanSettings.from(settings.getJsonObject("satan")).sampleIntervalMs());
            assertEquals(
                    60_000, SatanSettings.from(settings.getJsonObject("satan")).hangTimeoutMs());
            warnings = log.all();
        }
        assertEquals(3, warnings.size(), warnings.toString());
        assertTrue(
                warnings.stream()
                        .anyMatch(w -> w.startsWith("/h/jpm.json: satan: option 'ping_interval' is no longer used")
                                && w.endsWith(": ignored")),
                warnings.toString());
    }

    @Test
    void aFileWithABadSatanSectionIsRefusedWhole() {
        JpmException e = assertThrows(
                JpmException.class,
                () -> DaemonSettings.parse("/h/jpm.json", "{\"satan\":{\"hang_timeout\":\"never\"}}"));
        assertTrue(e.getMessage().contains("satan: option 'hang_timeout'"), e.getMessage());
        assertEquals(
                new JsonObject().put("sample_interval", "2s"),
                DaemonSettings.parse("/h/jpm.json", "{\"satan\":{\"sample_interval\":\"2s\"}}")
                        .getJsonObject("satan"));
    }
}
