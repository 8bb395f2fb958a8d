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

/** Which runs of a dead daemon its successor adopts ({@link Adoptions}). */
class AdoptionsTest {
    private static JsonObject app(String name, DumpEntry.Running... runs) {
        return Plain.json(
                new DumpEntry(name, Map.of("script", "x.sh"), Map.of(), null, null, null, List.of(runs)).toMap());
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
        Adoptions plan = Adoptions.plan(record, held(100, 5000, 7), pid -> pid == 100 ? 5000 : 0);
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

    @Test
    void aRecycledPidIsALeftoverAndWhatTheKeeperHoldsForItIsReleased() {
        JsonArray record = new JsonArray().add(app("api", new DumpEntry.Running(0, 100, 5000)));
        // pid 100 runs, but started at another time: another process
        Adoptions plan = Adoptions.plan(record, held(100, 5000, 7), pid -> 6000);
        assertEquals(0, plan.adopt().size());
        assertEquals(
                1, plan.leftovers().getJsonObject(0).getJsonArray("processes").size());
        assertEquals(List.of("err:100:5000", "in:100:5000", "out:100:5000"), plan.release());
    }

    @Test
    void aRunWithoutItsPipesHeldIsALeftover() {
        JsonArray record = new JsonArray()
                .add(app("api", new DumpEntry.Running(0, 100, 5000), new DumpEntry.Running(1, 200, 6000)));
        Adoptions plan = Adoptions.plan(record, held(200, 6000, 7), pid -> pid == 100 ? 5000 : 6000);
        assertEquals(1, plan.adopt().size());
        assertEquals(200, plan.adopt().getJsonObject(0).getInteger("pid"));
        JsonArray left = plan.leftovers().getJsonObject(0).getJsonArray("processes");
        assertEquals(1, left.size());
        assertEquals(100, left.getJsonObject(0).getInteger("pid"));
    }

    @Test
    void aRunOfUnknownStartTimeIsNeverAdopted() {
        JsonArray record = new JsonArray().add(app("api", new DumpEntry.Running(0, 100, 0)));
        Adoptions plan = Adoptions.plan(record, held(100, 0, 7), pid -> 0);
        assertEquals(0, plan.adopt().size());
    }

    @Test
    void aNodeRunsIpcPipeIsAdoptedWithItsRunAndOneOfNoAdoptedRunIsReleased() {
        JsonArray record = new JsonArray()
                .add(app("node", new DumpEntry.Running(0, 100, 5000), new DumpEntry.Running(1, 200, 6000)));
        Map<String, Integer> held = new HashMap<>(held(100, 5000, 7));
        held.put("ipc:100:5000", 10);
        held.put("ipc:200:6000", 11); // pid 200 is another process now
        Adoptions plan = Adoptions.plan(record, held, pid -> pid == 100 ? 5000 : 0);
        assertEquals(1, plan.adopt().size());
        assertEquals(10, plan.adopt().getJsonObject(0).getInteger("ipc"));
        assertEquals(List.of("ipc:200:6000"), plan.release());
    }

    @Test
    void aRunWithoutAnIpcPipeIsAdoptedWithNone() {
        JsonArray record = new JsonArray().add(app("api", new DumpEntry.Running(0, 100, 5000)));
        Adoptions plan = Adoptions.plan(record, held(100, 5000, 7), pid -> 5000);
        assertEquals(-1, plan.adopt().getJsonObject(0).getInteger("ipc"));
    }
}
