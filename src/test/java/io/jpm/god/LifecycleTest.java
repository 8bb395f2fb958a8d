package io.jpm.god;

import static io.jpm.god.GodOnBus.restartTime;
import static io.jpm.god.GodOnBus.status;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.StartRequest;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The verbs' bookkeeping in God: restart_time counts only restarts of running instances and reset
 * zeroes it; start of a known name restarts it, the same script again is refused unless forced;
 * targets by regex and several at once. With a fake launcher; LifecycleIT keeps real processes.
 */
class LifecycleTest extends GodFixture {

    @Test
    void restartCountsOnlyRunningInstances() {
        god.start(god.app("r"));
        int first = god.awaitStatus("r", "online").getInteger("pid");
        god.stop("r");
        god.restart("r");
        JsonObject again = god.awaitStatus("r", "online");
        assertEquals(0, restartTime(again), "restart of a stopped app is not counted");
        int second = again.getInteger("pid");
        assertNotEquals(first, second);

        god.restart(Integer.toString(again.getInteger("pm_id")));
        JsonObject third = god.awaitStatus("r", "online");
        assertEquals(1, restartTime(third));
        assertNotEquals(second, (int) third.getInteger("pid"));
        assertTrue(!launcher.alive().contains(second), "the restarted run is gone");

        god.reset("r");
        assertEquals(0, restartTime(god.named("r").get(0)));
    }

    @Test
    void startingAnExistingNameRestartsItAndTheSameScriptIsRefusedUnlessForced() {
        JsonObject dup = god.app("dup");
        god.start(dup);
        int pid = god.awaitStatus("dup", "online").getInteger("pid");

        god.start(new JsonObject().put("script", "dup"));
        int restarted = god.awaitStatus("dup", "online").getInteger("pid");
        assertNotEquals(pid, restarted, "start <name> restarts it");

        ReplyException refused = assertThrows(ReplyException.class, () -> god.start(dup));
        assertTrue(
                refused.getMessage().contains("Script already launched, add -f option to force re-execution"),
                refused.getMessage());
        assertEquals(1, god.named("dup").size());

        god.startRequest(StartRequest.builder()
                .apps(List.of(dup.getMap()))
                .cwd(home.toString())
                .force(true)
                .build());
        assertEquals(2, god.awaitStatus("dup", 2, "online").size());
    }

    @Test
    void targetsByRegexAndSeveralAtOnce() {
        god.start(god.app("api-1"));
        god.start(god.app("api-2"));
        god.start(god.app("worker"));
        god.awaitStatus("worker", "online");

        god.stop("/^api-/");
        assertEquals("stopped", status(god.named("api-1").get(0)));
        assertEquals("stopped", status(god.named("api-2").get(0)));
        assertEquals("online", status(god.named("worker").get(0)));

        god.restart("api-1", "worker");
        god.awaitStatus("api-1", "online");
        assertEquals("stopped", status(god.named("api-2").get(0)));
        assertEquals(1, restartTime(god.named("worker").get(0)));
    }
}
