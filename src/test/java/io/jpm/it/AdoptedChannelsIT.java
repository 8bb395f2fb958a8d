package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The channel of an adopted Node run that is not in socket mode (jpm-ipc.js's connection to the
 * daemon's ipc.sock) closes with the daemon that spawned it (a SIGKILL here): the app sees it close
 * and its process.send returns false and drops the message meanwhile. The next daemon adopts the run
 * with the token the record kept, and the preload connects again: its code metrics are listed again
 * and a stop reaches it as the 'shutdown' message (docs/ARCHITECTURE.md, "The keeper").
 */
@WithoutTuning
class AdoptedChannelsIT {
    @Test
    void anAdoptedRunConnectsAgainReportsAndHearsItsShutdownMessage() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.ok(
                    "start",
                    Jpm.fixture("shutdown_message.js").toString(),
                    "--name",
                    "graceful",
                    "--shutdown-with-message",
                    "--kill-timeout",
                    "60000");
            JsonObject before = jpm.awaitStatus("graceful", "online").get(0);
            String out = before.getJsonObject("pm2_env").getString("pm_out_log_path");
            jpm.awaitLog(out, "up, connected true");
            DaemonAway.awaitRecorded(jpm, List.of(before.getLong("pid")));

            DaemonAway.awaitNewDaemon(jpm, DaemonAway.kill(jpm));
            JsonObject adopted = jpm.awaitStatus("graceful", "online").get(0);
            assertEquals(before.getInteger("pid"), adopted.getInteger("pid"), "adopted");
            jpm.awaitLog(out, "channel closed; process.send returns false");
            jpm.awaitLog(out, "channel open again");
            // the new daemon knew none of its figures: they come over the channel adopted
            Jpm.await(
                    "the adopted run's code metrics",
                    () -> jpm.named("graceful")
                                    .get(0)
                                    .getJsonObject("pm2_env")
                                    .getJsonObject("axm_monitor", new JsonObject())
                                    .containsKey("Heap Size")
                            ? true
                            : null);

            jpm.ok("stop", "graceful");
            jpm.awaitLog(out, "stopped by the shutdown message");
            jpm.awaitStatus("graceful", "stopped");
        }
    }

    /** The same after jpm update, whose next daemon takes the run over from the handover. */
    @Test
    void aRunAdoptedByAnUpdateConnectsAgainAndReports() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.ok("start", Jpm.fixture("shutdown_message.js").toString(), "--name", "kept", "--shutdown-with-message");
            JsonObject before = jpm.awaitStatus("kept", "online").get(0);
            String out = before.getJsonObject("pm2_env").getString("pm_out_log_path");
            jpm.awaitLog(out, "up, connected true");

            Jpm.Result update = jpm.ok("update");
            assertTrue(update.out().contains("[jpm] adopted 1, restarted 0\n"), update.out());
            jpm.awaitLog(out, "channel open again");
            Jpm.await(
                    "the adopted run's code metrics",
                    () -> jpm.named("kept")
                                    .get(0)
                                    .getJsonObject("pm2_env")
                                    .getJsonObject("axm_monitor", new JsonObject())
                                    .containsKey("Heap Size")
                            ? true
                            : null);
            assertEquals(before.getInteger("pid"), jpm.named("kept").get(0).getInteger("pid"), "adopted");
            jpm.ok("stop", "kept");
            jpm.awaitLog(out, "stopped by the shutdown message");
        }
    }
}
