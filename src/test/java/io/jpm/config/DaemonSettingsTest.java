package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.ConfKeys;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class DaemonSettingsTest {
    private static String fails(String text) {
        return assertThrows(JpmException.class, () -> DaemonSettings.parse("jpm.json", text))
                .getMessage();
    }

    @Test
    void everySectionIsPresentAndAbsentOnesAreEmpty() {
        JsonObject settings = DaemonSettings.parse(
                "jpm.json", "{\"satan\":{\"sample_interval\":100},\"persist\":{\"auto_dump\":false}}");
        assertEquals(100, settings.getJsonObject("satan").getInteger("sample_interval"));
        assertEquals(new JsonObject(), settings.getJsonObject("logs"));
        assertEquals(new JsonObject(), settings.getJsonObject("balancer"));
        assertEquals(false, settings.getJsonObject("persist").getBoolean("auto_dump"));
        assertEquals(DaemonSettings.defaults(), DaemonSettings.parse("jpm.json", " "));
    }

    @Test
    void badSettingsAreRefusedNamingTheFileAndTheOption() {
        assertTrue(fails("{\"persist\":").startsWith("jpm.json: not valid JSON"));
        assertTrue(fails("{\"satn\":{}}").contains("'satn' is not a section (did you mean 'satan'?)"));
        assertTrue(fails("{\"logs\":3}").contains("section 'logs' must be an object"));
        assertTrue(fails("{\"persist\":{\"auto_dump\":\"yes\"}}")
                .contains("persist: option 'auto_dump' must be true or false"));
        assertTrue(fails("{\"persist\":{\"autodump\":true}}").contains("did you mean 'auto_dump'?"));
    }

    @Test
    void theBalancerSectionTakesAPositiveQueueTimeout() {
        assertEquals(
                500,
                DaemonSettings.parse("jpm.json", "{\"balancer\":{\"queue_timeout_ms\":500}}")
                        .getJsonObject("balancer")
                        .getInteger("queue_timeout_ms"));
        assertTrue(fails("{\"balancer\":{\"queue_timeout_ms\":0}}")
                .contains("balancer: option 'queue_timeout_ms' must be a positive"));
        assertTrue(fails("{\"balancer\":{\"queue_timeout_ms\":\"10s\"}}").contains("must be a positive whole number"));
        assertTrue(fails("{\"balancer\":{\"queue\":1}}").contains("balancer: option 'queue' is not a known option"));
    }

    /** The client routes set/get by ConfKeys' list: every option there is one the parsers know, every section too. */
    @Test
    void confKeysListsEveryOptionTheSectionsTake() {
        assertEquals(DaemonSettings.SECTIONS, ConfKeys.SETTINGS.keySet());
        ConfKeys.SETTINGS.forEach((section, options) -> {
            for (String option : options) {
                String text = new JsonObject()
                        .put(section, new JsonObject().put(option, new JsonObject()))
                        .encode();
                try {
                    DaemonSettings.parse("jpm.json", text);
                } catch (JpmException e) {
                    assertTrue(
                            !e.getMessage().contains("not a known option"),
                            section + "." + option + ": " + e.getMessage());
                }
            }
            String unknown = new JsonObject()
                    .put(section, new JsonObject().put("no_such_option", 1))
                    .encode();
            assertTrue(fails(unknown).contains("not a known option"), section);
        });
    }
}
