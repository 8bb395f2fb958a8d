package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A daemon that keeps dying (killed 1 s after each start) under apps that write fast: while no
 * daemon runs the keeper reads their pipes into their log files, so the writers never wait long
 * and never die; once it gives up it rests with the apps running, and the next command's daemon
 * adopts them (docs/ARCHITECTURE.md, "The keeper"). Before, the keeper ended at the sixth death,
 * closing the pipes it held: the writer died of SIGPIPE with what it had buffered (87,050 lines
 * lost in a trial), and the other apps were restarted with new pids.
 */
@WithoutTuning
class CrashLoopIT {
    /** The keeper's pauses between quick deaths (1 s each): it gives up at the fourth. */
    private static final Map<String, String> PAUSES = Map.of("JPM_KEEPER_PAUSES_S", "1 1");

    private static final int DEATHS = 4;

    @Test
    void theKeeperWritesTheAppsLinesBetweenDaemonsAndAfterGivingUpAndTheNextCommandAdoptsThem() throws Exception {
        try (Jpm jpm = new Jpm()) {
            Path fixture = Jpm.fixture("numbers_on.sh");
            assertEquals(
                    0,
                    jpm.cli(PAUSES, "start", fixture.toString(), "--name", "raw", "--", jpm.scratch + "/raw")
                            .exit());
            jpm.ok("start", fixture.toString(), "--name", "stamped", "--time", "--", jpm.scratch + "/stamped");
            List<JsonObject> apps = List.of(
                    jpm.awaitStatus("raw", "online").get(0),
                    jpm.awaitStatus("stamped", "online").get(0));
            DaemonAway.awaitRecorded(
                    jpm, apps.stream().map(a -> (long) a.getInteger("pid")).toList());
            long keeper = KeeperIT.parentOf(jpm.daemonPid());
            int daemon = jpm.daemonPid();
            for (int death = 1; death <= DEATHS; death++) {
                Thread.sleep(1000); // the loop the issue describes: each daemon killed 1 s after it answers
                DaemonAway.kill(jpm);
                if (death < DEATHS) {
                    daemon = DaemonAway.awaitNewDaemon(jpm, daemon);
                }
            }
            Path daemonLog = jpm.home.resolve("daemon.log");
            jpm.awaitLog(daemonLog.toString(), "trying again every 30 s, or when a jpm command asks");
            // resting: no daemon, the keeper alive, the writers alive and their lines still coming
            Path rawLog = Path.of(apps.get(0).getJsonObject("pm2_env").getString("pm_out_log_path"));
            long now = Files.size(rawLog);
            Jpm.await("lines written while no daemon runs", () -> size(rawLog) > now + 100_000 ? true : null);
            assertTrue(Jpm.alive(keeper), "the keeper rests, it does not end");
            for (JsonObject app : apps) {
                assertTrue(Jpm.alive(app.getInteger("pid")), app.encode());
            }

            // the next command asks the keeper for a daemon, which adopts every app
            Jpm.Result ls = jpm.ok("ls");
            assertTrue((ls.out() + ls.err()).contains("its keeper gave up at"), ls.toString());
            assertEquals(keeper, KeeperIT.parentOf(jpm.daemonPid()), "the same keeper started it");
            for (JsonObject app : apps) {
                JsonObject adopted =
                        jpm.awaitStatus(app.getString("name"), "online").get(0);
                assertEquals(app.getInteger("pid"), adopted.getInteger("pid"), adopted.encode());
                assertEquals(0, adopted.getJsonObject("pm2_env").getInteger("restart_time"), adopted.encode());
            }
            jpm.ok("stop", "all");
            for (JsonObject app : apps) {
                jpm.awaitStatus(app.getString("name"), "stopped");
                Path log = Path.of(app.getJsonObject("pm2_env").getString("pm_out_log_path"));
                assertNull(NoLineLostIT.wrongNumbers(log), log.toString());
            }
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
