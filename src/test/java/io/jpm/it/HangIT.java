package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.it.hooks.HangHooks;
import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The daemon's one way to recover from a hang (docs/ARCHITECTURE.md, "A hang"): a verticle whose
 * thread one task holds past {@code satan.hang_timeout} (held for real through the test-only agent
 * {@link HangHooks} the daemon is started with) ends the daemon with a thread dump in daemon.log; the
 * keeper starts the next daemon, which adopts every app as after a {@code kill -9}: same pids, no line
 * lost or doubled. A daemon stopped (SIGSTOP) while a task runs is not hung: the stopped time is no
 * task's.
 */
@WithoutTuning
class HangIT {
    /** A daemon with the fault-injection agent: the daemon's code has no test hook of its own. */
    private static final Map<String, String> TEST_DAEMON = testDaemon();

    private static final Duration BACK_WITHIN = Duration.ofSeconds(60);
    /** The stalls' bound: each ends the daemon, or is released by the test, long before. */
    private static final long STALL_BOUND_MS = 300_000;

    private static Map<String, String> testDaemon() {
        try {
            return Map.of(
                    "JPM_DAEMON_OPTS",
                    "-Xms8m -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -javaagent:" + HangHooks.jar());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the test daemon: the fault-injection agent, and {@code hangTimeout} in jpm.json. */
    private static void startDaemon(Jpm jpm, String hangTimeout) throws IOException {
        Files.createDirectories(jpm.home);
        Files.writeString(
                jpm.home.resolve("jpm.json"),
                new JsonObject()
                        .put("satan", new JsonObject().put("hang_timeout", hangTimeout))
                        .encode());
        Jpm.Result ping = jpm.cli(TEST_DAEMON, "ping");
        assertEquals(0, ping.exit(), ping.toString());
    }

    private static String daemonLog(Jpm jpm) {
        return jpm.readLog(jpm.home.resolve("daemon.log").toString());
    }

    /** Holds {@code name}'s thread (one task) until released or {@code boundMs}; returns once it holds it. */
    private static void stall(Jpm jpm, String name, long boundMs) throws IOException {
        int stalls = count(daemonLog(jpm), "test hook: " + name + " stalled");
        Files.writeString(jpm.home.resolve("test-hang-" + name), Long.toString(boundMs));
        Jpm.await(
                name + " stalled",
                Duration.ofSeconds(60),
                () -> count(daemonLog(jpm), "test hook: " + name + " stalled") > stalls ? true : null);
    }

    private static int count(String text, String what) {
        return text.split(Pattern.quote(what), -1).length - 1;
    }

    private static Map<Integer, String> runs(Jpm jpm) {
        Map<Integer, String> runs = new java.util.TreeMap<>();
        for (Object o : jpm.jlist()) {
            JsonObject p = (JsonObject) o;
            runs.put(
                    p.getInteger("pm_id"),
                    p.getString("name") + " pid " + p.getInteger("pid") + " " + Jpm.status(p) + " restarts "
                            + p.getJsonObject("pm2_env").getInteger("restart_time"));
        }
        return runs;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The LogAggregator held on a worker thread, then God on its event loop, each past the hang
     * timeout, while a fork app writes numbered lines and a cluster app serves: each time the daemon
     * dumps its threads and exits (70), its keeper starts the next, and that one adopts every run.
     */
    @Test
    void aStuckVerticleEndsTheDaemonAndTheNextAdoptsEveryApp() throws Exception {
        try (Jpm jpm = new Jpm()) {
            startDaemon(jpm, "5s");
            int port = Ports.free();
            jpm.ok("start", Jpm.fixture("numbers.sh").toString(), "--name", "numbers");
            ClusterIT.start(
                    jpm,
                    Map.of("APP_PORT", Integer.toString(port)),
                    List.of("start", Jpm.fixture("hello_cluster.js").toString(), "--name", "web", "-i", "2"));
            ClusterIT.awaitReady(jpm, "web", 2);
            JsonObject numbers = jpm.awaitStatus("numbers", "online").get(0);
            Path out = Path.of(numbers.getJsonObject("pm2_env").getString("pm_out_log_path"));
            jpm.awaitLog(out.toString(), "\n500\n");
            Map<Integer, String> before = runs(jpm);
            assertEquals(3, before.size(), before.toString());

            int daemon = jpm.daemonPid();
            for (String name : List.of("logs", "god")) {
                int hangs = count(daemonLog(jpm), "hang: ");
                stall(jpm, name, STALL_BOUND_MS);
                int next = DaemonAway.awaitNewDaemon(jpm, daemon, BACK_WITHIN);
                Jpm.awaitGone(daemon);
                String log = daemonLog(jpm);
                assertEquals(hangs + 1, count(log, "hang: "), log);
                // the stuck thread named with its verticle, first, its stack in the agent's stall; then every thread
                Matcher dump = Pattern.compile("hang: (vert\\.x-(?:worker|eventloop)-thread-\\d+) \\(" + name
                                + "\\) has run one task for (\\d+) ms, past hang_timeout \\(5000 ms\\): the daemon"
                                + " exits \\(code 70\\)[^\n]*\nthe stuck thread:\n\"\\1\" [A-Z_]+, task for \\d+ ms \\("
                                + name
                                + "\\)\n(?:    at [^\n]*\n)*?    at [^\n]*io\\.jpm\\.it\\.hooks\\.HangHooks\\.stall")
                        .matcher(log);
                assertTrue(dump.find(), log);
                assertTrue(Long.parseLong(dump.group(2)) >= 5000, dump.group());
                String after = log.substring(dump.start());
                assertTrue(after.contains("\nevery thread:\n"), after);
                assertTrue(after.contains("\n\"vert.x-acceptor-thread-0\" "), after);
                assertTrue(after.contains("\ncollections since the daemon started: "), after);
                assertTrue(
                        log.contains("the daemon (pid " + daemon + ") ended (exit code 70); starting it again"), log);

                assertEquals(before, runs(jpm), "every run adopted, the same pids, none restarted");
                assertEquals(next, jpm.daemonPid());
                Load.getRoot(port, 4);
                long size = size(out);
                Jpm.await("more lines from the adopted run", () -> size(out) > size + 1000 ? true : null);
                daemon = next;
            }
            jpm.ok("stop", "numbers");
            Jpm.awaitGone(numbers.getInteger("pid"));
            assertEquals(null, AdoptionIT.wrongNumbers(out));
            jpm.ok("delete", "all");
        }
    }

    /**
     * An OutOfMemoryError is a crash, not something to live with: the daemon exits at once (3), and
     * its keeper's next daemon adopts every run. Before, Vert.x logged it and the daemon went on with
     * the loop it had hit serving nothing.
     */
    @Test
    void anOutOfMemoryErrorEndsTheDaemonAndTheNextAdoptsEveryApp() throws Exception {
        try (Jpm jpm = new Jpm()) {
            startDaemon(jpm, "60s");
            jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "app");
            DaemonAway.awaitRecorded(jpm, List.of((long) jpm.pidOf("app")));
            Map<Integer, String> before = runs(jpm);
            int daemon = jpm.daemonPid();
            Files.writeString(jpm.home.resolve("test-oom-god"), "");
            int next = DaemonAway.awaitNewDaemon(jpm, daemon, BACK_WITHIN);
            String log = daemonLog(jpm);
            assertTrue(log.contains("the daemon (pid " + daemon + ") ended (exit code 3); starting it again"), log);
            assertEquals(next, jpm.daemonPid());
            assertEquals(before, runs(jpm), "every run adopted, the same pids, none restarted");
        }
    }

    /**
     * SIGSTOP of the daemon while a task holds the LogAggregator's thread, for longer than the hang
     * timeout: the tick after SIGCONT comes late by the stopped time, which is not counted; the task
     * is released before it has been held the timeout while the daemon ran, and nothing ends.
     */
    @Test
    void aDaemonStoppedWhileATaskRunsIsNotHung() throws Exception {
        try (Jpm jpm = new Jpm()) {
            startDaemon(jpm, "10s");
            jpm.ok("start", Jpm.fixture("numbers.sh").toString(), "--name", "numbers");
            JsonObject numbers = jpm.awaitStatus("numbers", "online").get(0);
            int daemon = jpm.daemonPid();

            stall(jpm, "logs", STALL_BOUND_MS);
            // jpm ping tells it, from the hang check's view of the threads
            Jpm.await("logs busy in jpm ping", Duration.ofSeconds(30), () -> {
                String ping = jpm.ok("ping").out();
                return ping.matches("(?s).*logs: busy \\d+ ms,.*") ? ping : null;
            });
            assertTrue(jpm.ok("ping").out().contains("god: ok"));
            new ProcessBuilder("kill", "-STOP", Integer.toString(daemon))
                    .start()
                    .waitFor();
            try {
                // the scenario itself, not a wait for a state: stopped longer than the hang timeout
                Thread.sleep(15_000);
            } finally {
                new ProcessBuilder("kill", "-CONT", Integer.toString(daemon))
                        .start()
                        .waitFor();
            }
            Jpm.await(
                    "the late tick noted",
                    Duration.ofSeconds(30),
                    () -> daemonLog(jpm).contains("hang check: a tick came ") ? true : null);
            Files.writeString(jpm.home.resolve("test-release-logs"), "");
            Jpm.await(
                    "logs released",
                    Duration.ofSeconds(30),
                    () -> daemonLog(jpm).contains("test hook: logs released") ? true : null);

            Path out = Path.of(numbers.getJsonObject("pm2_env").getString("pm_out_log_path"));
            long size = size(out);
            Jpm.await("lines written again", () -> size(out) > size + 1000 ? true : null);
            assertEquals(daemon, jpm.daemonPid(), "the same daemon");
            String log = daemonLog(jpm);
            assertFalse(log.contains("hang: "), log);
            assertFalse(log.contains("starting it again"), log);
            assertTrue(jpm.ok("ping").out().contains("logs: ok"));
            jpm.ok("delete", "all");
        }
    }
}
