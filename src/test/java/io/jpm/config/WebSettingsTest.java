package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class WebSettingsTest {
    @Test
    void offOnLoopbackOnPm2WebsPortByDefault() {
        assertEquals(new WebSettings(false, "127.0.0.1", 9615, false), WebSettings.parse("jpm.json", new JsonObject()));
        assertEquals("http://127.0.0.1:9615", WebSettings.DEFAULTS.url());
        assertEquals("http://[::1]:80", new WebSettings(true, "::1", 80, false).url());
    }

    @Test
    void readsEveryOption() {
        JsonObject section = new JsonObject()
                .put("enabled", true)
                .put("host", "0.0.0.0")
                .put("port", 9700)
                .put("open_metrics", true);
        assertEquals(new WebSettings(true, "0.0.0.0", 9700, true), WebSettings.parse("jpm.json", section));
    }

    @Test
    void refusesUnknownOptionsAndWrongTypesNamingThem() {
        String typo = assertThrows(
                        JpmException.class, () -> WebSettings.parse("jpm.json", new JsonObject().put("prot", 1)))
                .getMessage();
        assertTrue(typo.contains("web: option 'prot' is not a known option (did you mean 'port'?)"), typo);
        String port = assertThrows(
                        JpmException.class, () -> WebSettings.parse("jpm.json", new JsonObject().put("port", 70000)))
                .getMessage();
        assertTrue(port.contains("'port' must be a port number from 0 to 65535, got 70000"), port);
        String enabled = assertThrows(
                        JpmException.class, () -> DaemonSettings.parse("jpm.json", "{\"web\":{\"enabled\":\"yes\"}}"))
                .getMessage();
        assertTrue(enabled.contains("jpm.json: web: option 'enabled' must be true or false, got yes"), enabled);
    }
}
