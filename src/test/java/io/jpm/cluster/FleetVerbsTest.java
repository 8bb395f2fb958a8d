package io.jpm.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.DumpEntry;
import io.jpm.protocol.FleetDefinition;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code jpm scale} of a fleet app: the per-host count it gives, checked before anything is written;
 * the scaled definition keeps every other option.
 */
class FleetVerbsTest {
    private static FleetDefinition api(Object instances) {
        Map<String, Object> source = new HashMap<>(Map.of("script", "/srv/api.py", "hosts", List.of("web-1")));
        if (instances != null) {
            source.put("instances", instances);
        }
        DumpEntry app = DumpEntry.builder()
                .name("api")
                .source(source)
                .env(Map.of("A", "1"))
                .build();
        return new FleetDefinition("api", List.of("web-1"), FleetDefinition.ONLINE, false, 5, "web-1", app);
    }

    private static int scale(FleetDefinition app, String count) {
        return FleetVerbs.scaledTo(app, new JsonObject().put("name", "api").put("count", count));
    }

    @Test
    void aCountIsPerHostAndARelativeOneCountsFromTheDefinition() {
        assertEquals(3, scale(api(null), "3"));
        assertEquals(2, scale(api(null), "+1"), "absent is one a host");
        assertEquals(3, scale(api(4), "-1"));
        assertEquals(5, scale(api("4"), "+1"));
        FleetDefinition scaled = api(2).scaled(7, 9);
        assertEquals(7, scaled.instances());
        assertEquals(9, scaled.at());
        assertEquals("/srv/api.py", scaled.app().source().get("script"));
        assertEquals(Map.of("A", "1"), scaled.app().env());
        assertEquals(List.of("web-1"), scaled.hosts());
    }

    @Test
    void noneTooManyOrRelativeToEachHostsCpusIsRefusedInOneLine() {
        JpmException none = assertThrows(JpmException.class, () -> scale(api(2), "0"));
        assertEquals(JpmError.INVALID_ARGUMENT, none.error());
        assertEquals(
                "scale api 0 gives 0 instances per host: it must be 1 to 1024 (use stop or delete to have"
                        + " none): nothing changed",
                none.getMessage());
        assertThrows(JpmException.class, () -> scale(api(2), "-2"));
        assertThrows(JpmException.class, () -> scale(api(1000), "+25"));
        JpmException max = assertThrows(JpmException.class, () -> scale(api("max"), "+1"));
        assertTrue(max.getMessage().contains("give a number"), max.getMessage());
        assertEquals(4, scale(api("max"), "4"), "an absolute count needs no count to start from");
        assertThrows(JpmException.class, () -> scale(api(2), "lots"));
    }
}
