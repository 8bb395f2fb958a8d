package io.jpm.god;

import static io.jpm.god.GodOnBus.restartTime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.process.Signal;
import io.jpm.protocol.ProcessEvent;
import io.jpm.testkit.Eventually;
import io.jpm.testkit.FakeLauncher.Script;
import io.jpm.testkit.LoggedLines;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * pm2's restart policy as God applies it to exits (autorestart, max_restarts with min_uptime,
 * stop_exit_codes, restart_delay, exp_backoff_restart_delay), with a fake launcher. The policy's
 * arithmetic alone is RestartPolicyTest's; one real crash loop stays in RestartPolicyIT.
 */
class RestartOnExitTest extends GodFixture {

    @Test
    void aCrashLoopEndsErroredAfterMaxRestarts() {
        launcher.forApp("loop", Script.exits(1).prints("crash with 1"));
        god.start(god.app("loop").put("max_restarts", 2).put("min_uptime", "5s"));
        JsonObject p = god.awaitStatus("loop", "errored");
        JsonObject env = p.getJsonObject("pm2_env");
        // pm2 7: max_restarts 2 runs the app twice (one restart), the 2nd unstable exit gives up
        assertEquals(2, env.getInteger("unstable_restarts"));
        assertEquals(1, env.getInteger("restart_time"));
        assertEquals(1, env.getInteger("exit_code"));
        assertEquals(0, p.getInteger("pid"));
        assertEquals(2, launcher.spawnsOf("loop").size());
        Eventually.until(
                "both runs' lines shipped to the logs",
                () -> god.output().stream()
                                .filter(l -> l.app().equals("loop") && l.line().equals("crash with 1"))
                                .count()
                        == 2);
    }

    @Test
    void runsLongerThanMinUptimeAreNotCountedAgainstMaxRestarts() {
        // each run outlasts min_uptime: with max_restarts 1 a crash loop of unstable runs would stop at once
        launcher.forApp("steady", Script.runs().exitsAfter(150, 1));
        god.start(god.app("steady").put("max_restarts", 1).put("min_uptime", 50));
        Eventually.until("three runs", () -> launcher.spawnsOf("steady").size() >= 3);
        JsonObject p = god.named("steady").get(0);
        assertNotEquals("errored", GodOnBus.status(p));
        assertEquals(0, p.getJsonObject("pm2_env").getInteger("unstable_restarts"));
    }

    @Test
    void aStopExitCodeIsNotRestarted() {
        launcher.forApp("done", Script.exits(3));
        god.start(god.app("done").put("stop_exit_codes", new JsonArray().add(0).add(3)));
        JsonObject p = god.awaitStatus("done", "stopped");
        assertEquals(3, p.getJsonObject("pm2_env").getInteger("exit_code"));
        assertEquals(0, restartTime(p));
        assertEquals(1, launcher.spawnsOf("done").size());
    }

    @Test
    void anExitCodeNotInStopExitCodesIsRestarted() {
        launcher.forApp("again", Script.exits(4), Script.runs());
        god.start(god.app("again").put("stop_exit_codes", new JsonArray().add(0).add(3)));
        Eventually.until("a second run", () -> launcher.spawnsOf("again").size() == 2);
        JsonObject p = god.awaitStatus("again", "online");
        assertEquals(1, restartTime(p));
    }

    @Test
    void anExitNobodyAskedForIsToldInTheDaemonLogAndAStopIsNot() {
        try (LoggedLines log = LoggedLines.of("jpm.god")) {
            launcher.forApp("told", Script.exits(4), Script.runs());
            god.start(god.app("told"));
            JsonObject p = god.awaitStatus("told", "online");
            int crashed = launcher.spawnsOf("told").get(0).pid();
            Eventually.until("the exit told", () -> log.all().stream()
                    .anyMatch(l -> l.matches("pm_id 0 \\(told\\) pid " + crashed
                            + " ended after \\d+ ms up: exited with code 4; restart in 0 ms")));
            god.stop("told");
            god.awaitStatus("told", "stopped");
            assertEquals(
                    1,
                    log.all().stream().filter(l -> l.contains(" ended after ")).count(),
                    "an exit after a stop is not told: " + log.all() + " " + p);
        }
    }

    @Test
    void noAutorestartLeavesItStopped() {
        launcher.forApp("once", Script.exits(7));
        god.start(god.app("once").put("autorestart", false));
        JsonObject p = god.awaitStatus("once", "stopped");
        assertEquals(7, p.getJsonObject("pm2_env").getInteger("exit_code"));
        assertEquals(false, p.getJsonObject("pm2_env").getBoolean("autorestart"));
        assertEquals(1, launcher.spawnsOf("once").size());
    }

    @Test
    void aKilledAppComesBackAndTheSignalIsNamed() {
        god.start(god.app("k"));
        int pid = god.awaitStatus("k", "online").getInteger("pid");
        launcher.kill(pid, Signal.SIGKILL);
        JsonObject back = Eventually.await("a new pid for k", () -> {
            JsonObject p = god.named("k").get(0);
            return "online".equals(GodOnBus.status(p)) && p.getInteger("pid") != pid ? p : null;
        });
        assertEquals(1, restartTime(back));
        assertEquals("SIGKILL", back.getJsonObject("jpm").getString("exit_signal"));
        assertNull(back.getJsonObject("pm2_env").getInteger("exit_code"));
    }

    @Test
    void restartDelayWaitsInWaitingRestart() {
        god.start(god.app("slow").put("restart_delay", 300));
        int pid = god.awaitStatus("slow", "online").getInteger("pid");
        launcher.exit(pid, 1);
        ProcessEvent waiting = god.awaitEvent("waiting restart", e -> "waiting restart".equals(e.to()));
        assertTrue(waiting.reason().endsWith("restart in 300 ms"), waiting.reason());
        JsonObject back = god.awaitStatus("slow", "online");
        assertNotEquals(pid, back.getInteger("pid"));
    }

    @Test
    void expBackoffGrowsByHalfAtEachUnstableRestart() {
        launcher.forApp("flaky", Script.exits(1), Script.exits(1), Script.exits(1), Script.runs());
        god.start(god.app("flaky").put("exp_backoff_restart_delay", 100));
        god.awaitStatus("flaky", "online");
        Eventually.until("the fourth run", () -> launcher.spawnsOf("flaky").size() == 4);
        List<String> delays = god.eventsTo("flaky", "waiting restart").stream()
                .map(e -> e.reason().replaceAll(".*restart in ", ""))
                .toList();
        assertEquals(List.of("100 ms", "150 ms", "225 ms"), delays);
    }

    @Test
    void expBackoffStartsOverAfterAReset() {
        launcher.forApp("flaky", Script.exits(1), Script.exits(1), Script.runs());
        god.start(god.app("flaky").put("exp_backoff_restart_delay", 100));
        int third = Eventually.await("the third run online", () -> {
            JsonObject p = god.named("flaky").get(0);
            return launcher.spawnsOf("flaky").size() == 3 && "online".equals(GodOnBus.status(p))
                    ? p.getInteger("pid")
                    : null;
        });
        god.reset("flaky");
        launcher.exit(third, 1);
        Eventually.until("the fourth run", () -> launcher.spawnsOf("flaky").size() == 4);
        List<String> delays = god.eventsTo("flaky", "waiting restart").stream()
                .map(e -> e.reason().replaceAll(".*restart in ", ""))
                .toList();
        assertEquals(List.of("100 ms", "150 ms", "100 ms"), delays);
    }
}
