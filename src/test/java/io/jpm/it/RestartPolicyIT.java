package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Smoke tests of supervision with real processes: a real crash loop, a real app that ignores its kill
 * signal, an exit seen while a child holds the pipes, a partial last line. Each policy case
 * (autorestart, stop_exit_codes, delays, backoff, kill_signal...) is tested over the bus with a fake
 * launcher in god/RestartOnExitTest and god/StopTest.
 */
@ExtendWith(JpmExtension.class)
@WithoutTuning
class RestartPolicyIT {

    @Test
    void aCrashLoopEndsErroredAfterMaxRestarts(Jpm jpm) {
        jpm.ok(
                "start",
                Jpm.fixture("crash.sh").toString(),
                "--name",
                "loop",
                "--max-restarts",
                "2",
                "--min-uptime",
                "5s");
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
