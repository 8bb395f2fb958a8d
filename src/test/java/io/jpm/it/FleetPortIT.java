package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One port for the fleet (docs/CLUSTER.md, "One port for the fleet"): two daemons, each in a network
 * namespace of its own (so each opens the same public port, as two hosts do), run a fleet app; the
 * port answers on each host and its requests (HTTP mode) and connections (TCP mode) reach the
 * instances of both hosts, the other host's through its daemon's relay (the instances listen on
 * loopback only); an instance that is not ready is left out on every front; a reload rolls across
 * the hosts and an update on each host in turn, both under load through both fronts, fail no
 * request. Namespaces need root:
 * outside CI a machine without it skips this class; in CI it fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@WithoutTuning
class FleetPortIT {
    private static final List<String> NODES = List.of("web-1", "web-2");
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** Client addresses on web-1's link beside its own (a sticky test needs several clients). */
    private static final List<Integer> CLIENTS = List.of(101, 102, 103, 104, 105, 106, 107, 108);

    private NamespaceCluster cluster;
    private List<Jpm> hosts;

    @RegisterExtension
    final HostLogs logs = new HostLogs(() -> hosts);

    @BeforeAll
    void twoHostsInNamespaces() throws IOException {
        NamespaceCluster.assumeNamespaces();
        cluster = new NamespaceCluster(NODES);
        hosts = cluster.hosts();
        for (int client : CLIENTS) {
            cluster.network.alias(1, client);
        }
        cluster.start();
    }

    @AfterAll
    void killBoth() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * web-1's and web-2's ports each answer from both hosts' instances, in HTTP and TCP mode; an
     * instance added by a scale that never listens gets nothing from either front.
     */
    @Test
    void thePortAnswersOnEveryHostFromTheInstancesOfEveryHost() throws Exception {
        Jpm web1 = hosts.get(0);
        Path notReady = web1.home.getParent().resolve("not-ready-" + System.nanoTime());
        JsonObject http = cluster.fleetApp("fleet-http", 8080, "http", notReady);
        JsonObject tcp = cluster.fleetApp("fleet-tcp", 8081, "round-robin", notReady);
        web1.ok("start", web1.ecosystem("port.config.json", http, tcp).toString());
        Map<String, Long> httpPids = cluster.onlinePids("fleet-http", 1);
        Map<String, Long> tcpPids = cluster.onlinePids("fleet-tcp", 1);

        for (int n = 1; n <= NODES.size(); n++) {
            cluster.awaitAnswersFrom(n, 8080, Set.copyOf(httpPids.values()), DEADLINE);
            cluster.awaitAnswersFrom(n, 8081, Set.copyOf(tcpPids.values()), DEADLINE);
        }

        // one more instance on each host, which never listens: no front sends it anything
        Files.writeString(notReady, "");
        web1.cli("scale", "fleet-http", "2");
        cluster.listed("fleet-http", 2);
        for (int n = 1; n <= NODES.size(); n++) {
            List<Long> answered = cluster.answers(n, n, 8080, 20);
            assertEquals(20, answered.size(), "every request answered through web-" + n + ": " + answered);
            assertTrue(
                    Set.copyOf(httpPids.values()).containsAll(answered),
                    "only the ready instances " + httpPids + " answer through web-" + n + ": " + answered);
        }
        web1.ok("delete", "fleet-http");
        web1.ok("delete", "fleet-tcp");
    }

    /**
     * {@code prefer: local}: each front answers from its own host's instances only, while they are
     * ready. {@code sticky: ip}: each client gets one instance, the same from both fronts, and the
     * clients spread over both hosts' instances.
     */
    @Test
    void preferLocalStaysOnItsHostAndAStickyClientGetsOneInstanceFromEveryFront() throws Exception {
        Jpm web1 = hosts.get(0);
        Path never = web1.home.getParent().resolve("never-" + System.nanoTime());
        JsonObject local = cluster.fleetApp("fleet-local", 8082, "http", never)
                .put("instances", 2)
                .put("prefer", "local");
        JsonObject sticky = cluster.fleetApp("fleet-sticky", 8083, "round-robin", never)
                .put("instances", 2)
                .put("sticky", "ip");
        web1.ok("start", web1.ecosystem("routing.config.json", local, sticky).toString());
        cluster.listed("fleet-local", 2);
        cluster.listed("fleet-sticky", 2);
        Set<Long> all = new HashSet<>(cluster.pids(1, "fleet-sticky"));
        all.addAll(cluster.pids(2, "fleet-sticky"));
        // both fronts route to all four once each has joined the other's: from then on they agree
        Map<Integer, Long> byClient = Jpm.await("both fronts agree on each client's instance", DEADLINE, () -> {
            Map<Integer, Long> agreed = new TreeMap<>();
            for (int client : CLIENTS) {
                List<Long> one = cluster.answers(client, 1, 1, 8083, 3);
                List<Long> two = cluster.answers(client, 1, 2, 8083, 3);
                if (one.size() != 3 || !one.equals(two) || Set.copyOf(one).size() != 1) {
                    return null;
                }
                agreed.put(client, one.get(0));
            }
            return agreed;
        });
        assertTrue(all.containsAll(byClient.values()), all + " " + byClient);
        assertTrue(Set.copyOf(byClient.values()).size() > 1, "the clients spread over the instances: " + byClient);
        // by now each front has joined the other host's instances (the sticky app's, placed at once, are):
        // with prefer local, its own answer all the same
        for (int n = 1; n <= NODES.size(); n++) {
            Set<Long> own = Set.copyOf(cluster.pids(n, "fleet-local"));
            cluster.awaitAnswersFrom(n, 8082, own, DEADLINE);
            List<Long> answered = cluster.answers(n, n, 8082, 20);
            assertEquals(20, answered.size(), answered.toString());
            assertTrue(own.containsAll(answered), "web-" + n + " answers from its own " + own + ": " + answered);
        }

        web1.ok("delete", "fleet-local");
        web1.ok("delete", "fleet-sticky");
    }

    /** sticky in socket mode, or an unknown value: one line naming the app and the option; nothing starts on either host. */
    @Test
    void stickyInSocketModeOrAnUnknownValueStartsNothing() throws Exception {
        Jpm web1 = hosts.get(0);
        Path never = web1.home.getParent().resolve("never-" + System.nanoTime());
        JsonObject beside = cluster.fleetApp("beside-bad", 8084, "http", never);
        for (JsonObject bad : List.of(
                cluster.fleetApp("bad-socket", 8085, "socket", never).put("sticky", "ip"),
                cluster.fleetApp("bad-word", 8086, "http", never).put("sticky", "session"),
                cluster.fleetApp("bad-prefer", 8087, "http", never).put("prefer", "remote"))) {
            Path file = web1.ecosystem(bad.getString("name") + ".config.json", beside, bad);
            Jpm.Result r = web1.cli("start", file.toString());
            assertTrue(r.exit() != 0, r.toString());
            assertEquals(1, r.err().strip().lines().count(), r.toString());
            assertTrue(
                    r.err()
                            .contains("app '" + bad.getString("name") + "': option '"
                                    + (bad.containsKey("prefer") ? "prefer" : "sticky") + "'"),
                    r.toString());
        }
        for (Jpm host : hosts) {
            assertEquals(List.of(), host.named("beside-bad"));
            assertEquals(List.of(), host.named("bad-socket"));
        }
    }

    /**
     * {@code sticky: "cookie"}: the cookie one front sets sends its client to the same instance
     * through the other front too (an instance of either host), with no cookie set again.
     */
    @Test
    void aStickyCookieSendsItsClientToOneInstanceThroughEveryFront() throws Exception {
        Jpm web1 = hosts.get(0);
        Path never = web1.home.getParent().resolve("never-" + System.nanoTime());
        web1.ok(
                "start",
                web1.ecosystem(
                                "cookie.config.json",
                                cluster.fleetApp("fleet-cookie", 8090, "http", never)
                                        .put("sticky", "cookie"))
                        .toString());
        Set<Long> both = Set.copyOf(cluster.onlinePids("fleet-cookie", 1).values());
        for (int n = 1; n <= NODES.size(); n++) {
            cluster.awaitAnswersFrom(n, 8090, both, DEADLINE);
        }
        Map<Long, String> cookies = new TreeMap<>();
        for (int i = 0; i < 20 && cookies.size() < 2; i++) {
            String[] answer = cookieAnswer(1, 8090, null);
            cookies.put(Long.parseLong(answer[0]), answer[1]);
        }
        assertEquals(both, cookies.keySet(), "web-1's front sets the cookie of each instance: " + cookies);
        for (Map.Entry<Long, String> instance : cookies.entrySet()) {
            for (int n = 1; n <= NODES.size(); n++) {
                for (int i = 0; i < 4; i++) {
                    String[] answer = cookieAnswer(n, 8090, instance.getValue());
                    assertEquals(instance.getKey(), Long.parseLong(answer[0]), "through web-" + n);
                    assertEquals("", answer[1], "no cookie set again through web-" + n);
                }
            }
        }
        web1.ok("delete", "fleet-cookie");
    }

    /** One GET from host {@code n} to its own front with {@code cookie} (or none): {pid, the jpm_sticky=.. it set or ""}. */
    private String[] cookieAnswer(int n, int port, String cookie) {
        List<String> args = new ArrayList<>(List.of("-s", "-i", "-m", "10"));
        if (cookie != null) {
            args.addAll(List.of("-H", "Cookie: " + cookie));
        }
        args.add(cluster.url(n, port));
        String out = cluster.curl(n, args);
        String pid = null;
        String set = "";
        for (String line : out.split("\r?\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("set-cookie: jpm_sticky=")) {
                set = line.substring("set-cookie: ".length(), line.indexOf(';'));
            } else if (line.startsWith("pid=")) {
                pid = line.substring(4, line.indexOf(' '));
            }
        }
        assertTrue(pid != null, out);
        return new String[] {pid, set};
    }

    /**
     * The port held by another process on web-2 alone: a start from web-1 is one line naming the app,
     * the option and the host, and starts nothing on either host (in HTTP and socket mode); once the
     * port is free, the same file starts on both.
     */
    @Test
    void aPortTakenOnOneHostStartsNothingAnywhere() throws Exception {
        Jpm web1 = hosts.get(0);
        Path never = web1.home.getParent().resolve("never-" + System.nanoTime());
        JsonObject beside = cluster.fleetApp("beside-taken", 8089, "http", never);
        List<String> holder = new ArrayList<>(cluster.network.exec(2));
        holder.addAll(List.of(
                "python3",
                "-c",
                "import socket,sys,time\ns=socket.socket()\ns.bind(('0.0.0.0',8088))\ns.listen()\n"
                        + "print('listening',flush=True)\ntime.sleep(600)"));
        Process holding = new ProcessBuilder(holder).redirectErrorStream(true).start();
        try {
            String first = new java.io.BufferedReader(
                            new java.io.InputStreamReader(holding.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            assertEquals("listening", first, "the holder of web-2's port 8088");
            for (String balance : List.of("http", "socket")) {
                JsonObject taken = cluster.fleetApp("taken", 8088, balance, never);
                Jpm.Result r = web1.cli(
                        "start",
                        web1.ecosystem("taken.config.json", beside, taken).toString());
                assertTrue(r.exit() != 0, r.toString());
                assertEquals(1, r.err().strip().lines().count(), r.toString());
                assertTrue(
                        r.err()
                                .contains("app 'taken': option 'port': port 8088 on 0.0.0.0 is already in use by"
                                        + " another process on member 'web-2': nothing started"),
                        r.toString());
                for (Jpm host : hosts) {
                    assertEquals(List.of(), host.named("taken"), balance);
                    assertEquals(List.of(), host.named("beside-taken"), balance);
                }
            }
        } finally {
            holding.destroyForcibly().waitFor();
        }
        web1.ok(
                "start",
                web1.ecosystem("taken.config.json", cluster.fleetApp("taken", 8088, "http", never))
                        .toString());
        cluster.onlinePids("taken", 1);
        web1.ok("delete", "taken");
    }

    /**
     * {@code jpm reload} of a fleet app from web-2 while clients send requests through both fronts
     * (keep-alive ones through web-1, a connection per request through web-2): no request fails, and
     * the instances are replaced one at a time across the hosts (each host's new run starts only
     * after the other host's old run stopped, as each host's process events tell).
     */
    @Test
    void aFleetReloadRollsAcrossTheHostsOneInstanceAtATimeAndFailsNoRequest() throws Exception {
        Jpm web1 = hosts.get(0);
        Map<String, Long> before = startAnswering("fleet-roll", 8088);
        List<Path> events = cluster.followEvents();
        try (NamespaceLoad one = cluster.load(1, 8088, true);
                NamespaceLoad two = cluster.load(2, 8088, false)) {
            one.awaitMore(40);
            two.awaitMore(40);
            Jpm.Result reloaded = hosts.get(1).ok("reload", "fleet-roll");
            Map<String, Long> after = cluster.onlinePids("fleet-roll", 1);
            assertTrue(
                    after.values().stream().noneMatch(before::containsValue),
                    before + " -> " + after + ": " + reloaded);
            for (int n = 1; n <= NODES.size(); n++) {
                cluster.awaitAnswersFrom(n, 8088, Set.copyOf(after.values()), DEADLINE);
            }
            one.awaitMore(40);
            two.awaitMore(40);
            for (NamespaceLoad load : List.of(one, two)) {
                JsonObject result = load.finish();
                assertEquals(0, result.getInteger("failed"), "no request fails during the reload: " + result);
            }
        }
        Map<String, long[]> windows = new TreeMap<>();
        for (int n = 1; n <= NODES.size(); n++) {
            windows.put(NODES.get(n - 1), replacement(events.get(n - 1), "fleet-roll"));
        }
        long[] first = windows.get("web-1");
        long[] second = windows.get("web-2");
        assertTrue(
                first[1] <= second[0] || second[1] <= first[0],
                "one host at a time: web-1 replaced its instance in " + first[0] + ".." + first[1] + ", web-2 in "
                        + second[0] + ".." + second[1]);
        web1.ok("delete", "fleet-roll");
    }

    /**
     * {@code jpm update} on web-1, then on web-2, while clients send requests through both fronts:
     * each daemon replaces itself and adopts its instance, and no request fails.
     */
    @Test
    void anUpdateOnEachHostInTurnFailsNoRequest() throws Exception {
        Jpm web1 = hosts.get(0);
        Map<String, Long> before = startAnswering("fleet-turn", 8089);
        try (NamespaceLoad one = cluster.load(1, 8089, true);
                NamespaceLoad two = cluster.load(2, 8089, false)) {
            one.awaitMore(40);
            two.awaitMore(40);
            for (Jpm host : hosts) {
                host.ok("update");
                // only-web-N and fleet-turn on each, the updated host back in the cluster
                ClusterHosts.awaitListed(hosts.get(0), NODES.size() * 2, ClusterHosts.REJOIN_DEADLINE);
                for (int n = 1; n <= NODES.size(); n++) {
                    cluster.awaitAnswersFrom(n, 8089, Set.copyOf(before.values()), DEADLINE);
                }
                one.awaitMore(40);
                two.awaitMore(40);
                assertEquals(
                        List.of(0L, 0L),
                        List.of(one.failed(), two.failed()),
                        "requests failed through web-1 and web-2 by the update of " + host.home + ": " + one.failures()
                                + " " + two.failures());
            }
            assertEquals(before, cluster.onlinePids("fleet-turn", 1), "the same instances run on, adopted");
            for (NamespaceLoad load : List.of(one, two)) {
                JsonObject result = load.finish();
                assertEquals(0, result.getInteger("failed"), "no request fails during the updates: " + result);
            }
        }
        web1.ok("delete", "fleet-turn");
    }

    /**
     * A fleet app {@code name} on {@code port} started from web-1, once each host's port answers from
     * the instance of every host: their pids. Its listen_timeout is long: a python app's start takes
     * seconds on a loaded 2-core machine, and a reload must not give up on it.
     */
    private Map<String, Long> startAnswering(String name, int port) throws IOException {
        Jpm web1 = hosts.get(0);
        Path never = web1.home.getParent().resolve("never-" + System.nanoTime());
        JsonObject app = cluster.fleetApp(name, port, "http", never).put("listen_timeout", 20_000);
        web1.ok("start", web1.ecosystem(name + ".config.json", app).toString());
        Map<String, Long> before = cluster.onlinePids(name, 1);
        for (int n = 1; n <= NODES.size(); n++) {
            cluster.awaitAnswersFrom(n, port, Set.copyOf(before.values()), DEADLINE);
        }
        return before;
    }

    /**
     * From one host's process events: when the reload of {@code app} began there (its new run's
     * launch) and ended (its old run stopped), in ms.
     */
    private static long[] replacement(Path events, String app) throws IOException {
        long began = -1;
        long ended = -1;
        for (String line : Files.readAllLines(events)) {
            if (!line.startsWith("{")) {
                continue;
            }
            JsonObject event = new JsonObject(line);
            if (!app.equals(event.getString("app"))) {
                continue;
            }
            boolean old = event.getBoolean("old_run", false);
            if (!old && "launching".equals(event.getString("to")) && began < 0) {
                began = event.getLong("time");
            }
            if (old && "stopped".equals(event.getString("to"))) {
                ended = event.getLong("time");
            }
        }
        assertTrue(began > 0 && ended >= began, app + " replaced in " + events + ": " + Files.readString(events));
        return new long[] {began, ended};
    }
}
