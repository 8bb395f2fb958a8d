package io.jpm.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class UpdateAdoptionTest {
    private static final JsonArray COMMAND =
            new JsonArray().add("/usr/bin/java").add("io.jpm.daemon.DaemonMain");
    private static final JsonObject SUBREAPER =
            new JsonObject().put("keeper", 42).put("subreaper", true);

    @Test
    void aKeeperThatIsTheSubreaperAndANamedCommandAdopt() {
        assertNull(UpdateAdoption.cannotAdopt(SUBREAPER, "/home/me/.jpm/keeper.pl", COMMAND));
    }

    @Test
    void aDaemonWithoutAKeeperRestartsItsApps() {
        assertEquals(
                "this daemon runs without a keeper (it was started with JPM_KEEPER=0, or without perl)",
                UpdateAdoption.cannotAdopt(new JsonObject().put("keeper", 0), "/k.pl", COMMAND));
    }

    @Test
    void aKeeperThatIsNoSubreaperRestartsThem() {
        assertEquals(
                "its keeper cannot be the apps' subreaper on this system",
                UpdateAdoption.cannotAdopt(
                        new JsonObject().put("keeper", 42).put("subreaper", false), "/k.pl", COMMAND));
    }

    @Test
    void aClientThatNamesNoCommandRestartsThem() {
        assertEquals(
                "the client names no keeper to run the new daemon (no perl, or JPM_KEEPER=0 where it runs)",
                UpdateAdoption.cannotAdopt(SUBREAPER, null, null));
    }

    @Test
    void anUpdatesHandoverCountsFromZeroAsPm2sUpdate() {
        JsonObject run = new JsonObject()
                .put("pm_id", 0)
                .put("pid", 41)
                .put("restart_time", 3)
                .put("unstable_restarts", 2)
                .put("pm_uptime", 1_700L);
        JsonObject instance = new JsonObject()
                .put("pm_id", 0)
                .put("status", "online")
                .put("restart_time", 3)
                .put("unstable_restarts", 2)
                .put("unstable_in_a_row", 1)
                .put("backoff_ms", 200L);
        JsonArray apps = new JsonArray()
                .add(new JsonObject()
                        .put("name", "api")
                        .put("processes", new JsonArray().add(run))
                        .put("instances", new JsonArray().add(instance))
                        .put("old_runs", new JsonArray().add(run.copy())));

        JsonObject app = UpdateAdoption.countsFromZero(apps).getJsonObject(0);

        for (String runs : new String[] {"processes", "instances", "old_runs"}) {
            JsonObject counted = app.getJsonArray(runs).getJsonObject(0);
            assertEquals(0, counted.getInteger("restart_time"), runs);
            assertEquals(0, counted.getInteger("unstable_restarts"), runs);
        }
        JsonObject kept = app.getJsonArray("instances").getJsonObject(0);
        assertEquals(1, kept.getInteger("unstable_in_a_row"), "the policy's own state goes on");
        assertEquals(200L, kept.getLong("backoff_ms"));
        assertEquals(1_700L, app.getJsonArray("processes").getJsonObject(0).getLong("pm_uptime"));
        assertEquals(3, run.getInteger("restart_time"), "the apps given are not changed");
    }
}
