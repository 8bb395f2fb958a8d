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
}
