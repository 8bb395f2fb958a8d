package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.process.Signal;
import io.jpm.protocol.Addresses;
import io.jpm.testkit.FakeLauncher.Spawn;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code jpm scale}: pm2's lowest free index for new instances, the oldest instances removed first,
 * instance_var and increment_var per instance, a balanced instance out of rotation before it is
 * stopped. With a fake launcher; ClusterIT keeps scaling a balanced app under real requests.
 */
class ScaleTest extends GodFixture {

    private static int index(JsonObject process) {
        return process.getJsonObject("pm2_env").getInteger("INSTANCE_ID");
    }

    @Test
    void scaleAForkAppGivesTheLowestFreeIndexAndHonoursInstanceAndIncrementVar() {
        god.start(
                god.app("vars")
                        .put("instances", 3)
                        .put("instance_var", "INSTANCE_ID")
                        .put("increment_var", "METRICS_PORT"),
                Map.of("METRICS_PORT", "9100"));
        List<JsonObject> three = god.awaitStatus("vars", 3, "online");
        for (JsonObject p : three) {
            // pm2's jlist: the index under instance_var's name, increment_var's number per instance
            int index = index(p);
            assertEquals(9100 + index, p.getJsonObject("pm2_env").getInteger("METRICS_PORT"));
            Spawn spawn = launcher.spawns().stream()
                    .filter(s -> s.pid() == p.getInteger("pid"))
                    .findFirst()
                    .orElseThrow();
            assertEquals(Integer.toString(index), spawn.env().get("INSTANCE_ID"));
            assertEquals(Integer.toString(9100 + index), spawn.env().get("METRICS_PORT"));
        }
        int oldest = three.get(0).getInteger("pid");

        god.scale("vars", "-2");
        JsonObject left = god.awaitStatus("vars", "online");
        assertEquals(2, index(left), "the newest is kept, as in pm2");
        assertEquals(
                List.of(Signal.SIGINT), launcher.signalsTo(oldest), "a removed instance is stopped as a stop does");
        assertFalse(launcher.alive().contains(oldest));

        god.scale("vars", "+1");
        List<JsonObject> two = god.awaitStatus("vars", 2, "online");
        JsonObject added = two.stream()
                .filter(p -> index(p) == 0)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no instance 0: " + two));
        Spawn spawn = launcher.spawns().get(launcher.spawns().size() - 1);
        assertEquals((int) added.getInteger("pid"), spawn.pid());
        assertEquals("0", spawn.env().get("INSTANCE_ID"));
        assertEquals("9100", spawn.env().get("METRICS_PORT"));

        // what save dumps keeps the scaled count: resurrect brings back two, not the three first asked for
        JsonArray dumped = (JsonArray) god.request(Addresses.INTERNAL_GOD_APPS, new JsonObject());
        assertEquals(1, dumped.size(), dumped.encode());
        assertEquals(2, dumped.getJsonObject(0).getJsonObject("source").getInteger("instances"), dumped.encode());
    }

    @Test
    void scaleToACountStartsTheMissingIndexes() {
        god.start(god.app("n").put("instances", 2));
        god.awaitStatus("n", 2, "online");
        god.scale("n", "4");
        List<JsonObject> four = god.awaitStatus("n", 4, "online");
        assertEquals(
                List.of(0, 1, 2, 3),
                four.stream()
                        .map(p -> p.getJsonObject("pm2_env").getInteger("NODE_APP_INSTANCE"))
                        .sorted()
                        .toList());
    }

    @Test
    void scaleBelowOneOrOfAnUnknownAppIsRefused() {
        god.start(god.app("n"));
        god.awaitStatus("n", "online");
        ReplyException none = assertThrows(ReplyException.class, () -> god.scale("n", "-1"));
        assertTrue(none.getMessage().contains("it must be 1 to 1024"), none.getMessage());
        ReplyException unknown = assertThrows(ReplyException.class, () -> god.scale("nobody", "2"));
        assertTrue(unknown.getMessage().contains("nobody not found"), unknown.getMessage());
        assertEquals(1, god.named("n").size());
    }

    @Test
    void aBalancedInstanceLeavesTheRotationBeforeItIsStopped() {
        god.start(god.app("web").put("instances", 2).put("port", 18080));
        List<JsonObject> both = god.awaitStatus("web", 2, "online");
        JsonObject oldest = both.get(0);
        god.scale("web", "-1");
        god.awaitStatus("web", "online");
        // drained for up to kill_timeout (pm2's default 1600 ms), and before the stop signal
        String leave = "leave " + oldest.getInteger("pm_id") + " pid " + oldest.getInteger("pid") + " drain 1600";
        assertTrue(
                god.balancer.contains("join " + oldest.getInteger("pm_id") + " pid " + oldest.getInteger("pid")),
                god.balancer.toString());
        assertTrue(god.balancer.contains(leave), god.balancer.toString());
        assertEquals(List.of(Signal.SIGINT), launcher.signalsTo(oldest.getInteger("pid")));
    }
}
