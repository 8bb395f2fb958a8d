package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The channel of an adopted Node run that is not in socket mode (jpm-ipc.js's connection to the
 * daemon's ipc.sock, for wait_ready and shutdown_with_message) is not carried over a SIGKILL of the
 * daemon (docs/ARCHITECTURE.md, "The keeper"): the app sees it close, its process.send returns false
 * and drops the message (it queued them in memory for good before), and a stop of the adopted run
 * falls back to its kill_signal, as for any app that cannot hear the 'shutdown' message.
 */
class AdoptedChannelsIT {
    @Test
    void anAdoptedRunWithoutItsChannelIsStoppedByItsKillSignal() throws Exception {
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

            jpm.ok("stop", "graceful");
            jpm.awaitLog(out, "stopped by SIGINT");
            jpm.awaitStatus("graceful", "stopped");
        }
    }
}
