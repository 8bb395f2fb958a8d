package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The daemon's record (state.json) names an app as soon as it is started, not after a burst's
 * delay: a SIGKILL of the daemon right after {@code jpm start} returns leaves the app in the record,
 * and the next daemon adopts it with its pid. Before, the record was written 300 ms after the last
 * change, and an app started within that window ran on outside the table until the next daemon
 * stopped it as a leftover.
 */
class RecordAtOnceIT {
    @Test
    void anAppStartedJustBeforeTheDaemonIsKilledIsAdopted() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.ok("ping"); // the daemon is up before: only the start's record is raced
            jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "late");
            int daemon = DaemonAway.kill(jpm);
            DaemonAway.awaitNewDaemon(jpm, daemon);
            List<JsonObject> adopted = jpm.awaitStatus("late", "online");
            assertEquals(1, adopted.size());
            String log = jpm.readLog(jpm.home.resolve("daemon.log").toString());
            assertTrue(log.contains("1 running instance(s) adopted, 0 leftover process group(s) stopped"), log);
        }
    }
}
