package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A daemon killed with SIGKILL touches no app (docs/ARCHITECTURE.md, "The keeper"): its keeper
 * starts it again with no command typed, and the new daemon adopts every instance as it was (same
 * pid, pm_id, restart count and uptime, online); the lines an app wrote meanwhile are in its log,
 * every one once and in order; an adopted instance's exit is seen and the restart policy applies.
 */
@WithoutTuning
class AdoptionIT {

    private static JsonObject env(JsonObject process) {
        return process.getJsonObject("pm2_env");
    }

    /** Waits until {@code out} holds 1,000 bytes more than now: the run it is the log of writes on. */
    static void awaitMoreLines(Path out, String what) throws IOException {
        long size = Files.size(out);
        Jpm.await(what, () -> {
            try {
                return Files.size(out) > size + 1000 ? true : null;
            } catch (IOException e) {
                return null;
            }
        });
    }

    /**
     * What is wrong with the numbers in {@code file}, null when nothing: they must start at 1, each once,
     * in order, whole, none missing: the lines the killed daemon had read and not yet written too (its
     * output journal: docs/ARCHITECTURE.md, "The keeper"), and every line the app wrote while no
     * daemon ran.
     */
    static String wrongNumbers(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        long previous = 0;
        for (int i = 0; i < lines.size(); i++) {
            long n;
            try {
                n = Long.parseLong(lines.get(i));
            } catch (NumberFormatException e) {
                return "line " + (i + 1) + " is not a whole number: '" + lines.get(i) + "'";
            }
            if (n <= previous) {
                return "line " + (i + 1) + " is " + n + " after " + previous + ": doubled or out of order";
            }
            if (n != previous + 1) {
                return "line " + (i + 1) + " is " + n + " after " + previous + ": lines lost";
            }
            previous = n;
        }
        return lines.isEmpty() ? "no line" : null;
    }

    @Test
    void aKilledDaemonIsReplacedAndTheNewOneAdoptsEveryInstanceWithEveryLine() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.ok("start", Jpm.fixture("numbers.sh").toString(), "--name", "numbers");
            jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "quiet", "-i", "2");
            jpm.ok("restart", "quiet"); // restart_time 1 each, which the adoption keeps
            List<JsonObject> before = List.of(
                    jpm.awaitStatus("numbers", "online").get(0),
                    jpm.awaitStatus("quiet", "online").get(0),
                    jpm.awaitStatus("quiet", "online").get(1));
            // the daemon's record holds the runs as they are now (it is kept current on each change)
            Jpm.await("the record of the restarted runs", () -> {
                try {
                    String state = Files.readString(jpm.home.resolve("state.json"));
                    return before.stream().allMatch(p -> state.contains("\"pid\" : " + p.getInteger("pid")))
                            ? true
                            : null;
                } catch (IOException e) {
                    return null;
                }
            });
            Path out = Path.of(env(before.get(0)).getString("pm_out_log_path"));
            jpm.awaitLog(out.toString(), "\n500\n");

            int daemon = jpm.daemonPid();
            new ProcessBuilder("kill", "-KILL", Integer.toString(daemon))
                    .start()
                    .waitFor();
            Jpm.awaitGone(daemon);
            DaemonAway.awaitNewDaemon(jpm, daemon);

            for (JsonObject was : before) {
                JsonObject now = jpm.jlist().stream()
                        .map(JsonObject.class::cast)
                        .filter(p -> p.getInteger("pm_id").equals(was.getInteger("pm_id")))
                        .findFirst()
                        .orElseThrow();
                assertEquals(was.getInteger("pid"), now.getInteger("pid"), "adopted with its pid: " + now.encode());
                assertEquals(was.getString("name"), now.getString("name"));
                assertEquals("online", Jpm.status(now));
                assertEquals(env(was).getInteger("restart_time"), env(now).getInteger("restart_time"));
                assertEquals(env(was).getLong("pm_uptime"), env(now).getLong("pm_uptime"), "its uptime goes on");
            }
            assertEquals(1, env(before.get(1)).getInteger("restart_time"));
            String log = jpm.readLog(jpm.home.resolve("daemon.log").toString());
            assertTrue(log.contains("3 running instance(s) adopted, 0 leftover process group(s) stopped"), log);

            // the lines written while no daemon ran are in the log, and the adopted run's keep coming
            awaitMoreLines(out, "more lines from the adopted run");
            jpm.ok("stop", "numbers"); // its exit comes from the keeper, its parent now
            jpm.awaitStatus("numbers", "stopped");
            Jpm.awaitGone(before.get(0).getInteger("pid"));
            assertEquals(null, wrongNumbers(out));

            // an adopted instance that dies is seen, and restarted by its policy
            int quiet = before.get(1).getInteger("pid");
            ProcessHandle.of(quiet).ifPresent(ProcessHandle::destroyForcibly);
            JsonObject again = Jpm.await("quiet restarted", () -> {
                JsonObject p = jpm.named("quiet").stream()
                        .filter(q -> q.getInteger("pm_id").equals(before.get(1).getInteger("pm_id")))
                        .findFirst()
                        .orElseThrow();
                return "online".equals(Jpm.status(p)) && p.getInteger("pid") != quiet ? p : null;
            });
            assertNotEquals(quiet, again.getInteger("pid"));
            assertEquals(2, env(again).getInteger("restart_time"));

            jpm.ok("delete", "all");
            Jpm.awaitGone(before.get(2).getInteger("pid"));
        }
    }
}
