package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** pm2's restart policy on real exits: autorestart, max_restarts/min_uptime, stop_exit_codes, delays, kill_timeout. */
@ExtendWith(JpmExtension.class)
class RestartPolicyIT {

  @Test
  void aCrashLoopEndsErroredAfterMaxRestarts(Jpm jpm) {
    jpm.ok("start", Jpm.fixture("crash.sh").toString(), "--name", "loop", "--max-restarts", "2", "--min-uptime", "5s");
    JsonObject p = jpm.awaitStatus("loop", "errored").get(0);
    JsonObject env = p.getJsonObject("pm2_env");
    // pm2 7: max_restarts 2 runs the app twice (one restart), the 2nd unstable exit gives up
    assertEquals(2, env.getInteger("unstable_restarts"));
    assertEquals(1, env.getInteger("restart_time"));
    assertEquals(1, env.getInteger("exit_code"));
    assertEquals(0, p.getInteger("pid"));
    String log = jpm.readLog(env.getString("pm_out_log_path"));
    assertEquals(2, log.split("crash with 1", -1).length - 1, log);
  }

  @Test
  void aStopExitCodeIsNotRestarted(Jpm jpm) {
    jpm.ok("start", Jpm.fixture("crash.sh").toString(), "--name", "done", "--stop-exit-codes", "0,3", "--", "3");
    JsonObject p = jpm.awaitStatus("done", "stopped").get(0);
    assertEquals(3, p.getJsonObject("pm2_env").getInteger("exit_code"));
    assertEquals(0, p.getJsonObject("pm2_env").getInteger("restart_time"));
  }

  @Test
  void noAutorestartLeavesItStopped(Jpm jpm) {
    jpm.ok("start", Jpm.fixture("crash.sh").toString(), "--name", "once", "--no-autorestart", "--", "7");
    JsonObject p = jpm.awaitStatus("once", "stopped").get(0);
    assertEquals(7, p.getJsonObject("pm2_env").getInteger("exit_code"));
    assertEquals(false, p.getJsonObject("pm2_env").getBoolean("autorestart"));
  }

  @Test
  void aKilledAppComesBackAndTheSignalIsNamed(Jpm jpm) {
    jpm.ok("start", Jpm.fixture("tree.sh").toString(), "--name", "k");
    long pid = jpm.awaitStatus("k", "online").get(0).getInteger("pid");
    ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // SIGKILL
    JsonObject back = Jpm.await("a new pid for k", () -> {
      JsonObject p = jpm.named("k").get(0);
      return "online".equals(Jpm.status(p)) && p.getInteger("pid") != pid ? p : null;
    });
    assertEquals(1, back.getJsonObject("pm2_env").getInteger("restart_time"));
    assertEquals("SIGKILL", back.getJsonObject("jpm").getString("exit_signal"));
    assertNull(back.getJsonObject("pm2_env").getInteger("exit_code"));
  }

  @Test
  void restartDelayWaitsInWaitingRestart(Jpm jpm) {
    jpm.ok("start", Jpm.fixture("tree.sh").toString(), "--name", "slow", "--restart-delay", "4000");
    long pid = jpm.awaitStatus("slow", "online").get(0).getInteger("pid");
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    jpm.awaitStatus("slow", "waiting restart");
    JsonObject back = jpm.awaitStatus("slow", "online").get(0);
    assertNotEquals(pid, (long) back.getInteger("pid"));
  }

  @Test
  void anAppIgnoringItsKillSignalIsKilledAfterKillTimeout(Jpm jpm) {
    jpm.ok("start", Jpm.fixture("stubborn.sh").toString(), "--name", "stub", "--kill-timeout", "300");
    JsonObject p = jpm.awaitStatus("stub", "online").get(0);
    jpm.awaitLog(p.getJsonObject("pm2_env").getString("pm_out_log_path"), "ready");
    jpm.ok("stop", "stub");
    JsonObject stopped = jpm.named("stub").get(0);
    assertEquals("stopped", Jpm.status(stopped));
    assertEquals("SIGKILL", stopped.getJsonObject("jpm").getString("exit_signal"));
    Jpm.awaitGone(p.getInteger("pid"));
  }

  @Test
  void theKillSignalIsConfigurable(Jpm jpm) {
    jpm.ok("start", Jpm.fixture("tree.sh").toString(), "--name", "term", "--kill-signal", "SIGTERM");
    JsonObject p = jpm.awaitStatus("term", "online").get(0);
    jpm.ok("stop", "term");
    String log = jpm.awaitLog(p.getJsonObject("pm2_env").getString("pm_out_log_path"), "stopping");
    assertTrue(log.contains("stopping"));
    assertEquals(0, jpm.named("term").get(0).getJsonObject("pm2_env").getInteger("exit_code"));
  }

  @Test
  void anExitIsSeenEvenWhenAChildStillHoldsThePipes(Jpm jpm) {
    jpm.ok("start", Jpm.fixture("holdpipe.sh").toString(), "--name", "hold", "--no-autorestart");
    JsonObject p = jpm.awaitStatus("hold", "stopped").get(0);
    assertEquals(3, p.getJsonObject("pm2_env").getInteger("exit_code"));
    String log = jpm.readLog(p.getJsonObject("pm2_env").getString("pm_out_log_path"));
    long child = Long.parseLong(log.replaceAll("(?s).*child (\\d+).*", "$1"));
    Jpm.awaitGone(child);
  }

  @Test
  void aPartialLastLineIsWrittenWhenTheAppExits(Jpm jpm) {
    jpm.ok("start", Jpm.fixture("partial.sh").toString(), "--name", "part", "--no-autorestart");
    JsonObject p = jpm.awaitStatus("part", "stopped").get(0);
    String log = jpm.awaitLog(p.getJsonObject("pm2_env").getString("pm_out_log_path"), "no newline at end");
    assertEquals("line one\nno newline at end\n", log);
  }
}
