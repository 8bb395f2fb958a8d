package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ClusterBalancer with real HTTP apps in two languages (a Java com.sun.net.httpserver app run
 * as {@code java HelloServer.java}, a Python http.server app), real sockets and real signals:
 * spreading, zero-downtime reload in HTTP and TCP mode, scale during requests, kill -9 during
 * requests, and bad input. God's side of a reload and of scale (order, pm_ids, a new run that never
 * gets ready, a stop during the swap, indexes) is tested over the bus in god/RollingReloadTest and
 * god/ScaleTest.
 */
@ExtendWith(JpmExtension.class)
class ClusterIT {
    /** Generous: the machine may be loaded, and a Java app compiles its source at start. */
    private static final String LISTEN_TIMEOUT = "60000";

    private static String python() {
        return Jpm.fixture("hello_server.py").toString();
    }

    private static List<String> javaApp(String name, int instances, int port) {
        return Jpm.balancedStart(
                Jpm.fixture("HelloServer.java").toString(),
                name,
                instances,
                port,
                "--interpreter",
                Jpm.JAVA,
                "--interpreter-args",
                "-Xmx24m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto",
                "--listen-timeout",
                LISTEN_TIMEOUT);
    }

    private static List<String> pythonApp(String name, int instances, int port, String... more) {
        List<String> args = Jpm.balancedStart(python(), name, instances, port, "--listen-timeout", LISTEN_TIMEOUT);
        args.addAll(List.of(more));
        return args;
    }

    /** Runs {@code jpm <args>} with {@code env}, which must succeed. SocketModeIT uses it too. */
    static Jpm.Result start(Jpm jpm, Map<String, String> env, List<String> args) {
        Jpm.Result result = jpm.cli(env, args.toArray(String[]::new));
        assertEquals(0, result.exit(), result.toString());
        return result;
    }

    /** The process's balancer section of jlist (jpm.balancer). SocketModeIT uses it too. */
    static JsonObject balancer(JsonObject process) {
        return process.getJsonObject("jpm").getJsonObject("balancer");
    }

    /** Waits until the app has exactly {@code n} instances, every one online and in rotation (in socket mode: listening). */
    static List<JsonObject> awaitReady(Jpm jpm, String name, int n) {
        return Jpm.await(n + " '" + name + "' instances ready", Duration.ofSeconds(90), () -> {
            List<JsonObject> all = jpm.named(name);
            boolean ready = all.size() == n
                    && all.stream()
                            .allMatch(p -> "online".equals(Jpm.status(p))
                                    && "ready".equals(balancer(p).getString("state")));
            return ready ? all : null;
        });
    }

    static Set<Long> pids(List<JsonObject> processes) {
        return processes.stream().map(p -> p.getLong("pid")).collect(Collectors.toSet());
    }

    @Test
    void requestsReachEveryInstanceOfAJavaAndAPythonApp(Jpm jpm) throws Exception {
        int javaPort = Ports.free();
        int pythonPort = Ports.free();
        start(jpm, Map.of(), javaApp("java-hello", 2, javaPort));
        start(jpm, Map.of(), pythonApp("py-hello", 3, pythonPort, "--balance", "http"));
        Set<Long> javaPids = pids(awaitReady(jpm, "java-hello", 2));
        Set<Long> pythonPids = pids(awaitReady(jpm, "py-hello", 3));

        try (Load tcp = new Load(javaPort, false, 2);
                Load http = new Load(pythonPort, true, 2)) {
            tcp.awaitPids(javaPids);
            http.awaitPids(pythonPids);
            tcp.close();
            http.close();
            assertEquals(javaPids, tcp.pids);
            assertEquals(pythonPids, http.pids);
            assertEquals(0, tcp.failed.get(), tcp.report());
            assertEquals(0, http.failed.get(), http.report());
        }
        for (JsonObject p : jpm.named("java-hello")) {
            JsonObject b = balancer(p);
            assertEquals("cluster_mode", p.getJsonObject("pm2_env").getString("exec_mode"));
            assertEquals(javaPort, b.getInteger("public_port"));
            assertEquals("round-robin", b.getString("balance"));
            assertNotEquals(javaPort, b.getInteger("private_port"));
            assertTrue(b.getLong("served") > 0 && b.getLong("bytes_in") > 0 && b.getLong("bytes_out") > 0, b.encode());
        }
        String described = jpm.ok("describe", "py-hello").out();
        assertTrue(described.contains("http on 127.0.0.1:" + pythonPort) && described.contains("served"), described);
    }

    @Test
    void reloadByEcosystemFileTakesTheSameRollingPath(Jpm jpm) throws Exception {
        int port = Ports.free();
        Path eco = jpm.ecosystem(
                "web.json",
                new JsonObject()
                        .put("name", "eco-web")
                        .put("script", python())
                        .put("exec_mode", "cluster")
                        .put("instances", 2)
                        .put("port", port)
                        .put("balance", "http")
                        .put("listen_timeout", Integer.parseInt(LISTEN_TIMEOUT))
                        .put("env", new JsonObject().put("STOP_MODE", "immediate")));
        jpm.ok("start", eco.toString());
        Set<Long> before = pids(awaitReady(jpm, "eco-web", 2));
        try (Load load = new Load(port, true, 2)) {
            load.awaitPids(before);
            jpm.ok("reload", eco.toString());
            Set<Long> after = pids(awaitReady(jpm, "eco-web", 2));
            load.awaitReplacement(before, after);
            load.closeWithNoneFailed();
        }
    }

    @Test
    void reloadInHttpModeFailsNoRequestEvenWhenTheAppExitsAtOnce(Jpm jpm) throws Exception {
        int port = Ports.free();
        start(jpm, Map.of("STOP_MODE", "immediate"), pythonApp("py-quick", 2, port, "--balance", "http"));
        Set<Long> before = pids(awaitReady(jpm, "py-quick", 2));
        try (Load load = new Load(port, true, 3)) {
            load.awaitPids(before);
            jpm.ok("reload", "py-quick");
            Set<Long> after = pids(awaitReady(jpm, "py-quick", 2));
            load.awaitReplacement(before, after);
            load.awaitMore(20);
            load.closeWithNoneFailed();
            before.forEach(Jpm::awaitGone);
        }
    }

    /**
     * A reload whose new run never listens fails at its first instance after listen_timeout with what the
     * operator asks next: how often jpm tried the port and what it found, and what the process was doing
     * (its state and CPU time: asleep here, unless a loaded machine has not let it start yet). The old
     * runs serve on.
     */
    @Test
    void aReloadWhoseNewRunNeverListensSaysWhatTheProbesAndTheProcessShowed(Jpm jpm) throws Exception {
        int port = Ports.free();
        Path notReady = jpm.scratch.resolve("not-ready");
        start(
                jpm,
                Map.of("NOT_READY_FILE", notReady.toString()),
                Jpm.balancedStart(python(), "py-stuck", 2, port, "--listen-timeout", "3000"));
        Set<Long> before = pids(awaitReady(jpm, "py-stuck", 2));
        Files.writeString(notReady, "the next run never listens");
        Jpm.Result reload = jpm.cli("reload", "py-stuck");
        assertNotEquals(0, reload.exit(), reload.toString());
        assertTrue(
                reload.err()
                        .matches(
                                "(?s).*not ready within listen_timeout 3000 ms \\(port \\d+ never accepted; \\d+"
                                        + " attempts, the last: connection refused\\); pid \\d+: state [A-Z], [0-9.]+ s of CPU so far.*"),
                reload.toString());
        assertTrue(reload.err().contains("keeps serving"), reload.toString());
        assertEquals(before, pids(awaitReady(jpm, "py-stuck", 2)), "the old runs serve on");
        try (Load load = new Load(port, false, 2)) {
            load.awaitPids(before);
            load.closeWithNoneFailed();
        }
    }

    @Test
    void anEditedEcosystemFileReloadsABalancedAppWithNoFailedRequest(Jpm jpm) throws Exception {
        int port = Ports.free();
        Path eco = jpm.scratch.resolve("hot.json");
        JsonObject app = new JsonObject()
                .put("name", "hot-web")
                .put("script", python())
                .put("instances", 2)
                .put("port", port)
                .put("balance", "http")
                .put("listen_timeout", Integer.parseInt(LISTEN_TIMEOUT))
                .put("env", new JsonObject().put("STOP_MODE", "immediate").put("VERSION", "1"));
        Files.writeString(eco, Jpm.ecosystem(app));
        jpm.ok("start", eco.toString());
        List<JsonObject> started = awaitReady(jpm, "hot-web", 2);
        Set<Long> before = pids(started);
        Set<Integer> idsBefore =
                started.stream().map(p -> p.getInteger("pm_id")).collect(Collectors.toSet());
        try (Load load = new Load(port, true, 2)) {
            load.awaitPids(before);
            app.getJsonObject("env").put("VERSION", "2");
            Files.writeString(eco, Jpm.ecosystem(app));
            Set<Long> after =
                    Jpm.await("the watcher to reload hot-web behind the balancer", Duration.ofSeconds(90), () -> {
                        List<JsonObject> all = jpm.named("hot-web");
                        boolean replaced = all.size() == 2
                                && all.stream()
                                        .allMatch(p -> "online".equals(Jpm.status(p))
                                                && "ready".equals(balancer(p).getString("state"))
                                                && !before.contains(p.getLong("pid")));
                        return replaced ? pids(all) : null;
                    });
            load.awaitPidsAfresh(after);
            load.closeWithNoneFailed();
        }
        // a rolling reload keeps the pm_ids, as pm2's does
        assertEquals(
                idsBefore,
                jpm.named("hot-web").stream().map(p -> p.getInteger("pm_id")).collect(Collectors.toSet()));
    }

    @Test
    void reloadInTcpModeFailsNoRequestWithAnAppThatFinishesOnSigint(Jpm jpm) throws Exception {
        int port = Ports.free();
        start(jpm, Map.of("STOP_MODE", "graceful"), javaApp("java-graceful", 2, port));
        List<JsonObject> started = awaitReady(jpm, "java-graceful", 2);
        Set<Long> before = pids(started);
        try (Load load = new Load(port, false, 3)) {
            load.awaitPids(before);
            jpm.ok("reload", "all");
            Set<Long> after = pids(awaitReady(jpm, "java-graceful", 2));
            load.awaitReplacement(before, after);
            load.closeWithNoneFailed();
        }
        Set<Integer> indexes = jpm.named("java-graceful").stream()
                .map(p -> p.getJsonObject("pm2_env").getInteger("NODE_APP_INSTANCE"))
                .collect(Collectors.toSet());
        assertEquals(Set.of(0, 1), indexes, "a reloaded instance keeps its NODE_APP_INSTANCE");
        assertEquals(ids(started), ids(jpm.named("java-graceful")), "a reloaded instance keeps its pm_id");
    }

    private static Set<Integer> ids(List<JsonObject> processes) {
        return processes.stream().map(p -> p.getInteger("pm_id")).collect(Collectors.toSet());
    }

    @Test
    void scaleUpAndDownDuringRequestsFailsNone(Jpm jpm) throws Exception {
        int port = Ports.free();
        start(jpm, Map.of("STOP_MODE", "immediate"), pythonApp("py-scale", 2, port, "--balance", "http"));
        awaitReady(jpm, "py-scale", 2);
        try (Load load = new Load(port, true, 3)) {
            load.awaitMore(20);
            assertEquals(0, jpm.cli("scale", "py-scale", "+2").exit());
            List<JsonObject> four = awaitReady(jpm, "py-scale", 4);
            assertEquals(
                    Set.of(0, 1, 2, 3),
                    four.stream()
                            .map(p -> p.getJsonObject("pm2_env").getInteger("NODE_APP_INSTANCE"))
                            .collect(Collectors.toSet()));
            // pm2 7's scale duplicates an instance's pm2_env: `instances` stays the configured count
            // (checked against pm2 itself: start -i 2, scale 4, jlist shows instances 2 on all four)
            assertTrue(
                    four.stream().allMatch(p -> p.getJsonObject("pm2_env").getInteger("instances") == 2),
                    four.toString());
            load.awaitPids(pids(four));
            jpm.ok("scale", "py-scale", "1");
            List<JsonObject> one = awaitReady(jpm, "py-scale", 1);
            // pm2 7 removes the oldest (lowest pm_ids); the survivor keeps its NODE_APP_INSTANCE
            assertEquals(3, one.get(0).getJsonObject("pm2_env").getInteger("NODE_APP_INSTANCE"));
            load.pids.clear();
            load.awaitMore(20);
            load.close();
            assertEquals(pids(one), load.pids);
            assertEquals(0, load.failed.get(), load.report());
        }
    }

    @Test
    void killMinus9OfOneInstanceDuringRequests(Jpm jpm) throws Exception {
        int port = Ports.free();
        start(jpm, Map.of(), pythonApp("py-kill", 2, port));
        List<JsonObject> before = awaitReady(jpm, "py-kill", 2);
        long victim = before.get(0).getLong("pid");
        int victimId = before.get(0).getInteger("pm_id");
        long survivor = before.get(1).getLong("pid");
        try (Load load = new Load(port, false, 2)) {
            load.awaitPids(pids(before));
            new ProcessBuilder("kill", "-9", Long.toString(victim))
                    .inheritIO()
                    .start()
                    .waitFor();
            // until the daemon has seen the kill: before that, both still show ready with their old pids
            JsonObject restarted = Jpm.await("py-kill's instance " + victimId + " restarted and ready", () -> {
                List<JsonObject> after = awaitReady(jpm, "py-kill", 2);
                return after.stream()
                        .filter(p -> p.getInteger("pm_id") == victimId && p.getLong("pid") != victim)
                        .findFirst()
                        .orElse(null);
            });
            assertEquals(1, restarted.getJsonObject("pm2_env").getInteger("restart_time"));
            load.awaitPidsAfresh(Set.of(restarted.getLong("pid"), survivor));
            long failedSoFar = load.failed.get();
            load.awaitMore(50);
            load.close();
            assertEquals(failedSoFar, load.failed.get(), "no failure once the instance is back: " + load.report());
        }
    }

    @Test
    void badInputIsRefusedWithOneLineNamingIt(Jpm jpm) throws Exception {
        // pm2's cluster app without a port loads (pm2 files must), its instances unbalanced
        Path eco = jpm.write(
                "cluster-no-port.json",
                "{\"apps\":[{\"name\":\"api\",\"script\":\"" + Jpm.fixture("idle.sh")
                        + "\",\"exec_mode\":\"cluster\",\"instances\":2}]}");
        jpm.ok("start", eco.toString());
        jpm.awaitStatus("api", "online")
                .forEach(p ->
                        assertEquals("cluster_mode", p.getJsonObject("pm2_env").getString("exec_mode")));
        assertTrue(Files.readString(jpm.home.resolve("daemon.log")).contains("exec_mode cluster without a port"));
        jpm.ok("delete", "api");

        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            Jpm.Result busy = jpm.cli(
                    "start", python(), "--name", "busy", "-i", "2", "--port", Integer.toString(taken.getLocalPort()));
            assertEquals(1, busy.exit());
            assertTrue(
                    busy.err().contains("app 'busy': cannot listen on 127.0.0.1:" + taken.getLocalPort()), busy.err());
            assertTrue(jpm.named("busy").isEmpty(), "nothing started");
        }
        Jpm.Result badPort = jpm.cli("start", python(), "--port", "eighty");
        assertEquals(1, badPort.exit());
        assertTrue(badPort.err().contains("--port expects a whole number, got 'eighty'"), badPort.err());
        Jpm.Result badBalance =
                jpm.cli("start", python(), "--port", Integer.toString(Ports.free()), "--balance", "random");
        assertEquals(1, badBalance.exit());
        assertTrue(
                badBalance.err().contains("option 'balance' must be one of round-robin, least-connections, http"),
                badBalance.err());

        assertTrue(jpm.cli("scale", "nobody", "2").err().contains("nobody not found"));
        assertTrue(jpm.cli("scale", "nobody", "many")
                .err()
                .contains("scale expects a number like 4, +2 or -1, got 'many'"));
        jpm.ok("start", Jpm.fixture("vars.sh").toString(), "--name", "one");
        Jpm.Result zero = jpm.cli("scale", "one", "0");
        assertEquals(1, zero.exit());
        assertTrue(zero.err().contains("it must be 1 to 1024"), zero.err());
        assertFalse(jpm.named("one").isEmpty());
        Map<String, String> none = new HashMap<>();
        assertEquals(1, jpm.cli(none, "scale", "one").exit());
    }
}
