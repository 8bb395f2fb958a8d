package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.god.GodOnBus.Joins;
import io.jpm.process.Signal;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.ProcessEvent;
import io.jpm.testkit.Eventually;
import io.jpm.testkit.FakeLauncher.Script;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * A balanced app's rolling reload: one instance at a time, each new run in rotation before its old
 * run leaves it and is stopped, pm_ids, indexes and log files kept; a new run that never gets ready
 * (the balancer's join fails) leaves the old ones serving; a stop during the swap has the last word;
 * wait_ready holds the swap until the new run says it is ready. With a fake launcher and a stand-in
 * balancer; ClusterIT keeps real apps reloaded under real requests.
 */
class RollingReloadTest extends GodFixture {

    private JsonObject web(String name, int instances) {
        return god.app(name)
                .put("exec_mode", "cluster")
                .put("instances", instances)
                .put("port", 18080);
    }

    private static Map<Integer, JsonObject> byId(List<JsonObject> processes) {
        Map<Integer, JsonObject> map = new TreeMap<>();
        processes.forEach(p -> map.put(p.getInteger("pm_id"), p));
        return map;
    }

    private static int indexOf(List<ProcessEvent> events, Predicate<ProcessEvent> matches) {
        for (int i = 0; i < events.size(); i++) {
            if (matches.test(events.get(i))) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void oneInstanceAtATimeEachNewRunServingBeforeItsOldRunStops() {
        // the two first runs print nothing, the reload's new runs a line
        launcher.forApp("keep", Script.runs(), Script.runs(), Script.runs().prints("a new run"));
        god.start(web("keep", 2));
        Map<Integer, JsonObject> before = byId(god.awaitStatus("keep", 2, "online"));
        god.reload("keep");
        Map<Integer, JsonObject> after = byId(god.awaitStatus("keep", 2, "online"));
        assertEquals(before.keySet(), after.keySet(), "the same pm_ids after the reload");
        List<ProcessEvent> events = god.events();
        int lastOldRunStopped = -1;
        for (int id : before.keySet()) {
            JsonObject was = before.get(id);
            JsonObject now = after.get(id);
            int oldPid = was.getInteger("pid");
            int newPid = now.getInteger("pid");
            assertNotEquals(oldPid, newPid, "pm_id " + id + " has a new run");
            for (String key : List.of("NODE_APP_INSTANCE", "pm_out_log_path", "pm_err_log_path", "pm_pid_path")) {
                assertEquals(
                        was.getJsonObject("pm2_env").getValue(key),
                        now.getJsonObject("pm2_env").getValue(key),
                        key);
            }
            assertEquals(
                    1, now.getJsonObject("pm2_env").getInteger("restart_time"), "pm2 counts a reload as a restart");
            Path pidFile = Path.of(now.getJsonObject("pm2_env").getString("pm_pid_path"));
            Eventually.until(
                    () -> "pm_id " + id + "'s pid file to hold the new pid " + newPid + ": " + pidFile + " holds "
                            + read(pidFile),
                    Eventually.TIMEOUT,
                    () -> read(pidFile).equals(Integer.toString(newPid)));
            // the new run's output goes to the pm_id's log, where jpm logs <id> reads it
            String out = now.getJsonObject("pm2_env").getString("pm_out_log_path");
            Eventually.until("the new run's line in " + out, () -> god.output()
                    .contains(new GodOnBus.Printed("keep", id, "out", out, "a new run")));
            // what a subscriber sees for this pm_id, in order
            int handedOver =
                    indexOf(events, e -> e.pmId() == id && e.oldRun() && "online".equals(e.to()) && e.pid() == oldPid);
            int launching = indexOf(
                    events,
                    e -> e.pmId() == id
                            && !e.oldRun()
                            && "launching".equals(e.to())
                            && handedOverBefore(events, e, id));
            int online = indexOf(
                    events,
                    e -> e.pmId() == id
                            && !e.oldRun()
                            && "online".equals(e.to())
                            && Integer.valueOf(newPid).equals(e.pid()));
            int stopping = indexOf(events, e -> e.pmId() == id && e.oldRun() && "stopping".equals(e.to()));
            int stopped = indexOf(events, e -> e.pmId() == id && e.oldRun() && "stopped".equals(e.to()));
            assertTrue(
                    handedOver >= 0
                            && handedOver < launching
                            && launching < online
                            && online < stopping
                            && stopping < stopped,
                    "pm_id " + id + " events: " + events);
            // one at a time: this pm_id's swap begins once the one before it is over
            assertTrue(handedOver > lastOldRunStopped, "pm_id " + id + " swapped while another swap ran: " + events);
            lastOldRunStopped = stopped;
            assertTrue(events.stream().noneMatch(e -> ProcessEvent.DELETED.equals(e.to())), "no deletion: " + events);
            // the balancer: the new run in rotation before the old run leaves it, drained, then signalled
            int joined = god.balancer.indexOf("join " + id + " pid " + newPid);
            int left = god.balancer.indexOf("leave " + id + " pid " + oldPid + " drain 1600");
            assertTrue(joined >= 0 && joined < left, god.balancer.toString());
            assertEquals(List.of(Signal.SIGINT), launcher.signalsTo(oldPid));
        }
    }

    private static String read(Path file) {
        try {
            return Files.isRegularFile(file) ? Files.readString(file).trim() : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The event is a launching of pm_id {@code id}'s new run: after its old run was set aside. */
    private static boolean handedOverBefore(List<ProcessEvent> events, ProcessEvent launching, int id) {
        int at = events.indexOf(launching);
        return events.subList(0, at).stream().anyMatch(e -> e.pmId() == id && e.oldRun());
    }

    @Test
    void duringTheSwapJlistShowsTheOldRunBesideTheNewOne() {
        god.start(web("swap", 1));
        JsonObject was = god.awaitStatus("swap", "online");
        int id = was.getInteger("pm_id");
        god.joins(Joins.HELD);
        Future<Object> reload = god.sendAsync(Addresses.CMD_RELOAD, god.targets("swap"));
        Eventually.until(
                () -> "the new run's join; balancer asked " + god.balancer, Eventually.TIMEOUT, () -> !god.heldJoins()
                        .isEmpty());
        List<JsonObject> during = god.jlist();
        JsonObject oldRun = during.stream()
                .filter(p -> ("_old_" + id).equals(String.valueOf(p.getValue("pm_id"))))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no _old_ run in " + during));
        assertEquals(id, oldRun.getJsonObject("jpm").getInteger("old_run_of"));
        assertEquals(was.getInteger("pid"), oldRun.getInteger("pid"));
        assertEquals("online", GodOnBus.status(oldRun), "the old run serves until the new one is ready");
        assertTrue(launcher.signalsTo(was.getInteger("pid")).isEmpty());
        assertTrue(during.stream().anyMatch(p -> Integer.valueOf(id).equals(p.getValue("pm_id"))), during.toString());
        god.joins(Joins.READY);
        Eventually.until("the reload's reply", reload::succeeded);
        assertEquals(1, god.jlist().size(), "the old run is gone from the list");
    }

    /**
     * A jlist that waits for the balancer's counters while a reload moves its run aside lists the
     * table as it is once they come: the pm_id's new run and its old run, once each. Before, the
     * list was taken before that wait: the run moved aside showed as {@code _old_<pm_id>} twice and
     * its pm_id's new run not at all (ReloadAtKillIT saw it under load).
     */
    @Test
    void aListAskedAsTheSwapBeginsShowsTheNewRunAndTheOldOnceEach() {
        god.start(web("race", 1));
        JsonObject was = god.awaitStatus("race", "online");
        int id = was.getInteger("pm_id");
        List<io.vertx.core.eventbus.Message<Object>> heldStats = new java.util.concurrent.CopyOnWriteArrayList<>();
        god.vertx.eventBus().<Object>localConsumer(Addresses.INTERNAL_BALANCER_STATS, heldStats::add);
        Future<Object> list = god.sendAsync(Addresses.QUERY_LIST, new JsonObject());
        Eventually.until("the list's question to the balancer", () -> !heldStats.isEmpty());
        god.joins(Joins.HELD);
        Future<Object> reload = god.sendAsync(Addresses.CMD_RELOAD, god.targets("race"));
        Eventually.until(
                "the new run's join", Eventually.TIMEOUT, () -> !god.heldJoins().isEmpty());
        heldStats.forEach(m -> m.reply(new JsonObject().put("data", new JsonObject())));
        Eventually.until("the list", list::isComplete);
        List<Object> ids = ((io.vertx.core.json.JsonArray) list.result())
                .stream().map(p -> ((JsonObject) p).getValue("pm_id")).toList();
        assertEquals(List.of(id, "_old_" + id), ids);
        god.joins(Joins.READY);
        Eventually.until("the reload's reply", reload::succeeded);
    }

    @Test
    void aNewRunThatNeverGetsReadyLeavesTheOldOnesServing() {
        god.start(web("stuck", 2).put("listen_timeout", 3000));
        List<JsonObject> started = god.awaitStatus("stuck", 2, "online");
        god.joins(Joins.NOT_READY);
        ReplyException failed = assertThrows(ReplyException.class, () -> god.reload("stuck"));
        assertTrue(failed.getMessage().contains("not ready within listen_timeout 3000 ms"), failed.getMessage());
        // what /proc said of the new run when its wait ran out (a made-up pid here: most likely gone)
        assertTrue(
                failed.getMessage().matches("(?s).*; pid \\d+: (gone|state [A-Z], [0-9.]+ s of CPU so far);.*"),
                failed.getMessage());
        assertTrue(failed.getMessage().contains("keeps serving"), failed.getMessage());
        List<JsonObject> still = god.awaitStatus("stuck", 2, "online");
        assertEquals(byId(started).keySet(), byId(still).keySet(), "under their own pm_ids");
        assertEquals(
                started.stream().map(p -> p.getInteger("pid")).sorted().toList(),
                still.stream().map(p -> p.getInteger("pid")).sorted().toList(),
                "the old runs are still the ones in the table");
        assertTrue(still.stream().allMatch(p -> GodOnBus.restartTime(p) == 0), still.toString());
        // the reload stops at the first pm_id: its new run was stopped, the second pm_id never swapped
        assertEquals(3, launcher.spawnsOf("stuck").size());
        int fresh = launcher.spawnsOf("stuck").get(2).pid();
        assertEquals(List.of(Signal.SIGINT), launcher.signalsTo(fresh));
        started.forEach(p -> assertTrue(launcher.signalsTo(p.getInteger("pid")).isEmpty(), "old run signalled: " + p));
    }

    @Test
    void aStopDuringTheSwapStopsThePmIdAndItsOldRun() {
        god.start(web("swap-stop", 1));
        JsonObject was = god.awaitStatus("swap-stop", "online");
        int id = was.getInteger("pm_id");
        int oldPid = was.getInteger("pid");
        god.joins(Joins.HELD);
        Future<Object> reload = god.sendAsync(Addresses.CMD_RELOAD, god.targets("swap-stop"));
        Eventually.until(
                () -> "the new run's join; balancer asked " + god.balancer, Eventually.TIMEOUT, () -> !god.heldJoins()
                        .isEmpty());
        god.stop(Integer.toString(id));
        god.joins(Joins.NOT_READY);
        Eventually.until("the reload's reply", reload::isComplete);
        assertTrue(
                reload.failed() && reload.cause().getMessage().contains("interrupted"), String.valueOf(reload.cause()));
        Eventually.until("the old run stopped", () -> !launcher.alive().contains(oldPid));
        List<JsonObject> left = Eventually.await("the old run gone from the list", () -> {
            List<JsonObject> all = god.named("swap-stop");
            return all.size() == 1 ? all : null;
        });
        assertEquals(id, left.get(0).getInteger("pm_id"));
        assertEquals("stopped", GodOnBus.status(left.get(0)));
        assertEquals(List.of(), List.copyOf(launcher.alive()), "neither run is left");
    }

    @Test
    void withWaitReadyTheNewRunStaysLaunchingAndTheOldOneServesUntilItSaysReady() {
        launcher.forApp("ready", Script.runs().saysReady(0), Script.runs());
        god.start(web("ready", 1).put("wait_ready", true).put("listen_timeout", "60s"));
        JsonObject was = god.awaitStatus("ready", "online");
        int oldPid = was.getInteger("pid");
        Future<Object> reload = god.sendAsync(Addresses.CMD_RELOAD, god.targets("ready"));
        Eventually.until("the new run", () -> launcher.spawnsOf("ready").size() == 2);
        int newPid = launcher.spawnsOf("ready").get(1).pid();
        Eventually.until("the new run launching", () -> god.jlist().stream()
                .anyMatch(p ->
                        Integer.valueOf(newPid).equals(p.getInteger("pid")) && "launching".equals(GodOnBus.status(p))));
        assertFalse(reload.isComplete());
        assertTrue(
                launcher.signalsTo(oldPid).isEmpty(),
                "the old run is left alone while the new one is not ready: " + launcher.signals());
        assertTrue(launcher.ready(newPid));
        Eventually.until("the reload's reply", reload::succeeded);
        JsonObject now = god.awaitStatus("ready", "online");
        assertEquals(newPid, now.getInteger("pid"));
        assertEquals(List.of(Signal.SIGINT), launcher.signalsTo(oldPid));
        ProcessEvent online = god.awaitEvent(
                "the new run online",
                e -> "online".equals(e.to()) && Integer.valueOf(newPid).equals(e.pid()));
        assertTrue(online.reason().contains("ready (READY=1)"), online.reason());
    }

    @Test
    void reloadOfAForkAppIsARestart() {
        god.start(god.app("fork"));
        int pid = god.awaitStatus("fork", "online").getInteger("pid");
        god.reload("fork");
        JsonObject now = god.awaitStatus("fork", "online");
        assertNotEquals(pid, now.getInteger("pid"));
        assertEquals(List.of(Signal.SIGINT), launcher.signalsTo(pid));
        assertTrue(god.events().stream().noneMatch(ProcessEvent::oldRun), "no old run: " + god.events());
        assertTrue(god.balancer.isEmpty(), god.balancer.toString());
    }
}
