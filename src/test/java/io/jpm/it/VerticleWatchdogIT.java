package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.it.hooks.HangHooks;
import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Satan pings the daemon's verticles; one made to stop answering (a real stall of its thread,
 * through the test-only agent {@link io.jpm.it.hooks.HangHooks} the daemon is started with) is logged and redeployed,
 * and the fresh one rebuilds its state and does the work. (Until the stuck one is free and
 * undeployed, the bus still hands it its share of messages: they wait for it, then it forwards
 * them to the fresh one; none is lost.)
 *
 * <p>The daemon pings often ({@link #SATAN}), and each stall lasts until the test has seen what it
 * waits for while the verticle is stuck, then is ended by the test ({@link #release}).
 */
class VerticleWatchdogIT {
    private static final Map<String, String> TEST_DAEMON = testDaemon();
    /**
     * jpm.json's satan section for these tests: a hang is noticed 2 to 4.5 s after it began rather
     * than 2 to 7 s (the default 5 s period). The timeout stays the default 2 s: what a test does
     * while the verticle is stuck (kill an app, start one) is done before the fresh one takes over.
     * The period stays above the timeout, as by default, so one ping has timed out before the next
     * is sent.
     */
    private static final JsonObject SATAN =
            new JsonObject().put("ping_interval", "2500ms").put("ping_timeout", "2s");

    private static final String NOT_ANSWERED = " did not answer its ping within 2000 ms";
    /** The longest a stall may last; each test ends its stall sooner ({@link #release}). */
    private static final long STALL_BOUND_MS = 60_000;

    /** A daemon with the fault-injection agent: the daemon's code has no test hook of its own. */
    private static Map<String, String> testDaemon() {
        try {
            return Map.of(
                    "JPM_DAEMON_OPTS",
                    "-Xms8m -Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -javaagent:" + HangHooks.jar());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts the test daemon: the fault-injection agent, and Satan's settings in jpm.json. */
    private static void startDaemon(Jpm jpm) throws IOException {
        Files.createDirectories(jpm.home);
        Files.writeString(
                jpm.home.resolve("jpm.json"),
                new JsonObject().put("satan", SATAN).encode());
        Jpm.Result ping = jpm.cli(TEST_DAEMON, "ping");
        assertEquals(0, ping.exit(), ping.toString());
    }

    /** Stalls {@code name}'s thread until {@link #release} or {@code boundMs}; returns once the stall began. */
    private static void stall(Jpm jpm, String name, long boundMs) throws IOException {
        String daemonLog = jpm.home.resolve("daemon.log").toString();
        Jpm.await(
                name + " answering",
                Duration.ofSeconds(60),
                () -> jpm.readLog(daemonLog).contains(name + " answers its ping") ? true : null);
        Files.writeString(jpm.home.resolve("test-hang-" + name), Long.toString(boundMs));
        Jpm.await(
                name + " stalled",
                Duration.ofSeconds(60),
                () -> jpm.readLog(daemonLog).contains("test hook: " + name + " stalled") ? true : null);
    }

    /** Ends the stall of {@code name}: its thread runs again, so the old deployment can be undeployed. */
    private static void release(Jpm jpm, String name) throws IOException {
        Files.writeString(jpm.home.resolve("test-release-" + name), "");
    }

    @Test
    void aHungLogAggregatorIsRedeployedAndLogsFlowAgain() throws Exception {
        try (Jpm jpm = new Jpm()) {
            startDaemon(jpm);
            String daemonLog = jpm.home.resolve("daemon.log").toString();

            // stuck past a ping period plus its timeout; the old deployment is undeployed once it is free
            stall(jpm, "logs", STALL_BOUND_MS);
            Jpm.await(
                    "the hang noticed",
                    Duration.ofSeconds(60),
                    () -> jpm.readLog(daemonLog).contains("logs" + NOT_ANSWERED) ? true : null);
            // the redeploy says what the loop is stuck in (Vert.x's own blocked-thread checker is closed)
            String log = Jpm.await(
                    "the redeploy logged",
                    Duration.ofSeconds(60),
                    () -> jpm.readLog(daemonLog).contains("redeploying logs") ? jpm.readLog(daemonLog) : null);
            assertTrue(
                    log.matches(
                            "(?s).*redeploying logs \\(deployment [^)]+\\); the daemon's busy threads:\n.*  vert\\.x-worker-thread-\\d+ is at:.*HangHooks\\.stall.*"),
                    log);
            release(jpm, "logs");
            Jpm.await(
                    "logs redeployed",
                    Duration.ofSeconds(60),
                    () -> jpm.readLog(daemonLog).contains("redeployed logs") ? true : null);
            Jpm.await(
                    "the old deployment gone",
                    Duration.ofSeconds(60),
                    () -> jpm.readLog(daemonLog).matches("(?s).*old logs deployment \\S+ undeployed\n.*")
                            ? true
                            : null);
            assertTrue(
                    jpm.readLog(daemonLog).split("redeployed logs", -1).length == 2,
                    "redeployed once: " + jpm.readLog(daemonLog));

            jpm.ok("start", Jpm.fixture("crash.sh").toString(), "--name", "after", "--no-autorestart", "--", "0");
            String out = jpm.awaitStatus("after", "stopped")
                    .get(0)
                    .getJsonObject("pm2_env")
                    .getString("pm_out_log_path");
            jpm.awaitLog(out, "crash with 0"); // written by the fresh LogAggregator
            Jpm.await("logs answering again", Duration.ofSeconds(60), () -> {
                String text = jpm.ok("ping").out();
                return text.contains("logs: answering") ? text : null;
            });
        }
    }

    /**
     * Stalls {@code name}, runs {@code whileStuck} once the stall began, ends the stall once it is
     * noticed; returns once the fresh one runs and the old one is undeployed.
     */
    private static void stallAndAwaitRedeploy(Jpm jpm, String name, Runnable whileStuck) throws Exception {
        stallAndAwaitRedeploy(jpm, name, STALL_BOUND_MS, whileStuck);
    }

    private static void stallAndAwaitRedeploy(Jpm jpm, String name, long boundMs, Runnable whileStuck)
            throws Exception {
        String daemonLog = jpm.home.resolve("daemon.log").toString();
        stall(jpm, name, boundMs);
        whileStuck.run();
        Jpm.await(
                "the hang noticed",
                Duration.ofSeconds(60),
                () -> jpm.readLog(daemonLog).contains(name + NOT_ANSWERED) ? true : null);
        // the fresh deployment takes over before the stuck thread runs again: let go first, the hung
        // one would handle what it missed itself (an exit queued for it) while the fresh one copies
        // its table. A fresh one that landed on the stuck event loop cannot start before the release:
        // after a bounded wait the stall ends anyway, and a later generation takes over.
        try {
            Jpm.await(
                    name + " redeployed while the old one is stuck",
                    Duration.ofSeconds(8),
                    () -> jpm.readLog(daemonLog).contains("redeployed " + name + ":") ? true : null);
        } catch (AssertionError onTheStuckLoop) {
            // released below; the awaits after it hold the test to the outcome
        }
        release(jpm, name);
        Jpm.await(
                name + " redeployed",
                Duration.ofSeconds(60),
                () -> jpm.readLog(daemonLog).contains("redeployed " + name + ":") ? true : null);
        Jpm.await(
                "the old deployment gone",
                Duration.ofSeconds(60),
                () -> jpm.readLog(daemonLog).matches("(?s).*old " + name + " deployment \\S+ undeployed\n.*")
                        ? true
                        : null);
        assertEquals(
                2,
                jpm.readLog(daemonLog).split("redeployed " + name + ":", -1).length,
                "redeployed once: " + jpm.readLog(daemonLog));
        // not jpm.ok: a verticle on the stuck event loop (God, when it shares the balancer's) may
        // still be reported as not answering until its next ping
        Jpm.await(name + " answering again", Duration.ofSeconds(60), () -> {
            String text = jpm.cli("ping").out();
            return text.contains(name.equals("god") ? "god: ok" : name + ": answering") ? text : null;
        });
    }

    /** The process groups (main pids: each run starts its own session) of every process of this daemon's apps. */
    private static Set<Long> appGroups(Jpm jpm) {
        String mark = "JPM_HOME=" + jpm.home;
        Set<Long> groups = new TreeSet<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .toList()) {
                try {
                    String env = new String(Files.readAllBytes(proc.resolve("environ")), StandardCharsets.UTF_8);
                    List<String> vars = Arrays.asList(env.split("\0"));
                    // apps get their pm_id; the daemon and the CLI have JPM_HOME only
                    if (!vars.contains(mark) || vars.stream().noneMatch(v -> v.startsWith("pm_id="))) {
                        continue;
                    }
                    String stat = Files.readString(proc.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    if (!fields[0].equals("Z")) {
                        groups.add(Long.parseLong(fields[2])); // state, ppid, pgrp
                    }
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile, or not ours to read
                }
            }
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return groups;
    }

    private static long pidOf(Jpm jpm, String name) {
        return jpm.named(name).get(0).getLong("pid");
    }

    /**
     * God made to stop answering: a fresh God takes its processes over. One app's process is killed
     * while God is stuck, so its exit is queued for the hung God: the fresh one restarts it; another
     * was being restarted (still stopping) when God hung: the fresh one finishes the restart; the
     * others keep their pids (the balanced ones serve on, no request fails), a stopped one stays
     * stopped, and the fresh one answers commands. Once the hung thread comes back and is undeployed,
     * no process is left that the table does not list.
     */
    @Test
    void aHungGodIsRedeployedAndTheFreshOneTakesItsProcessesOver() throws Exception {
        try (Jpm jpm = new Jpm()) {
            startDaemon(jpm);
            String daemonLog = jpm.home.resolve("daemon.log").toString();
            String idle = Jpm.fixture("idle.sh").toString();
            jpm.ok("start", idle, "--name", "kept");
            jpm.ok("start", idle, "--name", "killed");
            jpm.ok("start", idle, "--name", "resting");
            jpm.ok("stop", "resting");
            int port = Ports.free();
            startBalanced(jpm, "web", port, "http");
            long kept = jpm.awaitStatus("kept", "online").get(0).getLong("pid");
            long killed = jpm.awaitStatus("killed", "online").get(0).getLong("pid");
            jpm.awaitStatus("resting", "stopped");
            Set<Long> webPids = awaitReady(jpm, "web");
            // a restart under way when God hangs: its app ignores the stop signal, so it is still
            // stopping, waiting for kill_timeout, when the fresh God takes over and resumes it
            jpm.ok("start", Jpm.fixture("stubborn.sh").toString(), "--name", "slow", "--kill-timeout", "6000");
            long slow = jpm.awaitStatus("slow", "online").get(0).getLong("pid");
            CompletableFuture<Jpm.Result> restarting = CompletableFuture.supplyAsync(() -> jpm.cli("restart", "slow"));
            jpm.awaitStatus("slow", "stopping");

            // keep-alive requests all along: the balancer shares God's stuck event loop here, none fails
            try (Load web = new Load(port, true, 2)) {
                web.awaitPids(webPids);
                stallAndAwaitRedeploy(jpm, "god", () -> {
                    ProcessHandle.of(killed).ifPresent(ProcessHandle::destroyForcibly);
                    Jpm.awaitGone(killed);
                });
                web.pids.clear();
                web.awaitMore(20);
                web.awaitPids(webPids);
                web.close();
                assertEquals(0, web.failed.get(), web.report());
            }
            // generation 2, or a later one when the fresh ones landed on the stuck event loop first
            assertTrue(
                    jpm.readLog(daemonLog)
                            .matches(
                                    "(?s).*god redeployed \\(generation \\d\\): took over 6 instance\\(s\\), "
                                            + "4 running child\\(ren\\) adopted, 1 exit\\(s\\) it missed handled, 0 started again, 0 orphan\\(s\\) killed\n.*"),
                    jpm.readLog(daemonLog));
            assertEquals(webPids, awaitReady(jpm, "web"), "the balanced instances adopted, in rotation");

            assertEquals(kept, pidOf(jpm, "kept"), "adopted with its pid");
            long restarted = jpm.awaitStatus("killed", "online").get(0).getLong("pid");
            assertTrue(restarted != killed, "the exit the hung God missed was acted on");
            assertEquals(1, jpm.named("killed").get(0).getJsonObject("pm2_env").getInteger("restart_time"));
            assertEquals("stopped", Jpm.status(jpm.named("resting").get(0)));
            long slowAgain = Jpm.await("slow restarted by the fresh God", () -> {
                JsonObject p = jpm.named("slow").get(0);
                return "online".equals(Jpm.status(p)) && p.getLong("pid") != slow ? p.getLong("pid") : null;
            });
            assertEquals(1, jpm.named("slow").get(0).getJsonObject("pm2_env").getInteger("restart_time"));
            Jpm.awaitGone(slow);
            restarting.cancel(false); // its reply was the hung God's to send

            // the hung God is back and undeployed (what it still did is fenced: SpawnedChildrenTest): nothing
            // runs that the table does not list
            Set<Long> listed = new TreeSet<>(List.of(kept, restarted));
            listed.addAll(webPids);
            listed.add(slowAgain);
            Set<Long> running = Jpm.await("no process but the listed ones", Duration.ofSeconds(30), () -> {
                Set<Long> groups = appGroups(jpm);
                return groups.equals(listed) || groups.size() > listed.size() + 5 ? groups : null;
            });
            assertEquals(listed, running, jpm.jlist().encode());
            assertEquals(restarted, pidOf(jpm, "killed"));
            assertEquals(
                    1,
                    jpm.named("killed").get(0).getJsonObject("pm2_env").getInteger("restart_time"),
                    "restarted once");

            // the fresh God drives its adopted processes: a restart, an exit seen live, a start
            jpm.ok("restart", "kept");
            long keptAgain = jpm.awaitStatus("kept", "online").get(0).getLong("pid");
            assertTrue(keptAgain != kept);
            Jpm.awaitGone(kept);
            ProcessHandle.of(restarted).ifPresent(ProcessHandle::destroyForcibly);
            Jpm.await("killed restarted by the fresh God", () -> {
                JsonObject p = jpm.named("killed").get(0);
                return "online".equals(Jpm.status(p)) && p.getLong("pid") != restarted ? true : null;
            });
            jpm.ok("start", "resting");
            jpm.awaitStatus("resting", "online");
            jpm.ok("delete", "all");
            Jpm.await("every process stopped", () -> appGroups(jpm).isEmpty() ? true : null);
        }
    }

    private static List<String> dumpedNames(Jpm jpm) {
        try {
            JsonArray apps = new JsonObject(Files.readString(jpm.home.resolve("state.json"))).getJsonArray("apps");
            return apps.stream()
                    .map(o -> ((JsonObject) o).getString("name"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    @Test
    void aHungPersistenceIsRedeployedAndTheChangesMadeWhileItWasStuckAreDumped() throws Exception {
        try (Jpm jpm = new Jpm()) {
            startDaemon(jpm);
            jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "one");
            Jpm.await("one dumped", () -> dumpedNames(jpm).equals(List.of("one")) ? true : null);

            // started while persistence is stuck: the process events it was sent are never acted on by it
            stallAndAwaitRedeploy(
                    jpm, "persist", () -> jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "two"));
            Jpm.await(
                    "two dumped by the fresh one", () -> dumpedNames(jpm).equals(List.of("one", "two")) ? true : null);

            // the fresh one keeps the dump current, and answers save
            jpm.ok("delete", "one");
            Jpm.await("the delete dumped", () -> dumpedNames(jpm).equals(List.of("two")) ? true : null);
            Jpm.Result saved = jpm.ok("save");
            assertTrue(saved.out().contains("1"), saved.toString());
            assertEquals(List.of("two"), dumpedNames(jpm));
            assertFalse(
                    Files.list(jpm.home)
                            .anyMatch(p -> p.getFileName().toString().endsWith(".tmp")),
                    "no temp file left");
        }
    }

    private static String app(String name, String var) {
        return "{\"name\":\"" + name + "\",\"script\":\"" + Jpm.fixture("envapp.sh")
                + "\",\"kill_timeout\":3000,\"env\":{\"VAR\":\"" + var + "\"}}";
    }

    private static JsonObject one(Jpm jpm, String name) {
        return jpm.named(name).get(0);
    }

    @Test
    void aHungConfigWatcherIsRedeployedAndTheFreshOneAppliesAnEditOnce() throws Exception {
        try (Jpm jpm = new Jpm()) {
            startDaemon(jpm);
            String daemonLog = jpm.home.resolve("daemon.log").toString();
            Path file = jpm.write("eco.json", "{\"apps\":[" + app("keep", "1") + "," + app("edit", "1") + "]}\n");
            jpm.ok("start", file.toString());
            int keep = jpm.awaitStatus("keep", "online").get(0).getInteger("pid");
            int edit = jpm.awaitStatus("edit", "online").get(0).getInteger("pid");

            // edited while the old watcher is still stuck: the fresh one applies it; the old one, once
            // free, sees the same change in its next scan and must not apply it again
            stallAndAwaitRedeploy(jpm, "config", () -> {
                Jpm.await(
                        "the fresh watcher watching",
                        Duration.ofSeconds(60),
                        () -> jpm.readLog(daemonLog)
                                        .contains(
                                                "config watcher redeployed (generation 2): watching 1 ecosystem file(s) again")
                                ? true
                                : null);
                // it applies the file as it finds it first (all unchanged): the edit comes after that baseline
                Jpm.await(
                        "the fresh watcher's first read applied",
                        Duration.ofSeconds(60),
                        () -> jpm.readLog(daemonLog)
                                        .contains(
                                                "applied " + file
                                                        + ": {\"added\":[],\"changed\":[],\"removed\":[],\"unchanged\":[\"keep\",\"edit\"]}")
                                ? true
                                : null);
                try {
                    Files.writeString(file, "{\"apps\":[" + app("keep", "1") + "," + app("edit", "2") + "]}\n");
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
                Jpm.await("the edit applied", Duration.ofSeconds(60), () -> {
                    JsonObject p = one(jpm, "edit");
                    return "online".equals(Jpm.status(p)) && p.getInteger("pid") != edit ? true : null;
                });
            });
            assertEquals(1, one(jpm, "edit").getJsonObject("pm2_env").getInteger("restart_time"), "restarted once");
            assertEquals(keep, one(jpm, "keep").getInteger("pid"), "the untouched app kept its pid");
            assertEquals(
                    1L,
                    jpm.readLog(daemonLog)
                            .lines()
                            .filter(l -> l.contains("applied " + file + ":") && l.contains("\"changed\":[\"edit\"]"))
                            .count(),
                    "applied once: " + jpm.readLog(daemonLog));
            // God's diff is idempotent (the same text twice restarts nothing), so the fence shows in the
            // log: the fresh watcher applies the file as it finds it, then the edit; the old one nothing
            assertEquals(
                    2L,
                    jpm.readLog(daemonLog)
                            .lines()
                            .filter(l -> l.contains("applied " + file + ":"))
                            .count(),
                    "the old watcher applied nothing: " + jpm.readLog(daemonLog));

            // and it keeps watching: a later edit is applied too
            Files.writeString(file, "{\"apps\":[" + app("keep", "1") + "," + app("edit", "3") + "]}\n");
            Jpm.await(
                    "the second edit applied",
                    Duration.ofSeconds(60),
                    () -> one(jpm, "edit").getJsonObject("pm2_env").getInteger("restart_time") == 2
                                    && "online".equals(Jpm.status(one(jpm, "edit")))
                            ? true
                            : null);
            assertEquals(keep, one(jpm, "keep").getInteger("pid"));
        }
    }

    private static void startBalanced(Jpm jpm, String name, int port, String balance) {
        jpm.ok(
                "start",
                Jpm.fixture("hello_server.py").toString(),
                "--name",
                name,
                "-i",
                "2",
                "--port",
                Integer.toString(port),
                "--balance",
                balance,
                "--listen-timeout",
                "60000");
    }

    /** Both instances online and in the balancer's rotation, as jlist shows them; their pids. */
    private static Set<Long> awaitReady(Jpm jpm, String name) {
        return Jpm.await("2 '" + name + "' instances ready", Duration.ofSeconds(90), () -> {
            List<JsonObject> all = jpm.named(name);
            boolean ready = all.size() == 2
                    && all.stream()
                            .allMatch(p -> "online".equals(Jpm.status(p))
                                    && "ready"
                                            .equals(p.getJsonObject("jpm")
                                                    .getJsonObject("balancer")
                                                    .getString("state")));
            return ready ? all.stream().map(p -> p.getLong("pid")).collect(Collectors.toSet()) : null;
        });
    }

    @Test
    void aHungBalancerIsRedeployedAndNoRequestIsLost() throws Exception {
        try (Jpm jpm = new Jpm()) {
            startDaemon(jpm);
            String daemonLog = jpm.home.resolve("daemon.log").toString();
            int tcpPort = Ports.free();
            int httpPort = Ports.free();
            startBalanced(jpm, "tcp-hello", tcpPort, "round-robin");
            startBalanced(jpm, "http-hello", httpPort, "http");
            Set<Long> tcpPids = awaitReady(jpm, "tcp-hello");
            Set<Long> httpPids = awaitReady(jpm, "http-hello");

            // requests all along: a connection per request in TCP mode, keep-alive clients in HTTP mode;
            // those the shared socket hands the stuck balancer wait for it, none fails
            try (Load tcp = new Load(tcpPort, false, 2);
                    Load http = new Load(httpPort, true, 2)) {
                tcp.awaitPids(tcpPids);
                http.awaitPids(httpPids);
                // a stall of 8 s at most: a fresh balancer may land on the stuck event loop and start
                // only when the stall ends (and the fresh one must be listening before it is released)
                stallAndAwaitRedeploy(
                        jpm,
                        "balancer",
                        8_000,
                        () -> Jpm.await("the fresh balancer listening", Duration.ofSeconds(60), () -> {
                            String text = jpm.readLog(daemonLog);
                            // generation 2, or 3 when 2 landed on the stuck event loop and could not start
                            return text.matches(
                                                    "(?s).*balancer redeployed \\(generation \\d\\): tcp-hello on 127\\.0\\.0\\.1:"
                                                            + tcpPort + " again, 2 instance\\(s\\) rejoining.*")
                                            && text.matches(
                                                    "(?s).*balancer redeployed \\(generation \\d\\): http-hello on 127\\.0\\.0\\.1:"
                                                            + httpPort + " again, 2 instance\\(s\\) rejoining.*")
                                    ? true
                                    : null;
                        }));
                // the old one is gone: every connection now reaches the fresh one, and both instances
                tcp.pids.clear();
                http.pids.clear();
                tcp.awaitMore(20);
                http.awaitMore(20);
                tcp.awaitPids(tcpPids);
                http.awaitPids(httpPids);
                tcp.close();
                http.close();
                assertEquals(0, tcp.failed.get(), tcp.report());
                assertEquals(0, http.failed.get(), http.report());
            }
            assertEquals(tcpPids, awaitReady(jpm, "tcp-hello"), "the same instances, back in rotation");
            assertEquals(httpPids, awaitReady(jpm, "http-hello"));
            JsonObject served =
                    jpm.named("tcp-hello").get(0).getJsonObject("jpm").getJsonObject("balancer");
            assertTrue(served.getLong("served") > 0, "counted by the fresh balancer: " + served.encode());
        }
    }
}
