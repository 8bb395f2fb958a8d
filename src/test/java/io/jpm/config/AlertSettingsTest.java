package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class AlertSettingsTest {
    private static String refused(String section) {
        return assertThrows(JpmException.class, () -> AlertSettings.parse("jpm.json", new JsonObject(section)))
                .getMessage();
    }

    @Test
    void aFullSectionReads() {
        AlertSettings s = AlertSettings.parse(
                "jpm.json",
                new JsonObject(
                        "{\"window\":\"5m\",\"webhooks\":{\"ops\":{\"url\":\"https://hooks.example/s/KEY\","
                                + "\"format\":\"slack\"}},\"rules\":[{\"when\":\"cpu\",\"over\":90,\"for\":\"1m\",\"apps\":\"api\"}]}"));
        assertEquals(300_000, s.windowMs());
        assertEquals("cpu", s.rules().get(0).name());
        assertEquals(60_000, s.rules().get(0).forMs());
        assertEquals(java.util.List.of("ops"), s.rules().get(0).to());
        assertEquals("https://hooks.example/…", s.webhooks().get("ops").shown());
    }

    @Test
    void badValuesAreRefusedInOneLineNamingTheRuleAndOption() {
        assertEquals(
                "jpm.json: alerts: rule 'x': option 'when' must be restarts, errored, memory, cpu, unhealthy or"
                        + " exception, got restart",
                refused("{\"rules\":[{\"name\":\"x\",\"when\":\"restart\"}]}"));
        assertEquals(
                "jpm.json: alerts: rule 'errored': option 'for' does not apply to when 'errored'",
                refused("{\"rules\":[{\"when\":\"errored\",\"for\":\"1m\"}]}"));
        assertEquals(
                "jpm.json: alerts: rule 'memory': option 'over' must be a size like 300M or 1G, got lots",
                refused("{\"rules\":[{\"when\":\"memory\",\"over\":\"lots\"}]}"));
        assertEquals(
                "jpm.json: alerts: rule 'errored': option 'to' names no webhook 'ops'; the webhooks are none",
                refused("{\"rules\":[{\"when\":\"errored\",\"to\":\"ops\"}]}"));
        assertEquals(
                "jpm.json: alerts: option 'rule' is not a known option (did you mean 'rules'?)",
                refused("{\"rule\":[]}"));
    }

    @Test
    void aUrlThatIsNoHttpIsRefusedWithoutRepeatingIt() {
        String line = refused("{\"webhooks\":{\"f\":{\"url\":\"file:///SECRET\"}}}");
        assertEquals(
                "jpm.json: alerts: webhook 'f': option 'url' must be an http:// or https:// URL with a host", line);
        assertFalse(refused("{\"webhooks\":\"https://h/SECRET\"}").contains("SECRET"));
    }
}
