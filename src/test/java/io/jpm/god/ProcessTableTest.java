package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.config.AppConfig;
import io.jpm.config.AppConfigParser;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.ProcessEvent;
import io.jpm.protocol.ProcessState;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The table's side of a rolling reload that keeps pm_ids: the old run aside, the id handed over and back. */
class ProcessTableTest {
    @TempDir
    Path dir;

    private final ProcessTable table = new ProcessTable();
    private final List<ProcessEvent> events = new ArrayList<>();
    private AppConfig config;

    @BeforeEach
    void app() throws IOException {
        Files.writeString(dir.resolve("server.py"), "import time\n");
        config = new AppConfigParser("test", dir, Map.of("PATH", "/usr/bin:/bin"))
                .parse(
                        new JsonObject()
                                .put("script", "server.py")
                                .put("name", "api")
                                .put("instances", 2),
                        null);
    }

    private Instance instance(int pmId, int index) {
        return ApiInstance.of(pmId, index, config, null, "/pids/app-" + pmId + ".pid", events::add);
    }

    private Instance running(int pmId, int index, int pid) {
        assertEquals(pmId, table.allocateId());
        Instance i = instance(pmId, index);
        table.add(i);
        i.transitionTo(ProcessState.LAUNCHING, "start");
        i.run().spawned(pid, 0, System.currentTimeMillis(), null);
        i.transitionTo(ProcessState.ONLINE, "spawned pid " + pid);
        return i;
    }

    @Test
    void aNewRunTakesThePmIdAndTheOldRunIsListedAsideButNeverATarget() {
        Instance old = running(0, 0, 100);
        running(1, 1, 101);
        Instance fresh = instance(0, 0);
        table.replaceRun(old, fresh);

        assertSame(fresh, table.byId(0));
        assertTrue(old.oldRun());
        assertEquals("_old_0", old.listedId());
        assertEquals(0, fresh.listedId());
        assertEquals(List.of(old), List.copyOf(table.oldRuns()));
        assertEquals(List.of(fresh), table.resolve(List.of("0"), Map.of()));
        assertFalse(table.resolve(List.of("api"), Map.of()).contains(old));
        assertThrows(JpmException.class, () -> table.resolve(List.of("_old_0"), Map.of()));
        assertEquals(2, table.allocateId(), "the next pm_id is not the reloaded one's");
    }

    @Test
    void theOldRunsEventsSayOldRunAndItLeavesTheTableWhenDropped() {
        Instance old = running(0, 0, 100);
        Instance fresh = instance(0, 0);
        table.replaceRun(old, fresh);
        events.clear();
        old.announce("reload");
        old.transitionTo(ProcessState.STOPPING, "replaced");
        fresh.transitionTo(ProcessState.LAUNCHING, "reload asked");
        assertTrue(events.get(0).oldRun() && events.get(1).oldRun(), events.toString());
        assertEquals("online", events.get(0).from());
        assertEquals("online", events.get(0).to());
        assertEquals(100, events.get(0).pid());
        assertFalse(events.get(2).oldRun());
        assertTrue((Boolean) events.get(0).toMap().get("old_run"));
        assertTrue(ProcessEvent.from(events.get(0).toMap()).oldRun());

        table.dropOldRun(old);
        assertTrue(table.oldRuns().isEmpty());
        assertSame(fresh, table.byId(0));
    }

    @Test
    void aFailedReloadGivesThePmIdBackUnlessItWasDeletedMeanwhile() {
        Instance old = running(0, 0, 100);
        Instance fresh = instance(0, 0);
        table.replaceRun(old, fresh);
        assertTrue(table.giveBack(fresh, old));
        assertSame(old, table.byId(0));
        assertFalse(old.oldRun());
        assertTrue(table.oldRuns().isEmpty());

        Instance again = instance(0, 0);
        table.replaceRun(old, again);
        table.remove(again); // `jpm delete 0` during the swap
        assertFalse(table.giveBack(again, old));
        assertEquals(List.of(old), List.copyOf(table.oldRuns()), "the old run stays aside, to be stopped");
    }

    @Test
    void onlyTheRunHoldingThePmIdCanBeReplaced() {
        Instance old = running(0, 0, 100);
        Instance fresh = instance(0, 0);
        table.replaceRun(old, fresh);
        assertThrows(IllegalStateException.class, () -> table.replaceRun(old, instance(0, 0)));
        assertThrows(IllegalStateException.class, () -> table.replaceRun(fresh, instance(1, 0)));
    }

    @Test
    void anUpdatesHandoverGivesEachAppItsPmIdsBackAndNumberingGoesOnAboveThem() {
        table.expectHandover("api", List.of(3, 1), Set.of(1));
        table.expectHandover("web", List.of(0), Set.of());

        assertEquals(3, table.allocateId("api"));
        table.add(instance(3, 0));
        assertEquals(0, table.allocateId("web"));
        table.add(instance(0, 0));
        assertEquals(1, table.allocateId("api"));
        table.add(instance(1, 1));
        assertEquals(4, table.allocateId("other"), "a new app numbers above every pm_id handed back");
        assertTrue(table.handedOverStopped(1));
        assertFalse(table.handedOverStopped(1), "once");
        assertFalse(table.handedOverStopped(3));
    }

    @Test
    void aHandedOverPmIdAlreadyTakenGivesTheNextOne() {
        running(0, 0, 100);
        table.expectHandover("api", List.of(0), Set.of());

        assertEquals(1, table.allocateId("api"));
    }
}
