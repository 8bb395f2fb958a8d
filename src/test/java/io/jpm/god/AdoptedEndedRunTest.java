package io.jpm.god;

import static io.jpm.god.GodOnBus.restartTime;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.DumpEntry;
import io.jpm.testkit.Eventually;
import io.jpm.testkit.FakeLauncher.Script;
import io.jpm.verticle.Plain;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A run that ended while no daemon ran, adopted with the exit the keeper reaped (the restore's
 * "adopt" entry with "exit", persist.AdoptionPlan): the exit goes through the restart policy as any
 * exit, with the run's counts and its uptime up to the reap, not up to its adoption.
 */
class AdoptedEndedRunTest extends GodFixture {
    private static final int PID = 4321;

    /** A restore of app {@code source} whose pm_id 2 ran from 60 s ago and was reaped {@code ranMs} after its start. */
    private JsonObject restoreRequest(JsonObject source, long ranMs, JsonObject exit, int unstableInARow) {
        JsonObject entry = Plain.json(DumpEntry.builder()
                .name(source.getString("name"))
                .source(Plain.map(source))
                .commandCwd(home.toString())
                .build()
                .toMap());
        entry.put(
                "instances",
                new JsonArray().add(new JsonObject().put("pm_id", 2).put("status", "online")));
        long started = System.currentTimeMillis() - 60_000;
        JsonObject run = new JsonObject()
                .put("pm_id", 2)
                .put("pid", PID)
                .put("start_ticks", 99L)
                .put("stdin", -1)
                .put("stdout", -1)
                .put("stderr", -1)
                .put("restart_time", 5)
                .put("unstable_restarts", 1)
                .put("unstable_in_a_row", unstableInARow)
                .put("pm_uptime", started)
                .put("exit", exit.copy().put("at", started + ranMs));
        return new JsonObject()
                .put("apps", new JsonArray().add(entry))
                .put("handover", true)
                .put("adopt", new JsonArray().add(run));
    }

    private static JsonObject code(int code) {
        return new JsonObject().put("code", code).put("signal", 0);
    }

    @Test
    void itIsRestartedOnceWithItsCountPlusOneAndAnExitBeforeMinUptimeCountsAsUnstable() {
        launcher.forApp("api", Script.runs());
        // it ran 200 ms, under min_uptime, though it was reaped a minute after its start
        god.request(
                Addresses.INTERNAL_GOD_RESTORE,
                restoreRequest(god.app("api").put("min_uptime", 1000), 200, code(3), 0));
        JsonObject p = Eventually.await("api restarted", () -> {
            JsonObject q = god.named("api").get(0);
            return "online".equals(GodOnBus.status(q))
                            && launcher.spawnsOf("api").size() == 1
                    ? q
                    : null;
        });
        assertEquals(2, p.getInteger("pm_id"));
        assertEquals(6, restartTime(p));
        assertEquals(2, p.getJsonObject("pm2_env").getInteger("unstable_restarts"));
        assertEquals(List.of(PID), launcher.adopted());
    }

    @Test
    void aStopExitCodeLeavesItStoppedWithItsCode() {
        god.request(
                Addresses.INTERNAL_GOD_RESTORE,
                restoreRequest(god.app("api").put("stop_exit_codes", new JsonArray().add(7)), 5000, code(7), 0));
        JsonObject p = god.awaitStatus("api", "stopped");
        assertEquals(7, p.getJsonObject("pm2_env").getInteger("exit_code"));
        assertEquals(5, restartTime(p));
        assertEquals(0, launcher.spawnsOf("api").size());
    }

    @Test
    void aSignalIsShownAndMaxRestartsReachedIsErrored() {
        // already 2 unstable exits in a row under the previous daemon; this third one reaches max_restarts 3
        god.request(
                Addresses.INTERNAL_GOD_RESTORE,
                restoreRequest(
                        god.app("api").put("max_restarts", 3).put("min_uptime", 1000),
                        100,
                        new JsonObject().put("code", 0).put("signal", 9),
                        2));
        JsonObject p = god.awaitStatus("api", "errored");
        assertEquals("SIGKILL", p.getJsonObject("jpm").getString("exit_signal"));
        assertEquals(0, launcher.spawnsOf("api").size());
    }

    @Test
    void anExitTheKeeperTellsAfterTheAdoptionGoesThroughThePolicyWithItsReapTime(Vertx vertx) {
        launcher.forApp("api", Script.runs());
        JsonObject request = restoreRequest(god.app("api").put("min_uptime", 1000), 0, code(0), 0);
        JsonObject run = request.getJsonArray("adopt").getJsonObject(0);
        long started = run.getLong("pm_uptime");
        run.remove("exit");
        run.put("exit_pending", true);
        // its reply comes once the run has settled, which takes the exit: not awaited here
        vertx.eventBus().request(Addresses.INTERNAL_GOD_RESTORE, request);
        Eventually.until("api adopted", () -> launcher.adopted().contains(PID));
        assertEquals("launching", GodOnBus.status(god.named("api").get(0)), "not online: its process is gone");
        // the keeper's exit line, after this daemon said ready: it ran 300 ms
        vertx.eventBus()
                .publish(
                        Addresses.INTERNAL_KEEPER_EXIT,
                        new JsonObject()
                                .put("pid", PID)
                                .put("start_ticks", 99L)
                                .put("code", 2)
                                .put("signal", 0)
                                .put("at", started + 300));
        JsonObject p = Eventually.await("api restarted", () -> {
            JsonObject q = god.named("api").get(0);
            return "online".equals(GodOnBus.status(q))
                            && launcher.spawnsOf("api").size() == 1
                    ? q
                    : null;
        });
        assertEquals(6, restartTime(p));
        assertEquals(2, p.getJsonObject("pm2_env").getInteger("unstable_restarts"), "ran 300 ms: unstable");
    }
}
