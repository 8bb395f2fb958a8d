package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Eventually;
import io.jpm.testkit.FakeLauncher.Script;
import io.vertx.core.Future;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * pm2's wait_ready as God applies it: a run stays launching (and its start unanswered) until it says
 * it is ready, or is online anyway once listen_timeout has passed; an exit before ready is a crash.
 * With a fake launcher and fake app channels; ReadinessIT keeps the real doors (NOTIFY_SOCKET, Node's
 * process.send, shutdown_with_message).
 */
class ReadinessTest extends GodFixture {

    @Test
    void anAppIsLaunchingUntilItSaysReadyAndStartWaitsForIt() {
        Future<Object> start =
                god.startAsync(god.app("waits").put("wait_ready", true).put("listen_timeout", "60s"));
        god.awaitStatus("waits", "launching");
        int pid = Eventually.await(
                "the run's spawn",
                () -> launcher.spawnsOf("waits").isEmpty()
                        ? null
                        : launcher.spawnsOf("waits").get(0).pid());
        assertFalse(start.isComplete(), "start replies once the app is ready");
        assertTrue(launcher.ready(pid));
        Eventually.until("the start's reply", start::succeeded);
        JsonObject online = god.awaitStatus("waits", "online");
        assertTrue(online.getJsonObject("jpm").getString("last_reason").contains("ready (READY=1)"), online.encode());
    }

    @Test
    void anAppThatNeverSaysReadyIsOnlineAfterListenTimeoutAsInPm2() {
        god.start(god.app("silent").put("wait_ready", true).put("listen_timeout", 200));
        JsonObject online = god.named("silent").get(0);
        assertEquals("online", GodOnBus.status(online), "start replied once online");
        assertTrue(
                online.getJsonObject("jpm")
                        .getString("last_reason")
                        .contains("no ready signal within listen_timeout 200 ms"),
                online.encode());
    }

    @Test
    void anExitBeforeReadyIsACrashTheRestartPolicyHandles() {
        launcher.forApp("early", Script.runs().exitsAfter(50, 3));
        god.start(god.app("early")
                .put("wait_ready", true)
                .put("listen_timeout", "60s")
                .put("max_restarts", 2)
                .put("min_uptime", "60s"));
        JsonObject errored = god.awaitStatus("early", "errored");
        assertEquals(3, errored.getJsonObject("pm2_env").getInteger("exit_code"), errored.encode());
        assertEquals(1, GodOnBus.restartTime(errored), "max_restarts 2: two runs");
        assertEquals(2, launcher.spawnsOf("early").size());
    }

    @Test
    void theOptionsAreTypeChecked() {
        ReplyException refused = assertThrows(
                ReplyException.class, () -> god.start(god.app("bad").put("wait_ready", "yes")));
        assertTrue(refused.getMessage().contains("wait_ready"), refused.getMessage());
        assertTrue(god.named("bad").isEmpty());
        assertEquals(List.of(), launcher.spawns());
    }
}
