package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Exits that no daemon saw go through the restart policy as if it had.
 * An app that exits while no daemon runs (its keeper reaps it) and an app the killed daemon left
 * waiting restart keep their pm_id and restart counts: the first is restarted with restart_time + 1
 * (or stays stopped for a stop exit code, its exit code shown), the second when its restart_delay
 * runs out; nothing is started twice, and the output written before the exit is in the log. Before
 * the fix the new daemon started each of them again from scratch, its counts reset. An app that
 * exits just after the keeper wrote its inventory (while the new daemon starts) is seen too.
 */
class ExitsWhileNoDaemonRanIT {
    private static final Duration BACK_WITHIN = Duration.ofSeconds(30);

    private static JsonObject env(JsonObject process) {
        return process.getJsonObject("pm2_env");
    }

    private static JsonObject app(String name, int exitCode) {
        return Jpm.app(name, Jpm.fixture("exits-when-told.sh"))
                .put("env", new JsonObject().put("EXIT_CODE", Integer.toString(exitCode)));
    }

    /** The processes of each app in the daemon's record (state.json) by name; empty while it is written. */
    private static JsonObject recorded(Path state) {
        JsonObject byName = new JsonObject();
        try {
            for (Object o : new JsonObject(Files.readString(state)).getJsonArray("apps")) {
                JsonObject app = (JsonObject) o;
                byName.put(app.getString("name"), app.getJsonArray("processes"));
            }
        } catch (IOException | RuntimeException e) {
            return new JsonObject();
        }
        return byName;
    }

    private static List<String> starts(Jpm jpm, String name) throws IOException {
        return Files.readAllLines(jpm.scratch.resolve("starts-" + name));
    }

    /**
     * The starts of an app once its new run wrote its line: online comes with the spawn, the script's
     * line a moment later (seconds on a loaded machine); a third start would still show.
     */
    private static List<String> startsOnceBashRan(Jpm jpm, String name) throws IOException {
        Jpm.await("the second run of " + name + " recorded", () -> {
            try {
                return starts(jpm, name).size() >= 2 ? true : null;
            } catch (IOException e) {
                return null;
            }
        });
        return starts(jpm, name);
    }

    @Test
    void exitsNoDaemonSawGoThroughTheRestartPolicyWithTheirCounts() throws Exception {
        try (Jpm jpm = new Jpm()) {
            // the waiter exits at once and waits 20 s for its restart: the daemon is killed meanwhile (8 s
            // ran out in CI before the test, its CLI calls slow under load, saw it waiting)
            Files.writeString(jpm.scratch.resolve("go-waiter"), "");
            Path file = jpm.ecosystem(
                    "ecosystem.json",
                    app("ender", 3),
                    app("stopper", 7).put("stop_exit_codes", new JsonArray().add(7)),
                    app("waiter", 1).put("restart_delay", 20_000),
                    app("late", 4));
            jpm.ok("start", file.toString());
            int ender = jpm.pidOf("ender");
            int stopper = jpm.pidOf("stopper");
            int late = jpm.pidOf("late");
            JsonObject waiting = jpm.awaitStatus("waiter", "waiting restart").get(0);
            assertEquals(0, env(waiting).getInteger("restart_time"));
            Path state = jpm.home.resolve("state.json");
            // the record written after the waiter's exit: its run gone, the two others running
            Jpm.await("the record of the three apps", () -> {
                JsonObject byName = recorded(state);
                return byName.size() == 4
                                && byName.getJsonArray("waiter").isEmpty()
                                && byName.getJsonArray("late").size() == 1
                                && byName.getJsonArray("ender").size() == 1
                                && byName.getJsonArray("stopper").size() == 1
                        ? true
                        : null;
            });

            int daemon = jpm.daemonPid();
            long keeper = ProcessHandle.of(daemon)
                    .flatMap(ProcessHandle::parent)
                    .map(ProcessHandle::pid)
                    .orElseThrow();
            // the keeper held still: the daemon stays dead while two apps exit, which fall to the keeper
            Jpm.signal("STOP", keeper);
            try {
                Jpm.signal("KILL", daemon);
                Jpm.awaitGone(daemon);
                Files.writeString(jpm.scratch.resolve("go-ender"), "");
                Files.writeString(jpm.scratch.resolve("go-stopper"), "");
                Jpm.awaitGone(ender);
                Jpm.awaitGone(stopper);
            } finally {
                Jpm.signal("CONT", keeper);
            }
            // late exits once the keeper runs again: after its inventory, while the new daemon starts
            Files.writeString(jpm.scratch.resolve("go-late"), "");
            // with no command: the keeper starts the daemon again, which says so in daemon.json
            Jpm.await("a new daemon answering", BACK_WITHIN, () -> {
                try {
                    Path ready = jpm.home.resolve("daemon.json");
                    Integer pid = Files.isRegularFile(ready)
                            ? new JsonObject(Files.readString(ready)).getInteger("pid")
                            : null;
                    return pid != null && pid != daemon ? pid : null;
                } catch (IOException | RuntimeException e) {
                    return null;
                }
            });

            // ender exited with 3 while no daemon ran: restarted, once, as its policy says
            JsonObject restarted = Jpm.await("ender restarted", () -> {
                JsonObject p = jpm.named("ender").get(0);
                return "online".equals(Jpm.status(p)) && p.getInteger("pid") != ender ? p : null;
            });
            assertEquals(1, env(restarted).getInteger("restart_time"), restarted.encode());
            String out = jpm.awaitLog(env(restarted).getString("pm_out_log_path"), "idles");
            assertTrue(out.contains("run " + ender + " exits with 3\n"), "written before it died: " + out);
            assertEquals(2, starts(jpm, "ender").size(), "started once again: " + starts(jpm, "ender"));

            // stopper exited with a stop exit code: stopped, its code shown, not started again
            JsonObject stopped = jpm.awaitStatus("stopper", "stopped").get(0);
            assertEquals(7, env(stopped).getInteger("exit_code"), stopped.encode());
            assertEquals(0, env(stopped).getInteger("restart_time"));
            assertEquals(List.of(Integer.toString(stopper)), starts(jpm, "stopper"));

            // the waiter keeps its pm_id and counts and restarts when its delay runs out: restart_time 1
            JsonObject waited = Jpm.await("waiter restarted", () -> {
                JsonObject p = jpm.named("waiter").get(0);
                return "online".equals(Jpm.status(p)) ? p : null;
            });
            assertEquals(waiting.getInteger("pm_id"), waited.getInteger("pm_id"));
            assertEquals(1, env(waited).getInteger("restart_time"), waited.encode());
            assertEquals(1, env(waited).getInteger("unstable_restarts"), "its unstable exit still counted");
            assertEquals(2, startsOnceBashRan(jpm, "waiter").size(), "started once again: " + starts(jpm, "waiter"));
            assertNotEquals(waiting.getInteger("pid"), waited.getInteger("pid"));

            // late, gone before the new daemon read its record or not (either way its exit is seen)
            JsonObject lateAgain = Jpm.await("late restarted", () -> {
                JsonObject p = jpm.named("late").get(0);
                return "online".equals(Jpm.status(p)) && p.getInteger("pid") != late ? p : null;
            });
            assertEquals(1, env(lateAgain).getInteger("restart_time"), lateAgain.encode());
            assertTrue(jpm.readLog(env(lateAgain).getString("pm_out_log_path"))
                    .contains("run " + late + " exits with 4\n"));
            assertEquals(2, startsOnceBashRan(jpm, "late").size(), "started once again: " + starts(jpm, "late"));

            String log = jpm.readLog(jpm.home.resolve("daemon.log").toString());
            assertTrue(log.contains(" instance(s) waiting restart"), log);
            assertTrue(
                    log.matches("(?s).*through the restart policy: [23] run\\(s\\) that ended while no daemon ran.*"),
                    log);
            jpm.ok("delete", "all");
        }
    }
}
