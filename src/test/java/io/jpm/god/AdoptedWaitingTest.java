package io.jpm.god;

import static io.jpm.god.GodOnBus.restartTime;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.DumpEntry;
import io.jpm.testkit.Eventually;
import io.jpm.testkit.FakeLauncher.Script;
import io.jpm.verticle.Plain;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/**
 * An instance a killed daemon left waiting restart, adopted by the next daemon (the restore's
 * "adopt" entry without a pid, persist.AdoptionPlan): it keeps its pm_id, counts and last exit, waits
 * on, and is started once when its restart is due, restart_time + 1.
 */
class AdoptedWaitingTest extends GodFixture {

    private JsonObject restoreRequest(long restartAt) {
        return restoreRequest(god.app("waiter"), restartAt);
    }

    private JsonObject restoreRequest(JsonObject source, long restartAt) {
        JsonObject entry = Plain.json(DumpEntry.builder()
                .name("waiter")
                .source(Plain.map(source))
                .commandCwd(home.toString())
                .build()
                .toMap());
        entry.put(
                "instances",
                new JsonArray().add(new JsonObject().put("pm_id", 4).put("status", "waiting restart")));
        JsonObject waiting = new JsonObject()
                .put("pm_id", 4)
                .put("restart_time", 6)
                .put("unstable_restarts", 2)
                .put("unstable_in_a_row", 2)
                .put("backoff_ms", 0)
                .put("restart_at", restartAt)
                .put("exit", new JsonObject().put("code", 5).put("signal", 0));
        return new JsonObject()
                .put("apps", new JsonArray().add(entry))
                .put("handover", true)
                .put("adopt", new JsonArray().add(waiting));
    }

    @Test
    void anInstanceLeftWaitingRestartWaitsOnThenStartsOnceWithItsCountPlusOne() {
        launcher.forApp("waiter", Script.runs());
        god.request(Addresses.INTERNAL_GOD_RESTORE, restoreRequest(System.currentTimeMillis() + 300));
        JsonObject waiting = god.named("waiter").get(0);
        assertEquals("waiting restart", GodOnBus.status(waiting));
        assertEquals(4, waiting.getInteger("pm_id"));
        assertEquals(6, restartTime(waiting));
        assertEquals(5, waiting.getJsonObject("pm2_env").getInteger("exit_code"), "its last exit shown");
        assertEquals(0, launcher.spawnsOf("waiter").size(), "not started before its restart is due");

        JsonObject online = god.awaitStatus("waiter", "online");
        assertEquals(4, online.getInteger("pm_id"));
        assertEquals(7, restartTime(online));
        assertEquals(2, online.getJsonObject("pm2_env").getInteger("unstable_restarts"));
        Eventually.until("one spawn", () -> launcher.spawnsOf("waiter").size() == 1);
    }

    @Test
    void aStopDuringTheTakenOverWaitLeavesItStopped() {
        launcher.forApp("waiter", Script.runs());
        god.request(Addresses.INTERNAL_GOD_RESTORE, restoreRequest(System.currentTimeMillis() + 60_000));
        god.stop("waiter");
        JsonObject stopped = god.awaitStatus("waiter", "stopped");
        assertEquals(6, restartTime(stopped));
        assertEquals(0, launcher.spawnsOf("waiter").size());
    }

    @Test
    void anAppWithAutostartOffIsTakenOverAllTheSame() {
        // it was started by a later `start <name>`: the previous daemon ran it, so this one takes it over
        launcher.forApp("waiter", Script.runs());
        // its restart due in 2 s: the look below comes before it also on a loaded machine (200 ms did not)
        god.request(
                Addresses.INTERNAL_GOD_RESTORE,
                restoreRequest(god.app("waiter").put("autostart", false), System.currentTimeMillis() + 2_000));
        assertEquals("waiting restart", GodOnBus.status(god.named("waiter").get(0)));
        assertEquals(7, restartTime(god.awaitStatus("waiter", "online")));
    }
}
