package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * SIGSTOP of the daemon for 35 s, then SIGCONT: no line lost, no app restarted, and the
 * keeper, which sees only the daemon's death, does not take a stopped daemon for a dead one. While
 * the daemon is stopped an app that writes waits on its full pipe: that is the bound, not a loss. The
 * hang timeout is shorter than the stop: the stopped time is no task's (HangIT stops one mid-task).
 * A Node app in socket mode that calls listen() while the daemon is stopped listens once it resumes:
 * its request waits as a cluster worker's for its primary. Before, the preload gave up after 30 s,
 * the app's server had an 'error' and it exited, to be restarted (a worker marked ready by pm2's 3 s
 * rule before it listened, stopped with the daemon under a CI run's load).
 */
@WithoutTuning
class DaemonStoppedIT {
    /** Longer than the preload's 30 s before it asks for its socket again. */
    private static final long STOPPED_MS = 35_000;

    /** What is wrong with the numbers in {@code file}, null when nothing: 1, 2, 3, ... each once, in order, no gap. */
    private static String wrongNumbers(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).equals(Integer.toString(i + 1))) {
                return "line " + (i + 1) + " is '" + lines.get(i) + "'";
            }
        }
        return lines.isEmpty() ? "no line" : null;
    }

    private static Map<Integer, String> runsOf(Jpm jpm) {
        return jpm.jlist().stream()
                .map(JsonObject.class::cast)
                .collect(Collectors.toMap(
                        p -> p.getInteger("pm_id"),
                        p -> p.getInteger("pid") + " restarts "
                                + p.getJsonObject("pm2_env").getInteger("restart_time") + " "
                                + Jpm.status(p)));
    }

    /** Each run's error log and daemon.log, last lines: why a run that should not have ended did. */
    private static String whatTheyWrote(Jpm jpm) {
        StringBuilder out = new StringBuilder();
        for (Object p : jpm.jlist()) {
            JsonObject env = ((JsonObject) p).getJsonObject("pm2_env");
            out.append(lastLines(
                    jpm, "pm_id " + env.getValue("pm_id") + "'s error log", env.getString("pm_err_log_path")));
        }
        return out.append(lastLines(
                        jpm, "daemon.log", jpm.home.resolve("daemon.log").toString()))
                .toString();
    }

    private static String lastLines(Jpm jpm, String what, String path) {
        if (path == null) {
            return "";
        }
        List<String> lines = jpm.readLog(path).lines().toList();
        return "\n--- " + what + "\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static void signal(String name, int pid) throws Exception {
        assertEquals(
                0,
                new ProcessBuilder("kill", "-" + name, Integer.toString(pid))
                        .start()
                        .waitFor());
    }

    @Test
    void aDaemonStoppedFor35sLosesNoLineRestartsNoAppAndAnswersAListenAskedMeanwhile() throws Exception {
        try (Jpm jpm = new Jpm()) {
            jpm.settings(new JsonObject().put("satan", new JsonObject().put("hang_timeout", "10s")));
            int port = Ports.free();
            jpm.ok("start", Jpm.fixture("numbers.sh").toString(), "--name", "numbers");
            ClusterIT.start(
                    jpm,
                    Map.of("APP_PORT", Integer.toString(port)),
                    List.of("start", Jpm.fixture("hello_cluster.js").toString(), "--name", "web", "-i", "2"));
            ClusterIT.awaitReady(jpm, "web", 2);
            int latePort = Ports.free();
            Path listenNow = jpm.scratch.resolve("listen-now");
            ClusterIT.start(
                    jpm,
                    Map.of("APP_PORT", Integer.toString(latePort), "LISTEN_WHEN_FILE", listenNow.toString()),
                    List.of("start", Jpm.fixture("hello_cluster.js").toString(), "--name", "late", "-i", "1"));
            JsonObject late = jpm.awaitStatus("late", "online").get(0);
            JsonObject numbers = jpm.awaitStatus("numbers", "online").get(0);
            Path out = Path.of(numbers.getJsonObject("pm2_env").getString("pm_out_log_path"));
            jpm.awaitLog(out.toString(), "\n500\n");
            Map<Integer, String> before = runsOf(jpm);
            int daemon = jpm.daemonPid();

            signal("STOP", daemon);
            try {
                Files.writeString(listenNow, "");
                // the scenario itself, not a wait for a state: the daemon stays stopped this long
                Thread.sleep(STOPPED_MS);
            } finally {
                signal("CONT", daemon);
            }

            AdoptionIT.awaitMoreLines(out, "more lines after SIGCONT");
            Load.getRoot(port, 4);
            // (a run started again would say so too, with its own pid: the runs below tell which)
            jpm.awaitLog(late.getJsonObject("pm2_env").getString("pm_out_log_path"), "listening on " + latePort);
            Map<Integer, String> after = runsOf(jpm);
            assertEquals(before, after, () -> "the same runs, none restarted; " + whatTheyWrote(jpm));
            Load.getRoot(latePort, 2);
            assertEquals(daemon, jpm.daemonPid(), "the same daemon");
            String log = jpm.readLog(jpm.home.resolve("daemon.log").toString());
            assertFalse(log.contains("starting it again"), "the keeper started no second daemon: " + log);
            assertFalse(log.contains("hang: "), "no task taken for hung: " + log);

            jpm.ok("stop", "numbers");
            Jpm.awaitGone(numbers.getInteger("pid"));
            assertEquals(null, wrongNumbers(out));
            jpm.ok("delete", "all");
        }
    }
}
