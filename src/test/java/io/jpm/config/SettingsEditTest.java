package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class SettingsEditTest {
    @Test
    void setCreatesTheSectionAndKeepsTheRest() {
        String text = SettingsEdit.apply(
                "jpm.json", "{\"satan\":{\"hang_timeout\":\"90s\"}}", "persist.auto_dump", SettingsEdit.value("false"));
        JsonObject json = new JsonObject(text);
        assertEquals(false, json.getJsonObject("persist").getBoolean("auto_dump"));
        assertEquals("90s", json.getJsonObject("satan").getString("hang_timeout"));
    }

    @Test
    void unsetRemovesTheKey() {
        String text = SettingsEdit.apply("jpm.json", "{\"persist\":{\"auto_dump\":false}}", "persist.auto_dump", null);
        assertEquals(new JsonObject().put("persist", new JsonObject()), new JsonObject(text));
        assertEquals("{}", SettingsEdit.apply("jpm.json", "{}", "persist.auto_dump", null));
    }

    @Test
    void aValueTheDaemonWouldRefuseChangesNothing() {
        JpmException e = assertThrows(
                JpmException.class,
                () -> SettingsEdit.apply("jpm.json", "", "persist.auto_dump", SettingsEdit.value("maybe")));
        assertTrue(e.getMessage().contains("persist: option 'auto_dump' must be true or false"), e.getMessage());
        e = assertThrows(JpmException.class, () -> SettingsEdit.apply("jpm.json", "", "nosection.x", 1L));
        assertTrue(e.getMessage().contains("'nosection' is not a section"), e.getMessage());
        e = assertThrows(JpmException.class, () -> SettingsEdit.apply("jpm.json", "", "persist", true));
        assertTrue(e.getMessage().contains("name a section and an option"), e.getMessage());
    }

    @Test
    void valuesReadAsJsonWhenTheyCan() {
        assertEquals(true, SettingsEdit.value("true"));
        assertEquals(30, ((Number) SettingsEdit.value("30")).intValue());
        assertEquals("10M", SettingsEdit.value("10M"));
        assertEquals("5s", SettingsEdit.value("\"5s\""));
    }
}
