package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Satan's restarts on real processes: a hung HTTP app (alive, not answering its probe), an app
 * growing past max_memory_restart, cron_restart every second, watched and ignored files,
 * errored_retry, and the refusals of bad options.
 */
@ExtendWith(JpmExtension.class)
@WithoutTuning
class SatanIT {
    /** Slack over a deadline the options give, for a machine busy with other builds. */
    private static final Duration SLACK = Duration.ofSeconds(20);

    /** A health option: the check ({@code http} or {@code exec}: what), its interval, timeout and threshold. */
    private static JsonObject health(String kind, String what, String interval, String timeout, int unhealthyAfter) {
        return new JsonObject()
                .put(kind, what)
                .put("interval", interval)
                .put("timeout", timeout)
                .put("unhealthy_after", unhealthyAfter);
    }

    /**
     * An HTTP check of a python3 server: refusals before its first pass do not count for 20 s. The
     * server may take seconds to listen with the ITs side by side on two cores (CI: every check of a
     * start refused, the run restarted for it, never healthy in 30 s); its hang, after it passed, counts at once.
     */
    private static JsonObject httpHealth(int unhealthyAfter) {
        return health("http", "/healthz", "1s", "500ms", unhealthyAfter).put("start_period", "20s");
    }

    /** An app's options: its name and a fixture as its script. */
    private static JsonObject app(String name, String fixture) {
        return Jpm.app(name, Jpm.fixture(fixture));
    }

    /** {@code jpm start} of an ecosystem file named after the app, with that app alone. */
    private static void start(Jpm jpm, JsonObject app) throws IOException {
        String name = app.getString("name");
        jpm.ok("start", ecosystem(jpm, name, app).toString());
    }

    /**
     * Waits until the one run of {@code name} is healthy; returns it. A timeout says what the run's
     * supervision showed last and the daemon's last lines, since the test's home is gone after it.
     */
    private static JsonObject awaitHealthy(Jpm jpm, String name) {
        try {
            return Jpm.await(name + " healthy", () -> {
                JsonObject p = one(jpm, name);
                return healthy(p) ? p : null;
            });
        } catch (AssertionError e) {
            List<String> log = jpm.readLog(jpm.home.resolve("daemon.log").toString())
                    .lines()
                    .toList();
            throw new AssertionError(e.getMessage() + "; last seen: "
                    + jpm.named(name).stream()
                            .map(p -> p.getInteger("pid") + " " + Jpm.status(p) + " " + p.getJsonObject("jpm"))
                            .toList()
                    + "\ndaemon.log's last lines:\n"
                    + String.join("\n", log.subList(Math.max(0, log.size() - 40), log.size())));
        }
    }

    /** Satan's last health check of the run passed. */
    private static boolean healthy(JsonObject process) {
        return "healthy".equals(process.getJsonObject("jpm").getString("health"));
    }

    /** Healthy, and ready in the balancer's rotation. */
    private static boolean healthyInRotation(JsonObject process) {
        return healthy(process)
                && "ready"
                        .equals(process.getJsonObject("jpm")
                                .getJsonObject("balancer", new JsonObject())
                                .getString("state"));
    }

    private static Path ecosystem(Jpm jpm, String name, JsonObject app) throws IOException {
        return jpm.ecosystem(name + ".json", app);
    }

    private static JsonObject one(Jpm jpm, String name) {
        return jpm.named(name).get(0);
    }

    private static int restarts(JsonObject p) {
        return p.getJsonObject("pm2_env").getInteger("restart_time");
    }

    /** The next online run of {@code name} after the one with {@code pid}. */
    private static JsonObject awaitNewRun(Jpm jpm, String name, long pid, Duration deadline) {
        return Jpm.await("a new online run of " + name + " after pid " + pid, deadline, () -> {
            JsonObject p = one(jpm, name);
            return "online".equals(Jpm.status(p)) && p.getInteger("pid") != pid ? p : null;
        });
    }

    @Test
    void aHungHttpAppIsRestartedWithinIntervalTimesThreshold(Jpm jpm) throws IOException {
        int port = Ports.free();
        JsonObject app = app("web", "hangable_http.py")
                .put("env", new JsonObject().put("PORT", port))
                .put("health", httpHealth(3));
        start(jpm, app);
        JsonObject healthy = awaitHealthy(jpm, "web");
        assertTrue(jpm.ok("ls").out().contains("healthy"), "ls shows the health column");
        long pid = healthy.getInteger("pid");
        Files.createFile(jpm.scratch.resolve("hang-" + pid)); // stays alive, answers nobody
        assertTrue(Jpm.alive(pid));

        JsonObject back =
                awaitNewRun(jpm, "web", pid, Duration.ofMillis(3 * 1000 + 500).plus(SLACK));
        assertEquals(1, restarts(back));
        String reason = back.getJsonObject("jpm").getString("watchdog_restart");
        assertTrue(reason.startsWith("unhealthy: health http /healthz: timed out after 500 ms (3 in a row)"), reason);
        Jpm.awaitGone(pid);
        String described = jpm.ok("describe", "web").out();
        assertTrue(described.contains("unhealthy: health http /healthz"), described);
        Jpm.await("the new run healthy", () -> healthy(one(jpm, "web")) ? true : null);
    }

    @Test
    void aHungBalancedInstanceIsReloadedAndTheBalancerWaitsForHealthy(Jpm jpm) throws Exception {
        int port = Ports.free();
        JsonObject app = app("hb", "hangable_http.py")
                .put("instances", 2)
                .put("port", port)
                // generous for a python start on a loaded machine, and short enough that, were the
                // replacement never ready, the restart in place still lands within the deadline below
                .put("listen_timeout", "10s")
                .put("health", httpHealth(3));
        start(jpm, app);
        List<JsonObject> ready = Jpm.await("both instances healthy and in rotation", () -> {
            List<JsonObject> all = jpm.named("hb");
            return all.size() == 2 && all.stream().allMatch(SatanIT::healthyInRotation) ? all : null;
        });
        assertEquals(200, get(port));
        long hung = ready.get(0).getInteger("pid");
        int hungId = ready.get(0).getInteger("pm_id");
        Files.createFile(jpm.scratch.resolve("hang-" + hung));

        Jpm.await(
                "the hung instance replaced by a healthy one in rotation",
                Duration.ofSeconds(4).plus(SLACK),
                () -> {
                    List<JsonObject> all = jpm.named("hb");
                    return all.size() == 2
                                    && all.stream().noneMatch(p -> p.getInteger("pid") == hung)
                                    && all.stream().allMatch(SatanIT::healthyInRotation)
                            ? true
                            : null;
                });
        assertTrue(jpm.readLog(jpm.home.resolve("daemon.log").toString())
                .contains("unhealthy: health http /healthz: timed out after 500 ms"));
        // the replacement took the hung run's pm_id (pm2's reload keeps ids), and Satan watches it
        JsonObject replacement = jpm.named("hb").stream()
                .filter(p -> p.getInteger("pm_id") == hungId)
                .findFirst()
                .orElseThrow(() -> new AssertionError("pm_id " + hungId + " gone: " + jpm.named("hb")));
        assertNotEquals(hung, (long) replacement.getInteger("pid"));
        Jpm.awaitGone(hung);
        assertEquals(200, get(port));
    }

    @Test
    void anUnhealthyBalancedInstanceWhoseReplacementNeverGetsReadyIsRestartedInPlace(Jpm jpm) throws Exception {
        int port = Ports.free();
        JsonObject app = app("hr", "hangable_http.py")
                .put("exec_mode", "cluster")
                .put("port", port)
                // long enough for python3 to start and answer with the ITs side by side (a pyenv shim
                // alone takes 0.4 s on an idle machine), as the other health tests here: a 300 ms probe
                // and a 1 s listen timeout failed under a full verify's load; the replacement that never
                // gets healthy is still given up after the listen timeout
                .put("listen_timeout", "3s")
                .put("health", httpHealth(2));
        start(jpm, app);
        long pid = awaitHealthy(jpm, "hr").getInteger("pid");
        Path hangAll = jpm.scratch.resolve("hang-all"); // the replacement hangs as well, so it is never ready
        Files.createFile(hangAll);
        try {
            awaitRestartInPlace(jpm, pid);
        } finally {
            Files.deleteIfExists(hangAll); // the other tests' instances must answer
        }
        Jpm.await("hr healthy again and in rotation", () -> {
            JsonObject p = one(jpm, "hr");
            return healthyInRotation(p) ? true : null;
        });
        assertEquals(200, get(port));
    }

    /**
     * The reload failed and pm_id 0 was restarted in place: the daemon says so, and the table shows
     * one run of the app (no reload's old run beside it) online with a new pid.
     */
    private static void awaitRestartInPlace(Jpm jpm, long pid) {
        JsonObject inPlace = Jpm.await(
                "pm_id 0 restarted in place after the failed reload",
                Duration.ofSeconds(5).plus(SLACK),
                () -> {
                    if (!jpm.readLog(jpm.home.resolve("daemon.log").toString()).contains("restarting it in place")) {
                        return null;
                    }
                    List<JsonObject> all = jpm.named("hr");
                    return all.size() == 1
                                    && Integer.valueOf(0).equals(all.get(0).getValue("pm_id"))
                                    && all.get(0).getInteger("pid") != pid
                                    && "online".equals(Jpm.status(all.get(0)))
                            ? all.get(0)
                            : null;
                });
        assertTrue(restarts(inPlace) >= 1, inPlace.encodePrettily());
        Jpm.awaitGone(pid);
    }

    private static int get(int port) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/").openConnection();
        c.setConnectTimeout(10_000);
        c.setReadTimeout(10_000);
        try {
            return c.getResponseCode();
        } finally {
            c.disconnect();
        }
    }

    @Test
    void anExecProbeThatFailsRestartsAndItsReasonIsTheExitCode(Jpm jpm) throws IOException {
        Path flag = jpm.scratch.resolve("exec-healthy");
        Files.createFile(flag);
        JsonObject app = app("ex", "idle.sh").put("health", health("exec", "test -f " + flag, "500ms", "400ms", 2));
        start(jpm, app);
        Jpm.await("ex healthy", () -> healthy(one(jpm, "ex")) ? true : null);
        long pid = one(jpm, "ex").getInteger("pid");
        Files.delete(flag);
        JsonObject back = awaitNewRun(jpm, "ex", pid, Duration.ofSeconds(2).plus(SLACK));
        assertTrue(
                back.getJsonObject("jpm")
                        .getString("watchdog_restart")
                        .contains("exec test -f " + flag + ": exited with code 1"),
                back.encodePrettily());
    }

    @Test
    void anAppGrowingPastItsMemoryLimitIsRestarted(Jpm jpm) throws IOException {
        jpm.ok("start", Jpm.fixture("grow.py").toString(), "--name", "mem", "--max-memory-restart", "80M");
        long pid = jpm.awaitStatus("mem", "online").get(0).getInteger("pid");
        Files.createFile(jpm.scratch.resolve("grow-" + pid));
        JsonObject back = awaitNewRun(jpm, "mem", pid, SLACK);
        String reason = back.getJsonObject("jpm").getString("watchdog_restart");
        assertTrue(reason.matches("memory [\\d.]+M over max_memory_restart 80.0M"), reason);
        assertEquals(80L * 1024 * 1024, back.getJsonObject("pm2_env").getLong("max_memory_restart"));
        assertEquals(1, restarts(back));
    }

    @Test
    void cronRestartWithSecondsRestartsEverySecond(Jpm jpm) {
        jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "cron", "--cron", "* * * * * *");
        JsonObject p = Jpm.await("two cron restarts", SLACK, () -> {
            JsonObject q = one(jpm, "cron");
            return restarts(q) >= 2 ? q : null;
        });
        assertEquals("cron_restart '* * * * * *'", p.getJsonObject("jpm").getString("watchdog_restart"));
        assertEquals("* * * * * *", p.getJsonObject("pm2_env").getString("cron_restart"));
    }

    @Test
    void anInvalidCronIsRefusedAtStartWithTheReason(Jpm jpm) {
        Jpm.Result r = jpm.cli(
                "start", Jpm.fixture("idle.sh").toString(), "--name", "badcron", "--cron-restart", "0 25 * * *");
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("option 'cron_restart' is not a valid cron expression '0 25 * * *'"), r.toString());
        assertTrue(jpm.named("badcron").isEmpty(), "nothing started");
    }

    @Test
    void aWatchedFileRestartsOnceAndAnIgnoredOneDoesNot(Jpm jpm) throws IOException {
        Path appDir = Files.createDirectories(jpm.scratch.resolve("watched-app"));
        Files.createDirectories(appDir.resolve("src/deep"));
        Files.createDirectories(appDir.resolve("cache"));
        JsonObject app = app("w", "idle.sh")
                .put("cwd", appDir.toString())
                .put("watch", true)
                .put("ignore_watch", new JsonArray().add("cache").add("*.tmp"))
                .put("watch_delay", "500ms");
        start(jpm, app);
        long pid = jpm.awaitStatus("w", "online").get(0).getInteger("pid");
        Jpm.await(
                "the watch in place",
                () -> jpm.readLog(jpm.home.resolve("daemon.log").toString()).contains("(w) watches") ? true : null);

        // ignored changes, then a burst of changes to one watched file: one restart naming only it
        Files.writeString(appDir.resolve("cache/data.bin"), "x");
        Files.writeString(appDir.resolve("src/deep/notes.tmp"), "x");
        Path watched = appDir.resolve("src/deep/server.conf");
        for (int i = 0; i < 5; i++) {
            Files.writeString(watched, "edit " + i);
        }
        JsonObject back = awaitNewRun(jpm, "w", pid, SLACK);
        String reason = back.getJsonObject("jpm").getString("watchdog_restart");
        assertEquals("watch: " + watched + " changed", reason);
        assertEquals(1, restarts(back));

        // restart --watch turns watching off, like pm2: the next change restarts nothing
        jpm.ok("restart", "w", "--watch");
        JsonObject off = Jpm.await("watch off", () -> {
            JsonObject p = one(jpm, "w");
            return !p.getJsonObject("pm2_env").getBoolean("watch") && "online".equals(Jpm.status(p)) ? p : null;
        });
        assertEquals(2, restarts(off));
        assertFalse(jpm.ok("describe", "w").out().contains("✔"));
        jpm.ok("restart", "w", "--watch");
        Jpm.await("watch on again", () -> one(jpm, "w").getJsonObject("pm2_env").getBoolean("watch") ? true : null);

        // stop --watch stops the app and its watching, as pm2's does
        jpm.ok("stop", "w", "--watch");
        JsonObject stopped = jpm.awaitStatus("w", "stopped").get(0);
        assertFalse(stopped.getJsonObject("pm2_env").getBoolean("watch"), stopped.encode());
    }

    @Test
    void anAppWatchingTheFolderItsLogsAreInIsNotRestartedByItsOwnLines(Jpm jpm) throws IOException {
        // a real file's pattern (compat/corpus 24): watch '.', out_file and error_file in ./logs
        Path appDir = Files.createDirectories(jpm.scratch.resolve("logs-inside"));
        JsonObject app = app("chatty", "ticker.sh")
                .put("cwd", appDir.toString())
                .put("watch", true)
                .put("watch_delay", "300ms")
                .put("out_file", appDir.resolve("logs/out.log").toString())
                .put("error_file", appDir.resolve("logs/err.log").toString())
                .put("pid_file", appDir.resolve("chatty.pid").toString());
        start(jpm, app);
        long pid = jpm.awaitStatus("chatty", "online").get(0).getInteger("pid");
        Jpm.await(
                "the watch in place",
                () -> jpm.readLog(jpm.home.resolve("daemon.log").toString()).contains("(chatty) watches")
                        ? true
                        : null);
        // four seconds of lines into the watched folder, a restart would start the count again
        Jpm.await(
                "tick 40 in the log",
                () -> jpm.readLog(appDir.resolve("logs/out.log").toString()).contains("tick 40\n") ? true : null);
        JsonObject still = one(jpm, "chatty");
        assertEquals(0, restarts(still), still.encode());
        assertEquals(pid, still.getInteger("pid").longValue());

        Files.writeString(appDir.resolve("config.json"), "{}");
        JsonObject back = awaitNewRun(jpm, "chatty", pid, SLACK);
        assertEquals(
                "watch: " + appDir.resolve("config.json") + " changed",
                back.getJsonObject("jpm").getString("watchdog_restart"));
    }

    @Test
    void startWatchWatchesTheAppFolder(Jpm jpm) throws IOException {
        Path appDir = Files.createDirectories(jpm.scratch.resolve("cli-watch"));
        jpm.ok(
                "start",
                Jpm.fixture("idle.sh").toString(),
                "--name",
                "cw",
                "--cwd",
                appDir.toString(),
                "--watch",
                "--watch-delay",
                "300");
        long pid = jpm.awaitStatus("cw", "online").get(0).getInteger("pid");
        JsonObject watchdog = one(jpm, "cw").getJsonObject("jpm").getJsonObject("watchdog");
        assertEquals(new JsonArray().add(appDir.toString()), watchdog.getJsonArray("watch_paths"));
        assertEquals(300, watchdog.getLong("watch_delay"));
        Jpm.await(
                "the watch in place",
                () -> jpm.readLog(jpm.home.resolve("daemon.log").toString()).contains("(cw) watches") ? true : null);
        Files.writeString(appDir.resolve("new-file.txt"), "x");
        JsonObject back = awaitNewRun(jpm, "cw", pid, SLACK);
        assertTrue(back.getJsonObject("jpm").getString("watchdog_restart").contains("new-file.txt"));
    }

    @Test
    void erroredRetryBringsAnErroredAppBack(Jpm jpm) throws IOException {
        JsonObject app = app("retry", "crash.sh")
                .put("max_restarts", 0)
                .put("min_uptime", "10s")
                .put("errored_retry", "1s");
        start(jpm, app);
        Jpm.await("errored at least twice (each retry ends errored again)", SLACK, () -> {
            String log = jpm.readLog(jpm.home.resolve("daemon.log").toString());
            return log.split("\\(retry\\): errored_retry after 1000 ms", -1).length - 1 >= 2 ? true : null;
        });
    }

    @Test
    void badOptionsAreRefusedFromTheCommandLine(Jpm jpm) {
        Jpm.Result r =
                jpm.cli("start", Jpm.fixture("idle.sh").toString(), "--name", "badmem", "--max-memory-restart", "much");
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("app 'badmem': option 'max_memory_restart' must be a size"), r.toString());
        r = jpm.cli(
                "start", Jpm.fixture("idle.sh").toString(), "--name", "baddelay", "--watch", "--watch-delay", "soon");
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("--watch-delay expects a duration"), r.toString());
        assertTrue(jpm.named("badmem").isEmpty() && jpm.named("baddelay").isEmpty());
    }
}
