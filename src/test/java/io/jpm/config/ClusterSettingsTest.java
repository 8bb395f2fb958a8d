package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterSettingsTest {
    private static final String GOOD =
            """
      {"cluster":{"name":"prod","node":"web-1","listen":"10.0.0.1:5701","members":["10.0.0.1:5701","10.0.0.2:5701"]}}""";

    @Test
    void aFullSectionParsesWithItsDefaults() {
        JsonObject all = DaemonSettings.parse("jpm.json", GOOD);
        assertTrue(ClusterSettings.configured(all));
        ClusterSettings s = ClusterSettings.parse("jpm.json", all.getJsonObject("cluster"));
        assertEquals(
                new ClusterSettings(
                        "prod",
                        "web-1",
                        "10.0.0.1",
                        5701,
                        5702,
                        5703,
                        "10.0.0.1:5702",
                        List.of("10.0.0.1:5701", "10.0.0.2:5701"),
                        ClusterSettings.DEFAULT_TIMEOUT_MS,
                        null),
                s);
    }

    @Test
    void noSectionIsNoCluster() {
        assertEquals(false, ClusterSettings.configured(DaemonSettings.parse("jpm.json", "{}")));
        assertEquals(false, ClusterSettings.configured(DaemonSettings.parse("jpm.json", "{\"cluster\":{}}")));
    }

    @Test
    void eachBadValueIsOneLineNamingTheOption() {
        assertRefused(
                "{\"name\":\"prod\",\"node\":\"web-1\",\"listen\":\"10.0.0.1:5701\"}",
                "cluster: option 'members' is required");
        assertRefused(
                "{\"name\":\"prod\",\"node\":\"web 1\",\"listen\":\"10.0.0.1:5701\",\"members\":[\"a:1\"]}",
                "option 'node' must be");
        assertRefused(
                "{\"name\":\"prod\",\"node\":\"w\",\"listen\":\"10.0.0.1\",\"members\":[\"a:1\"]}",
                "option 'listen' must be \"host:port\"");
        assertRefused(
                "{\"name\":\"prod\",\"node\":\"w\",\"listen\":\"h:70000\",\"members\":[\"a:1\"]}",
                "option 'listen' must be");
        assertRefused(
                "{\"name\":\"prod\",\"node\":\"w\",\"listen\":\"h:1\",\"members\":[]}",
                "option 'members' must be a non-empty list");
        assertRefused(
                "{\"name\":\"prod\",\"node\":\"w\",\"listen\":\"h:1\",\"members\":[\"x\"]}",
                "option 'members' must be \"host:port\"");
        assertRefused(
                "{\"name\":\"prod\",\"node\":\"w\",\"listen\":\"h:1\",\"members\":[\"h:1\"],\"bus_port\":1}",
                "option 'bus_port' must differ");
        assertRefused(
                "{\"name\":\"prod\",\"node\":\"w\",\"listen\":\"h:1\",\"members\":[\"h:1\"],\"timeout_ms\":0}",
                "option 'timeout_ms' must be");
        assertRefused(
                "{\"name\":\"prod\",\"node\":\"w\",\"listen\":\"h:1\",\"members\":[\"h:1\"],\"bus_public\":\"h\"}",
                "option 'bus_public' must be");
        assertRefused(
                "{\"name\":\"prod\",\"node\":\"w\",\"listen\":\"h:1\",\"members\":[\"h:1\"],\"memebers\":1}",
                "did you mean 'members'");
        assertRefused(
                "{\"name\":\"p\",\"node\":\"w\",\"listen\":\"h:1\",\"members\":[\"h:1\"],\"key\":\"k.pem\",\"cert\":\"c.pem\"}",
                "option 'ca' is required with key and cert");
        assertRefused(
                "{\"name\":\"p\",\"node\":\"w\",\"listen\":\"h:1\",\"members\":[\"h:1\"],\"key\":1,\"cert\":\"c\",\"ca\":\"a\"}",
                "option 'key' must be the path of a PEM file");
    }

    @Test
    void keyCertAndCaGoTogether() {
        ClusterSettings s = ClusterSettings.parse(
                "jpm.json",
                new JsonObject(
                        "{\"name\":\"p\",\"node\":\"w\",\"listen\":\"h:1\",\"members\":[\"h:1\"],\"key\":\"k.pem\",\"cert\":\"c.pem\",\"ca\":\"/etc/ca.pem\"}"));
        assertEquals(new ClusterSettings.KeyFiles("k.pem", "c.pem", "/etc/ca.pem"), s.keys());
    }

    private static void assertRefused(String section, String expected) {
        JpmException e = assertThrows(
                JpmException.class, () -> DaemonSettings.parse("jpm.json", "{\"cluster\":" + section + "}"));
        assertTrue(e.getMessage().startsWith("jpm.json: cluster: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
}
