package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.process.ProcessLauncher.Escaped;
import io.jpm.process.Signal;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.ProcessEvent;
import io.jpm.testkit.Eventually;
import io.jpm.testkit.FakeLauncher.Script;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How God stops an app: kill_signal first, SIGKILL once kill_timeout has passed only when the app
 * ignored it, and what a second stop or a delete does while the first stop is under way. With a fake
 * launcher; RestartPolicyIT keeps one real app that ignores its signal.
 */
class StopTest extends GodFixture {

    /** Starts {@code name}, an app that ignores SIGINT, with {@code killTimeout}; returns its pid once online. */
    private int startIgnoringSigint(String name, Object killTimeout) {
        launcher.forApp(name, Script.runs().ignores(Signal.SIGINT));
        god.start(god.app(name).put("kill_timeout", killTimeout));
        return god.awaitStatus(name, "online").getInteger("pid");
    }

    /** Sends verb {@code address} for {@code name} without waiting for its reply; returns once the app is stopping. */
    private Future<Object> whileStopping(String address, String name) {
        Future<Object> reply = god.sendAsync(address, god.targets(name));
        god.awaitStatus(name, "stopping");
        return reply;
    }

    @Test
    void anAppIgnoringItsKillSignalIsKilledAfterKillTimeout() {
        int pid = startIgnoringSigint("stub", 300);
        god.stop("stub");
        JsonObject stopped = god.named("stub").get(0);
        assertEquals("stopped", GodOnBus.status(stopped));
        assertEquals("SIGKILL", stopped.getJsonObject("jpm").getString("exit_signal"));
        assertEquals(List.of(Signal.SIGINT, Signal.SIGKILL), launcher.signalsTo(pid));
    }

    @Test
    void anAppThatExitsWithinKillTimeoutGetsNoSigkill() {
        int pid = startIgnoringSigint("slow", "60s");
        Future<Object> stop = whileStopping(Addresses.CMD_STOP, "slow");
        assertEquals(List.of(Signal.SIGINT), launcher.signalsTo(pid), "kill_signal only, kill_timeout has not passed");
        assertFalse(stop.isComplete(), "a stop replies once the app has stopped");
        // the app finishes on its own within kill_timeout, as a graceful shutdown does
        launcher.exit(pid, 0);
        Eventually.until("the stop's reply", () -> stop.succeeded());
        JsonObject stopped = god.named("slow").get(0);
        assertEquals("stopped", GodOnBus.status(stopped));
        assertEquals(0, stopped.getJsonObject("pm2_env").getInteger("exit_code"));
        assertEquals(List.of(Signal.SIGINT), launcher.signalsTo(pid));
    }

    @Test
    void theKillSignalIsConfigurable() {
        launcher.forApp("term", Script.runs().exitsOn(Signal.SIGTERM, 0));
        god.start(god.app("term").put("kill_signal", "SIGTERM"));
        int pid = god.awaitStatus("term", "online").getInteger("pid");
        god.stop("term");
        assertEquals(List.of(Signal.SIGTERM), launcher.signalsTo(pid));
        assertEquals(0, god.named("term").get(0).getJsonObject("pm2_env").getInteger("exit_code"));
    }

    @Test
    void aSecondStopOfAStoppingAppWaitsForTheFirstAndSignalsNothingMore() {
        int pid = startIgnoringSigint("twice", "60s");
        Future<Object> first = whileStopping(Addresses.CMD_STOP, "twice");
        Future<Object> second = whileStopping(Addresses.CMD_STOP, "twice");
        assertFalse(first.isComplete() || second.isComplete(), "neither stop is done before the app has exited");
        launcher.exit(pid, 0);
        Eventually.until("both stops' replies", () -> first.succeeded() && second.succeeded());
        assertEquals(List.of(Signal.SIGINT), launcher.signalsTo(pid), "one stop signal for both stops");
        assertEquals("stopped", GodOnBus.status(god.named("twice").get(0)));
    }

    @Test
    void aDeleteOfAStoppingAppRemovesItOnceItHasStopped() {
        int pid = startIgnoringSigint("gone", "60s");
        Future<Object> stop = whileStopping(Addresses.CMD_STOP, "gone");
        Future<Object> delete = whileStopping(Addresses.CMD_DELETE, "gone");
        assertFalse(delete.isComplete(), "the delete waits for the stop under way");
        launcher.exit(pid, 0);
        Eventually.until("the stop's and the delete's replies", () -> stop.succeeded() && delete.succeeded());
        assertTrue(god.named("gone").isEmpty(), "deleted: " + god.jlist());
        ProcessEvent deleted = god.awaitEvent("the delete's event", e -> ProcessEvent.DELETED.equals(e.to()));
        assertEquals("gone", deleted.app());
        assertEquals(List.of(Signal.SIGINT), launcher.signalsTo(pid));
        assertEquals(List.of(), List.copyOf(launcher.alive()));
    }

    @Test
    void aDeleteOfAnAppIgnoringItsSignalKillsItAfterKillTimeout() {
        launcher.forApp("stub", Script.runs().ignores(Signal.SIGINT, Signal.SIGTERM));
        god.start(god.app("stub").put("kill_timeout", 200));
        int pid = god.awaitStatus("stub", "online").getInteger("pid");
        god.delete("stub");
        assertTrue(god.jlist().isEmpty());
        assertEquals(List.of(Signal.SIGINT, Signal.SIGKILL), launcher.signalsTo(pid));
        assertFalse(launcher.alive().contains(pid));
    }

    /** A helper in a session of its own held the app's output; the launcher killed it. */
    @Test
    void whatARunLeftHoldingItsOutputIsNamedInTheStopAndDeleteReplies() {
        Escaped helper = new Escaped(4242, "sleep 1000", true);
        launcher.forApp("esc", Script.runs().leaves(helper));
        god.start(god.app("esc"));
        god.awaitStatus("esc", "online");
        String named = "a process that had left the app's process group still held its output after the app exited:"
                + " pid 4242 (sleep 1000), killed";

        JsonObject stopped = ((JsonArray) god.stop("esc")).getJsonObject(0);
        assertEquals("stopped", stopped.getString("status"));
        assertEquals(named, stopped.getString("escaped"));

        JsonObject started = god.start(god.app("esc")).getJsonObject(0);
        assertFalse(started.containsKey("escaped"), "a new run forgets the last one's: " + started);
        god.awaitStatus("esc", "online");
        assertEquals(named, ((JsonArray) god.delete("esc")).getJsonObject(0).getString("escaped"));
    }
}
