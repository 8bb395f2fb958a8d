package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Socket mode with real servers: the instances share one listening socket the daemon
 * opens, and no byte goes through the daemon. An unmodified Node app that listens on a fixed port
 * (jpm-listen.js hands it the shared socket over Node's IPC pipe), a Python server that takes the
 * socket at fd 3; reload, scale and kill -9 during continuous requests; bad input.
 */
@ExtendWith(JpmExtension.class)
@WithoutTuning
class SocketModeIT {
    private static final String LISTEN_TIMEOUT = "20000";

    private static List<String> nodeApp(String name, int instances, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "start",
                Jpm.fixture("hello_cluster.js").toString(),
                "--name",
                name,
                "-i",
                Integer.toString(instances),
                "--listen-timeout",
                LISTEN_TIMEOUT));
        args.addAll(List.of(more));
        return args;
    }

    /** {@code jpm start} of the Node app {@code name}, {@code instances} of it, which must succeed. */
    private static void startNode(Jpm jpm, Map<String, String> env, String name, int instances, String... more) {
        ClusterIT.start(jpm, env, nodeApp(name, instances, more));
    }

    /** {@code jpm start} of the Python server as {@code name}, given the socket of {@code host}:{@code port} at fd 3. */
    private static Jpm.Result pythonOnSocket(Jpm jpm, String name, int port, String host) {
        return jpm.cli(
                "start",
                Jpm.fixture("hello_server.py").toString(),
                "--name",
                name,
                "--port",
                Integer.toString(port),
                "--balance",
                "socket",
                "--host",
                host);
    }

    /** Waits until nothing listens on {@code port} any more: a new server can bind it. */
    private static void awaitGivenBack(int port) {
        Jpm.await("port " + port + " given back", Duration.ofSeconds(20), () -> {
            try (ServerSocket again = new ServerSocket()) {
                again.bind(new InetSocketAddress("0.0.0.0", port));
                return true;
            } catch (IOException e) {
                return null;
            }
        });
    }

    private static JsonObject balancer(JsonObject process) {
        return ClusterIT.balancer(process);
    }

    private static List<JsonObject> awaitReady(Jpm jpm, String name, int n) {
        return ClusterIT.awaitReady(jpm, name, n);
    }

    private static Set<Long> pids(List<JsonObject> processes) {
        return ClusterIT.pids(processes);
    }

    @Test
    void anUnmodifiedNodeAppListeningOnAFixedPortServesFromEveryInstance(Jpm jpm) throws Exception {
        int port = Ports.free();
        startNode(jpm, Map.of("APP_PORT", Integer.toString(port)), "node-web", 2);
        List<JsonObject> ready = awaitReady(jpm, "node-web", 2);
        Set<Long> pids = pids(ready);
        try (Load load = new Load(port, false, 2)) {
            load.awaitPids(pids);
            load.close();
            assertEquals(pids, load.pids);
            assertEquals(0, load.failed.get(), load.report());
        }
        // a burst of connections that then stay open: every one is served, and they are dealt in turn
        // (left to the kernel, one instance took 20, 25 or all of wrk's 32)
        List<Socket> burst = new ArrayList<>();
        Map<String, Integer> perPid = new HashMap<>();
        try {
            for (int i = 0; i < 32; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                socket.setSoTimeout(20_000);
                burst.add(socket);
            }
            for (Socket socket : burst) {
                socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: t\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] answer = new byte[256];
                int n = socket.getInputStream().read(answer);
                String text = n > 0 ? new String(answer, 0, n, StandardCharsets.US_ASCII) : "";
                Matcher pid = Pattern.compile("pid=(\\d+)").matcher(text);
                assertTrue(pid.find(), "a held connection got no answer: " + text);
                perPid.merge(pid.group(1), 1, Integer::sum);
            }
            assertEquals(
                    Map.of(),
                    perPid.entrySet().stream()
                            .filter(e -> e.getValue() != 16)
                            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)),
                    "32 connections, 16 per instance: " + perPid);
        } finally {
            for (Socket socket : burst) {
                socket.close();
            }
        }
        // the daemon accepts (non-blocking, on its epoll thread) and deals the connections in turn
        assertTrue(listeningSocketIsNonBlocking(jpm.daemonPid(), port), "the daemon's shared socket is blocking");
        for (JsonObject p : jpm.named("node-web")) {
            // pm2's rule: a node script with instances is a cluster app
            assertEquals("cluster_mode", p.getJsonObject("pm2_env").getString("exec_mode"));
            assertEquals("socket", balancer(p).getString("balance"));
            assertEquals(
                    List.of("[::]:" + port),
                    balancer(p).getJsonArray("sockets").getList(),
                    balancer(p).encode());
        }
        // the app's own address (every interface), with the daemon and both instances on the one socket
        String described = jpm.ok("describe", "node-web").out();
        assertTrue(
                described.contains("socket (shared by the instances)") && described.contains("[::]:" + port),
                described);
        // as pm2's cluster workers: in the daemon's session (one scheduling group under autogroup), each
        // leading a process group of its own
        for (long pid : pids) {
            String[] stat = stat(pid);
            assertEquals(Long.toString(pid), stat[2], "pid " + pid + " leads its process group");
            assertEquals(stat(jpm.daemonPid())[3], stat[3], "pid " + pid + " is in the daemon's session");
        }
        // a fork-mode app leads a session of its own, as pm2 spawns it detached
        assertEquals(
                0,
                jpm.cli("start", Jpm.fixture("idle.sh").toString(), "--name", "forked")
                        .exit());
        long forked = Jpm.await("the fork-mode app online", Duration.ofSeconds(30), () -> jpm.named("forked").stream()
                .filter(p -> "online".equals(Jpm.status(p)))
                .map(p -> p.getLong("pid"))
                .findFirst()
                .orElse(null));
        assertEquals(Long.toString(forked), stat(forked)[3], "the fork-mode app leads its session");
    }

    /** /proc/<pid>/stat's fields after the command: state, ppid, pgrp, session... */
    static String[] stat(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    /**
     * Whether the process's listening socket on {@code port} has O_NONBLOCK (its fdinfo flags): the
     * daemon's accept loop runs until EAGAIN on its epoll thread, and a socket passed at fd 3 is one
     * open file for every instance.
     */
    private static boolean listeningSocketIsNonBlocking(long pid, int port) throws IOException {
        String flags = listeningSocketFlags(pid, port);
        if (flags == null) {
            throw new AssertionError("pid " + pid + " holds no socket listening on " + port);
        }
        return (Integer.parseInt(flags, 8) & 04000) != 0;
    }

    /** The fdinfo flags of the process's socket listening on {@code port}, null when it holds none. */
    private static String listeningSocketFlags(long pid, int port) throws IOException {
        String hexPort = String.format(":%04X ", port);
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "net", table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 9 && f[1].endsWith(hexPort.strip()) && "0A".equals(f[3])) {
                    inodes.add(f[9]);
                }
            }
        }
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                String target = Files.readSymbolicLink(fd).toString();
                if (target.startsWith("socket:[") && inodes.contains(target.substring(8, target.length() - 1))) {
                    return Files.readAllLines(Path.of(
                                    "/proc",
                                    Long.toString(pid),
                                    "fdinfo",
                                    fd.getFileName().toString()))
                            .stream()
                            .filter(l -> l.startsWith("flags:"))
                            .findFirst()
                            .orElseThrow()
                            .substring(6)
                            .strip();
                }
            }
        }
        return null;
    }

    /**
     * A second app listening on the same port crash-looped with EADDRINUSE. As
     * under pm2 (checked with 7.0.4: four workers of two apps answered in strict turn, and deleting
     * one app refused no connection), both apps are on the one socket and its connections are dealt
     * to every instance of both; reloading or deleting one app leaves the socket to the other.
     */
    @Test
    void twoAppsListeningOnOnePortShareItsSocketAndDeletingOneRefusesNoConnection(Jpm jpm) throws Exception {
        int port = Ports.free();
        Map<String, String> env = Map.of("APP_PORT", Integer.toString(port));
        startNode(jpm, env, "blue", 2);
        startNode(jpm, env, "green", 2);
        Set<Long> blue = pids(awaitReady(jpm, "blue", 2));
        Set<Long> green = pids(awaitReady(jpm, "green", 2));
        for (String name : List.of("blue", "green")) {
            for (JsonObject p : jpm.named(name)) {
                assertEquals(0, p.getJsonObject("pm2_env").getInteger("restart_time"), p.encode());
                assertEquals(
                        List.of("[::]:" + port),
                        balancer(p).getJsonArray("sockets").getList(),
                        balancer(p).encode());
                assertEquals(
                        List.of(name.equals("blue") ? "green" : "blue"),
                        balancer(p).getJsonArray("shared_with").getList());
            }
        }
        assertTrue(jpm.ok("describe", "green").out().contains("shared with apps"));

        // a fork-mode Node app listening on a port of its own is none of this: it binds it itself
        int own = Ports.free();
        assertEquals(
                0,
                jpm.cli(
                                Map.of("APP_PORT", Integer.toString(own)),
                                "start",
                                Jpm.fixture("hello_cluster.js").toString(),
                                "--name",
                                "solo")
                        .exit());
        long solo = jpm.awaitStatus("solo", "online").get(0).getLong("pid");
        try (Load load = new Load(own, false, 1)) {
            load.awaitPids(Set.of(solo));
        }
        assertTrue(listeningSocketFlags(solo, own) != null, "the fork-mode app listens itself");
        assertEquals(
                null,
                listeningSocketFlags(jpm.daemonPid(), own),
                "the daemon holds no socket on the fork-mode app's port");
        assertEquals(0, jpm.named("solo").get(0).getJsonObject("pm2_env").getInteger("restart_time"));

        try (Load load = new Load(port, false, 3)) {
            Set<Long> both = new HashSet<>(blue);
            both.addAll(green);
            load.awaitPids(both);
            // a reload of one app replaces its instances on the socket the other keeps serving from
            jpm.ok("reload", "blue");
            blue.forEach(Jpm::awaitGone);
            Set<Long> reloaded = pids(awaitReady(jpm, "blue", 2));
            load.awaitPids(reloaded);
            jpm.ok("delete", "blue");
            reloaded.forEach(Jpm::awaitGone);
            load.pids.clear();
            load.awaitMore(100);
            load.awaitPids(green);
            load.closeWithNoneFailed();
        }
        Jpm.await(
                "green alone on the socket",
                () -> balancer(jpm.named("green").get(0))
                                .getJsonArray("shared_with")
                                .isEmpty()
                        ? true
                        : null);
        assertTrue(listeningSocketFlags(jpm.daemonPid(), port) != null, "the socket stays open for green");
        jpm.ok("delete", "green");
        awaitGivenBack(port);
    }

    @Test
    void aPythonServerTakesTheSocketAtFd3(Jpm jpm) throws Exception {
        int port = Ports.free();
        jpm.ok(Jpm.balancedStart(Jpm.fixture("hello_server.py").toString(), "py-fd3", 2, port, "--balance", "socket")
                .toArray(String[]::new));
        Set<Long> pids = pids(awaitReady(jpm, "py-fd3", 2));
        try (Load load = new Load(port, false, 2)) {
            load.awaitPids(pids);
            load.closeWithNoneFailed();
        }
        JsonObject first = jpm.named("py-fd3").get(0);
        assertEquals(port, balancer(first).getInteger("public_port"));
        assertEquals(
                List.of("127.0.0.1:" + port),
                balancer(first).getJsonArray("sockets").getList());
    }

    @Test
    void reloadAndScaleDuringRequestsFailNoneAndReplaceEveryPid(Jpm jpm) throws Exception {
        int port = Ports.free();
        Map<String, String> env = Map.of("APP_PORT", Integer.toString(port));
        startNode(jpm, env, "node-reload", 2);
        Set<Long> first = pids(awaitReady(jpm, "node-reload", 2));
        try (Load load = new Load(port, false, 3)) {
            load.awaitPids(first);
            jpm.ok("reload", "node-reload");
            Set<Long> second = pids(awaitReady(jpm, "node-reload", 2));
            assertTrue(second.stream().noneMatch(first::contains), "every pid changed: " + first + " -> " + second);
            jpm.ok("reload", "node-reload");
            Set<Long> third = pids(awaitReady(jpm, "node-reload", 2));
            load.awaitReplacement(second, third);

            jpm.ok("scale", "node-reload", "3");
            Set<Long> three = pids(awaitReady(jpm, "node-reload", 3));
            load.awaitPidsAfresh(three);
            jpm.ok("scale", "node-reload", "1");
            awaitReady(jpm, "node-reload", 1);
            load.awaitMore(50);
            load.closeWithNoneFailed();
        }
        first.forEach(Jpm::awaitGone);
    }

    @Test
    void aKilledInstanceIsRestartedWhileTheOthersKeepServingTheSocket(Jpm jpm) throws Exception {
        int port = Ports.free();
        startNode(jpm, Map.of("APP_PORT", Integer.toString(port)), "node-kill", 2);
        List<JsonObject> before = awaitReady(jpm, "node-kill", 2);
        long victim = before.get(0).getLong("pid");
        int victimId = before.get(0).getInteger("pm_id");
        try (Load load = new Load(port, false, 2)) {
            load.awaitPids(pids(before));
            new ProcessBuilder("kill", "-9", Long.toString(victim)).start().waitFor();
            long okAtKill = load.ok.get();
            // until the daemon has seen the kill: before that, both still show ready with their old pids
            List<JsonObject> after = Jpm.await("node-kill's instance " + victimId + " restarted and ready", () -> {
                List<JsonObject> now = awaitReady(jpm, "node-kill", 2);
                return now.stream().anyMatch(p -> p.getInteger("pm_id") == victimId && p.getLong("pid") != victim)
                        ? now
                        : null;
            });
            load.awaitPidsAfresh(pids(after));
            load.close();
            assertTrue(load.ok.get() > okAtKill, load.report());
            // what the kill takes: per client, the connection in flight on the killed process and at most
            // one dealt to it while it was torn down (its pipe stays open until the kernel has unmapped
            // its memory), as with pm2's cluster primary; never a refused or unanswered connection
            assertTrue(load.failed.get() <= 4, load.report());
            assertTrue(
                    load.failures.stream()
                            .allMatch(f -> f.contains("Connection reset") || f.contains("bad answer: ''")),
                    load.report());
        }
    }

    @Test
    void badInputGetsAClearErrorAndLeavesTheOtherAppsAlone(Jpm jpm) throws Exception {
        int port = Ports.free();
        startNode(jpm, Map.of("APP_PORT", Integer.toString(port)), "bystander", 1);
        long bystander = awaitReady(jpm, "bystander", 1).get(0).getLong("pid");

        // a port another process holds: the Node app's listen() fails with the reason, as a bind would
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("0.0.0.0", 0));
            int busy = taken.getLocalPort();
            jpm.cli(
                    Map.of("APP_PORT", Integer.toString(busy)),
                    nodeApp("node-busy", 1, "--max-restarts", "0").toArray(String[]::new));
            String errorLog = Jpm.await(
                            "node-busy listed",
                            () -> jpm.named("node-busy").stream().findFirst().orElse(null))
                    .getJsonObject("pm2_env")
                    .getString("pm_err_log_path");
            String err = jpm.awaitLog(errorLog, "listen failed");
            assertTrue(
                    err.contains("EADDRINUSE") && err.contains("port " + busy) && err.contains("already in use"), err);

            // the same for an app given the socket at fd 3: the spawn fails naming the port
            Jpm.Result python = pythonOnSocket(jpm, "py-busy", busy, "0.0.0.0");
            String text = python.out() + python.err() + jpm.named("py-busy").toString();
            assertTrue(text.contains("port " + busy + " on 0.0.0.0 is already in use"), text);
        }
        // an address that is not this host's
        Jpm.Result foreign = pythonOnSocket(jpm, "py-foreign", Ports.free(), "192.0.2.1");
        String text = foreign.out() + foreign.err() + jpm.named("py-foreign").toString();
        assertTrue(text.contains("192.0.2.1 is not an address of this host"), text);

        // socket mode for a non-Node app without a port: refused before anything starts
        Jpm.Result noPort = jpm.cli(
                "start", Jpm.fixture("hello_server.py").toString(), "--name", "py-noport", "--balance", "socket");
        assertNotEquals(0, noPort.exit());
        assertTrue(noPort.err().contains("option 'balance' 'socket' needs a 'port'"), noPort.toString());
        assertTrue(jpm.named("py-noport").isEmpty());

        // a run that does not take the socket its app listens on: the reload fails after listen_timeout
        // naming it, and the old run keeps its pm_id and serves
        Path flag = jpm.scratch.resolve("deaf");
        int deafPort = Ports.free();
        startNode(
                jpm,
                Map.of("APP_PORT", Integer.toString(deafPort), "NOT_READY_FILE", flag.toString()),
                "node-deaf",
                1,
                "--listen-timeout",
                "1500");
        long deaf = awaitReady(jpm, "node-deaf", 1).get(0).getLong("pid");
        Files.writeString(flag, "no listen from now on");
        Jpm.Result reload = jpm.cli("reload", "node-deaf");
        assertNotEquals(0, reload.exit(), reload.toString());
        assertTrue(
                reload.err().contains("did not listen on its shared socket within listen_timeout 1500 ms"),
                reload.toString());
        assertEquals(deaf, jpm.named("node-deaf").get(0).getLong("pid"));
        try (Load load = new Load(deafPort, false, 1)) {
            load.awaitPids(Set.of(deaf));
        }

        // a worker that never listens (no run of it ever did): ready after listen_timeout, as in pm2
        startNode(jpm, Map.of("NEVER_LISTEN", "1"), "node-worker", 1, "--listen-timeout", "1000");
        long worker = jpm.awaitStatus("node-worker", "online").get(0).getLong("pid");
        jpm.ok("reload", "node-worker");
        assertNotEquals(worker, jpm.awaitStatus("node-worker", "online").get(0).getLong("pid"));

        assertEquals(bystander, jpm.named("bystander").get(0).getLong("pid"));
        try (Load load = new Load(port, false, 1)) {
            load.awaitMore(5);
        }
    }

    @Test
    void theSocketIsClosedOnceNoInstanceIsLeft(Jpm jpm) throws Exception {
        int port = Ports.free();
        startNode(jpm, Map.of("APP_PORT", Integer.toString(port)), "node-close", 2);
        awaitReady(jpm, "node-close", 2);
        jpm.ok("stop", "node-close");
        // nothing listens any more: a new server can bind the port
        awaitGivenBack(port);
        jpm.ok("start", "node-close");
        Set<Long> pids = pids(awaitReady(jpm, "node-close", 2));
        try (Load load = new Load(port, false, 1)) {
            load.awaitPids(pids);
        }
        assertTrue(Files.exists(Path.of(jpm.home.toString(), "lib", "jpm-listen.js")));
    }
}
