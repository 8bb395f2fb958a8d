package io.jpm.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpm.protocol.DumpEntry;
import io.jpm.verticle.Plain;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which runs of a dead daemon its successor adopts ({@link AdoptionPlan}). */
class AdoptionPlanTest {
    private static JsonObject app(String name, DumpEntry.Running... runs) {
        return Plain.json(DumpEntry.builder()
                .name(name)
                .source(Map.of("script", "x.sh"))
                .processes(List.of(runs))
                .build()
                .toMap());
    }

    private static Map<String, Integer> held(int pid, long ticks, int firstFd) {
        return Map.of(
                "in:" + pid + ":" + ticks, firstFd,
                "out:" + pid + ":" + ticks, firstFd + 1,
                "err:" + pid + ":" + ticks, firstFd + 2);
    }

    @Test
    void aRunThatIsStillTheSameProcessAndWhosePipesAreHeldIsAdoptedWithWhatItShowed() {
        JsonArray record = new JsonArray().add(app("api", new DumpEntry.Running(3, 100, 5000, 2, 1, 1234L, 40001)));
        AdoptionPlan plan = AdoptionPlan.plan(record, held(100, 5000, 7), pid -> pid == 100 ? 5000 : 0);
        assertEquals(1, plan.adopt().size());
        JsonObject run = plan.adopt().getJsonObject(0);
        assertEquals(3, run.getInteger("pm_id"));
        assertEquals(100, run.getInteger("pid"));
        assertEquals(
                List.of(7, 8, 9), List.of(run.getInteger("stdin"), run.getInteger("stdout"), run.getInteger("stderr")));
        assertEquals(2, run.getInteger("restart_time"));
        assertEquals(1, run.getInteger("unstable_restarts"));
        assertEquals(1234L, run.getLong("pm_uptime"));
        assertEquals(40001, run.getInteger("port"));
        assertEquals(Set.of(100), plan.adoptedPids());
        assertEquals(List.of(), plan.release());
        assertEquals(
                new JsonArray().add(new JsonObject().put("pm_id", 3).put("status", "online")),
                plan.apps().getJsonObject(0).getJsonArray("instances"),
                "its pm_id kept");
        assertEquals(
                0, plan.leftovers().getJsonObject(0).getJsonArray("processes").size());
    }

    /** The token a Node run's jpm-ipc.js connects again with goes from the record to its adoption. */
    @Test
    void aNodeRunsChannelTokenGoesWithItsAdoption() {
        JsonObject api = app("api", new DumpEntry.Running(3, 100, 5000), new DumpEntry.Running(4, 200, 6000));
        api.put(
                "instances",
                new JsonArray()
                        .add(new JsonObject()
                                .put("pm_id", 3)
                                .put("status", "online")
                                .put("ipc_token", "ab12"))
                        .add(new JsonObject().put("pm_id", 4).put("status", "online")));
        AdoptionPlan plan = AdoptionPlan.plan(
                new JsonArray().add(api),
                held(held(100, 5000, 7), held(200, 6000, 10)),
                pid -> pid == 100 ? 5000 : 6000);
        assertEquals(2, plan.adopt().size());
        assertEquals("ab12", plan.adopt().getJsonObject(0).getString("ipc_token"));
        assertEquals(null, plan.adopt().getJsonObject(1).getValue("ipc_token"), "none recorded: none");
    }

    @Test
    void aRecycledPidIsALeftoverAndWhatTheKeeperHoldsForItIsReleased() {
        JsonArray record = new JsonArray().add(app("api", new DumpEntry.Running(0, 100, 5000)));
        // pid 100 runs, but started at another time: another process
        AdoptionPlan plan = AdoptionPlan.plan(record, held(100, 5000, 7), pid -> 6000);
        assertEquals(0, plan.adopt().size());
        assertEquals(
                1, plan.leftovers().getJsonObject(0).getJsonArray("processes").size());
        assertEquals(List.of("err:100:5000", "in:100:5000", "out:100:5000"), plan.release());
    }

    @Test
    void aRunWithoutItsPipesHeldIsALeftover() {
        JsonArray record = new JsonArray()
                .add(app("api", new DumpEntry.Running(0, 100, 5000), new DumpEntry.Running(1, 200, 6000)));
        AdoptionPlan plan = AdoptionPlan.plan(record, held(200, 6000, 7), pid -> pid == 100 ? 5000 : 6000);
        assertEquals(1, plan.adopt().size());
        assertEquals(200, plan.adopt().getJsonObject(0).getInteger("pid"));
        JsonArray left = plan.leftovers().getJsonObject(0).getJsonArray("processes");
        assertEquals(1, left.size());
        assertEquals(100, left.getJsonObject(0).getInteger("pid"));
    }

    @Test
    void aRunOfUnknownStartTimeIsNeverAdopted() {
        JsonArray record = new JsonArray().add(app("api", new DumpEntry.Running(0, 100, 0)));
        AdoptionPlan plan = AdoptionPlan.plan(record, held(100, 0, 7), pid -> 0);
        assertEquals(0, plan.adopt().size());
    }

    @Test
    void aRunThatEndedWhileNoDaemonRanIsAdoptedWithTheExitTheKeeperReaped() {
        JsonObject api = app("api", new DumpEntry.Running(3, 100, 5000, 2, 1, 1234L, 0));
        api.put(
                "instances",
                new JsonArray()
                        .add(new JsonObject()
                                .put("pm_id", 3)
                                .put("status", "online")
                                .put("unstable_in_a_row", 1)
                                .put("backoff_ms", 150)));
        JsonObject reaped = new JsonObject()
                .put("pid", 100)
                .put("start_ticks", 5000)
                .put("code", 3)
                .put("signal", 0)
                .put("at", 99L);
        // pid 100 is gone: the keeper reaped it
        AdoptionPlan plan =
                AdoptionPlan.plan(new JsonArray().add(api), held(100, 5000, 7), new JsonArray().add(reaped), pid -> 0);
        assertEquals(1, plan.adopt().size());
        JsonObject run = plan.adopt().getJsonObject(0);
        assertEquals(reaped, run.getJsonObject("exit"));
        assertEquals(2, run.getInteger("restart_time"));
        assertEquals(1, run.getInteger("unstable_in_a_row"));
        assertEquals(150L, run.getLong("backoff_ms"));
        assertEquals(
                List.of(7, 8, 9), List.of(run.getInteger("stdin"), run.getInteger("stdout"), run.getInteger("stderr")));
        assertEquals(List.of(), plan.release(), "its pipes are read to their end");
        assertEquals(0, plan.running());
        assertEquals(1, plan.ended());
    }

    @Test
    void anExitOfAnotherProcessWithTheSamePidIsNotTheRunsExit() {
        JsonArray record = new JsonArray().add(app("api", new DumpEntry.Running(3, 100, 5000)));
        JsonArray exits = new JsonArray()
                .add(new JsonObject()
                        .put("pid", 100)
                        .put("start_ticks", 4000)
                        .put("code", 3)
                        .put("signal", 0));
        AdoptionPlan plan = AdoptionPlan.plan(record, held(100, 5000, 7), exits, pid -> 0);
        // gone all the same: its own exit is still to come from the keeper
        assertEquals(1, plan.adopt().size());
        assertEquals(false, plan.adopt().getJsonObject(0).containsKey("exit"));
        assertEquals(true, plan.adopt().getJsonObject(0).getBoolean("exit_pending"));
    }

    @Test
    void anInstanceWaitingRestartIsTakenOverWaitingAndAStoppedOneStaysStopped() {
        JsonObject api = app("api", new DumpEntry.Running(0, 100, 5000));
        api.put(
                "instances",
                new JsonArray()
                        .add(new JsonObject()
                                .put("pm_id", 2)
                                .put("status", "stopped")
                                .put("restart_time", 5))
                        .add(new JsonObject()
                                .put("pm_id", 1)
                                .put("status", "waiting restart")
                                .put("restart_time", 4)
                                .put("unstable_restarts", 2)
                                .put("unstable_in_a_row", 2)
                                .put("backoff_ms", 300)
                                .put("restart_at", 777L)
                                .put("exit_signal", 9))
                        .add(new JsonObject().put("pm_id", 0).put("status", "online")));
        AdoptionPlan plan = AdoptionPlan.plan(new JsonArray().add(api), held(100, 5000, 7), pid -> 5000);
        assertEquals(1, plan.running());
        assertEquals(1, plan.waiting());
        JsonObject waiting = plan.adopt().stream()
                .map(JsonObject.class::cast)
                .filter(a -> !a.containsKey("pid"))
                .findFirst()
                .orElseThrow();
        assertEquals(1, waiting.getInteger("pm_id"));
        assertEquals(777L, waiting.getLong("restart_at"));
        assertEquals(4, waiting.getInteger("restart_time"));
        assertEquals(2, waiting.getInteger("unstable_in_a_row"));
        assertEquals(300L, waiting.getLong("backoff_ms"));
        assertEquals(new JsonObject().put("code", 0).put("signal", 9), waiting.getJsonObject("exit"));
        assertEquals(
                new JsonArray()
                        .add(new JsonObject().put("pm_id", 0).put("status", "online"))
                        .add(new JsonObject().put("pm_id", 1).put("status", "waiting restart"))
                        .add(new JsonObject().put("pm_id", 2).put("status", "stopped")),
                plan.apps().getJsonObject(0).getJsonArray("instances"),
                "every instance with its pm_id, in pm_id order, the stopped one stopped");
    }

    private static JsonObject withOldRun(JsonObject app, int pmId, int pid, long ticks, String status) {
        return app.put(
                "old_runs",
                new JsonArray()
                        .add(new JsonObject()
                                .put("pm_id", pmId)
                                .put("pid", pid)
                                .put("start_ticks", ticks)
                                .put("status", status)
                                .put("restart_time", 3)));
    }

    private static Map<String, Integer> held(Map<String, Integer> a, Map<String, Integer> b) {
        Map<String, Integer> both = new HashMap<>(a);
        both.putAll(b);
        return both;
    }

    @Test
    void aReloadCutShortIsRolledBackToTheOldRunThatStillServedAndTheNewRunIsALeftover() {
        // pm_id 0's new run (pid 200) was not ready yet: its old run (pid 100) still served
        JsonObject api =
                withOldRun(app("api", new DumpEntry.Running(0, 200, 6000, 4, 0, 1L, 0)), 0, 100, 5000, "online");
        AdoptionPlan plan = AdoptionPlan.plan(
                new JsonArray().add(api),
                held(held(100, 5000, 7), held(200, 6000, 10)),
                pid -> pid == 100 ? 5000 : 6000);
        assertEquals(1, plan.adopt().size());
        JsonObject kept = plan.adopt().getJsonObject(0);
        assertEquals(0, kept.getInteger("pm_id"));
        assertEquals(100, kept.getInteger("pid"));
        assertEquals(3, kept.getInteger("restart_time"), "the old run's count");
        assertEquals(200, kept.getInteger("reload_rolled_back"));
        JsonArray left = plan.leftovers().getJsonObject(0).getJsonArray("processes");
        assertEquals(200, left.getJsonObject(0).getInteger("pid"), "the new run is stopped");
        assertEquals(List.of("err:200:6000", "in:200:6000", "out:200:6000"), plan.release());
    }

    @Test
    void aReloadWhoseOldRunWasAlreadyStoppingKeepsTheNewRunAndStopsTheOld() {
        JsonObject api = withOldRun(app("api", new DumpEntry.Running(0, 200, 6000)), 0, 100, 5000, "stopping");
        AdoptionPlan plan = AdoptionPlan.plan(
                new JsonArray().add(api),
                held(held(100, 5000, 7), held(200, 6000, 10)),
                pid -> pid == 100 ? 5000 : 6000);
        assertEquals(1, plan.adopt().size());
        assertEquals(200, plan.adopt().getJsonObject(0).getInteger("pid"));
        JsonArray left = plan.leftovers().getJsonObject(0).getJsonArray("processes");
        assertEquals(100, left.getJsonObject(0).getInteger("pid"), "the old run is stopped");
    }

    @Test
    void aRunGoneWithNoExitInTheInventoryIsAdoptedWithItsExitToCome() {
        // it ended after the keeper wrote its inventory: the keeper tells its exit once the daemon is ready
        JsonArray record = new JsonArray().add(app("api", new DumpEntry.Running(3, 100, 5000)));
        AdoptionPlan plan = AdoptionPlan.plan(record, held(100, 5000, 7), pid -> 0);
        assertEquals(1, plan.adopt().size());
        assertEquals(true, plan.adopt().getJsonObject(0).getBoolean("exit_pending"));
        assertEquals(1, plan.ended());
        assertEquals(0, plan.running());
    }

    @Test
    void aNodeRunsIpcPipeIsAdoptedWithItsRunAndOneOfNoAdoptedRunIsReleased() {
        JsonArray record = new JsonArray()
                .add(app("node", new DumpEntry.Running(0, 100, 5000), new DumpEntry.Running(1, 200, 6000)));
        Map<String, Integer> held = new HashMap<>(held(100, 5000, 7));
        held.put("ipc:100:5000", 10);
        held.put("ipc:200:6000", 11); // pid 200 is another process now
        AdoptionPlan plan = AdoptionPlan.plan(record, held, pid -> pid == 100 ? 5000 : 0);
        assertEquals(1, plan.adopt().size());
        assertEquals(10, plan.adopt().getJsonObject(0).getInteger("ipc"));
        assertEquals(List.of("ipc:200:6000"), plan.release());
    }

    @Test
    void aRunWithoutAnIpcPipeIsAdoptedWithNone() {
        JsonArray record = new JsonArray().add(app("api", new DumpEntry.Running(0, 100, 5000)));
        AdoptionPlan plan = AdoptionPlan.plan(record, held(100, 5000, 7), pid -> 5000);
        assertEquals(-1, plan.adopt().getJsonObject(0).getInteger("ipc"));
    }
}
