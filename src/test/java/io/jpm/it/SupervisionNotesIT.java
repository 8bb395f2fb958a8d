package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A daemon that could not adopt its predecessor's apps, and started them again instead, says so
 * in one line under {@code jpm ls}'s table for as long as it runs (and on stderr of the command
 * that started it), with why: here state.json lost before a crash the keeper recovers from, and a
 * daemon without a keeper.
 */
class SupervisionNotesIT {
    private static final Map<String, String> NO_KEEPER = Map.of("JPM_KEEPER", "0");

    private static void kill9(long pid) throws Exception {
        new ProcessBuilder("kill", "-KILL", Long.toString(pid)).start().waitFor();
        Jpm.awaitGone(pid);
    }

    private static Integer answeringDaemon(Jpm jpm) {
        try {
            Path ready = jpm.home.resolve("daemon.json");
            return Files.isRegularFile(ready) ? new JsonObject(Files.readString(ready)).getInteger("pid") : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    @Test
    void aLostStateJsonIsNamedUnderTheTableAfterTheKeepersRestart() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "app");
            int pid = jpm.awaitStatus("app", "online").get(0).getInteger("pid");
            jpm.ok("save");
            Jpm.await("state.json written", () -> Files.isRegularFile(jpm.home.resolve("state.json")) ? true : null);
            Files.delete(jpm.home.resolve("state.json"));
            Files.deleteIfExists(jpm.home.resolve("state.json.bak")); // else the record is read from there
            int daemon = jpm.daemonPid();

            kill9(daemon);
            Jpm.await("a new daemon answering", Duration.ofSeconds(30), () -> {
                Integer again = answeringDaemon(jpm);
                return again != null && again != daemon ? again : null;
            });
            JsonObject app = Jpm.await("app running again", () -> {
                JsonObject p = jpm.named("app").get(0);
                return "online".equals(Jpm.status(p)) && p.getInteger("pid") != pid ? p : null;
            });
            assertNotEquals(pid, app.getInteger("pid"), "started again, not adopted");

            String note = "[jpm] apps restarted after a daemon crash: 1 (could not adopt: state.json was missing;"
                    + " restored from dump.json)\n";
            Jpm.Result ls = jpm.ok("ls");
            assertTrue(ls.out().endsWith(note), ls.toString());
            assertTrue(jpm.ok("ls").out().endsWith(note), "said while this daemon runs");
            assertTrue(jpm.readLog(jpm.home.resolve("daemon.log").toString())
                    .contains(note.substring(6).trim()));
        }
    }

    @Test
    void aDaemonWithoutAKeeperSaysItRestartedTheAppsOfTheOneThatDied() throws Exception {
        try (Jpm jpm = new Jpm()) {
            assertEquals(
                    0,
                    jpm.cli(NO_KEEPER, "start", Jpm.fixture("idle.sh").toString(), "--name", "app")
                            .exit());
            int pid = jpm.awaitStatus("app", "online").get(0).getInteger("pid");
            Jpm.await("state.json written", () -> {
                try {
                    return Files.readString(jpm.home.resolve("state.json")).contains("\"pid\" : " + pid) ? true : null;
                } catch (IOException e) {
                    return null;
                }
            });
            kill9(jpm.daemonPid());

            String note = "[jpm] apps restarted after a daemon crash: 1 (could not adopt: this daemon runs without a"
                    + " keeper (JPM_KEEPER=0, or no perl))\n";
            Jpm.Result first = jpm.cli(NO_KEEPER, "ls"); // starts the daemon: the note on stderr
            assertEquals(0, first.exit(), first.toString());
            assertTrue(first.err().contains(note), first.toString());
            jpm.awaitStatus("app", "online");
            Jpm.Result ls = jpm.ok("ls");
            assertTrue(ls.out().endsWith(note), ls.toString());
        }
    }
}
