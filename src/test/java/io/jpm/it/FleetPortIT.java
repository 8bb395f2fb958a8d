package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

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
    private static final int MEMBERSHIP_PORT = 5701;
    private static final int BUS_PORT = 5702;
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    /** Client addresses on web-1's link beside its own (a sticky test needs several clients). */
    private static final List<Integer> CLIENTS = List.of(101, 102, 103, 104, 105, 106, 107, 108);

    private NetworkNamespaces network;
    private final List<Jpm> hosts = new ArrayList<>();

    @BeforeAll
    void twoHostsInNamespaces() throws IOException {
        String why = NetworkNamespaces.unavailableBecause();
        if (why != null && "true".equals(System.getenv("CI"))) {
            fail("network namespaces are needed in CI: " + why);
        }
        assumeTrue(why == null, () -> "no network namespaces here: " + why);
        network = new NetworkNamespaces();
        for (int n = 1; n <= NODES.size(); n++) {
            network.host(n);
            hosts.add(new Jpm(network.exec(n)));
        }
        for (int client : CLIENTS) {
            network.alias(1, client);
        }
        hosts.get(0).ok("cluster", "init");
        for (int n = 1; n <= NODES.size(); n++) {
            Jpm jpm = hosts.get(n - 1);
            Files.createDirectories(jpm.home);
            if (n > 1) {
                for (String file : List.of("cluster.secret", "cluster.p12")) {
                    Files.copy(
                            hosts.get(0).home.resolve(file),
                            jpm.home.resolve(file),
                            StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            Files.writeString(jpm.home.resolve("jpm.json"), settings(n));
            jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "only-" + NODES.get(n - 1));
        }
        ClusterHosts.awaitListed(hosts.get(0), NODES.size());
    }

    @AfterAll
    void killBoth() throws IOException {
        for (Jpm jpm : hosts) {
            jpm.close();
        }
        if (network != null) {
            network.close();
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
        JsonObject http = fleetApp("fleet-http", 8080, "http", notReady);
        JsonObject tcp = fleetApp("fleet-tcp", 8081, "round-robin", notReady);
        web1.ok("start", web1.ecosystem("port.config.json", http, tcp).toString());
        Map<String, Long> httpPids = onlinePids("fleet-http", 1);
        Map<String, Long> tcpPids = onlinePids("fleet-tcp", 1);

        for (int n = 1; n <= NODES.size(); n++) {
            awaitAnswersFrom(n, 8080, Set.copyOf(httpPids.values()));
            awaitAnswersFrom(n, 8081, Set.copyOf(tcpPids.values()));
        }

        // one more instance on each host, which never listens: no front sends it anything
        Files.writeString(notReady, "");
        web1.cli("scale", "fleet-http", "2");
        listed("fleet-http", 2);
        for (int n = 1; n <= NODES.size(); n++) {
            List<Long> answered = answers(n, n, 8080, 20);
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
        JsonObject local =
                fleetApp("fleet-local", 8082, "http", never).put("instances", 2).put("prefer", "local");
        JsonObject sticky = fleetApp("fleet-sticky", 8083, "round-robin", never)
                .put("instances", 2)
                .put("sticky", "ip");
        web1.ok("start", web1.ecosystem("routing.config.json", local, sticky).toString());
        listed("fleet-local", 2);
        listed("fleet-sticky", 2);
        Set<Long> all = new HashSet<>(pids(hosts.get(0), "fleet-sticky"));
        all.addAll(pids(hosts.get(1), "fleet-sticky"));
        // both fronts route to all four once each has joined the other's: from then on they agree
        Map<Integer, Long> byClient = Jpm.await("both fronts agree on each client's instance", DEADLINE, () -> {
            Map<Integer, Long> agreed = new TreeMap<>();
            for (int client : CLIENTS) {
                List<Long> one = answers(client, 1, 1, 8083, 3);
                List<Long> two = answers(client, 1, 2, 8083, 3);
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
            Set<Long> own = Set.copyOf(pids(hosts.get(n - 1), "fleet-local"));
            awaitAnswersFrom(n, 8082, own);
            List<Long> answered = answers(n, n, 8082, 20);
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
        JsonObject beside = fleetApp("beside-bad", 8084, "http", never);
        for (JsonObject bad : List.of(
                fleetApp("bad-socket", 8085, "socket", never).put("sticky", "ip"),
                fleetApp("bad-word", 8086, "http", never).put("sticky", "session"),
                fleetApp("bad-prefer", 8087, "http", never).put("prefer", "remote"))) {
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
                                fleetApp("fleet-cookie", 8090, "http", never).put("sticky", "cookie"))
                        .toString());
        Set<Long> both = Set.copyOf(onlinePids("fleet-cookie", 1).values());
        for (int n = 1; n <= NODES.size(); n++) {
            awaitAnswersFrom(n, 8090, both);
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
    private String[] cookieAnswer(int n, int port, String cookie) throws Exception {
        List<String> command = new ArrayList<>(network.exec(n));
        command.addAll(List.of("curl", "-s", "-i", "-m", "10"));
        if (cookie != null) {
            command.addAll(List.of("-H", "Cookie: " + cookie));
        }
        command.add("http://" + network.address(n) + ":" + port + "/");
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(curl.waitFor(30, TimeUnit.SECONDS), "curl did not finish");
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
        JsonObject beside = fleetApp("beside-taken", 8089, "http", never);
        List<String> holder = new ArrayList<>(network.exec(2));
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
                JsonObject taken = fleetApp("taken", 8088, balance, never);
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
                web1.ecosystem("taken.config.json", fleetApp("taken", 8088, "http", never))
                        .toString());
        onlinePids("taken", 1);
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
        Path never = web1.home.getParent().resolve("never-" + System.nanoTime());
        web1.ok(
                "start",
                web1.ecosystem("roll.config.json", slowToStart(fleetApp("fleet-roll", 8088, "http", never)))
                        .toString());
        Map<String, Long> before = onlinePids("fleet-roll", 1);
        for (int n = 1; n <= NODES.size(); n++) {
            awaitAnswersFrom(n, 8088, Set.copyOf(before.values()));
        }
        List<Path> events = followProcessEvents();
        try (NamespaceLoad one = load(1, 8088, true);
                NamespaceLoad two = load(2, 8088, false)) {
            one.awaitMore(40);
            two.awaitMore(40);
            Jpm.Result reloaded = hosts.get(1).ok("reload", "fleet-roll");
            Map<String, Long> after = onlinePids("fleet-roll", 1);
            assertTrue(
                    after.values().stream().noneMatch(before::containsValue),
                    before + " -> " + after + ": " + reloaded);
            for (int n = 1; n <= NODES.size(); n++) {
                awaitAnswersFrom(n, 8088, Set.copyOf(after.values()));
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
        Path never = web1.home.getParent().resolve("never-" + System.nanoTime());
        web1.ok(
                "start",
                web1.ecosystem("turn.config.json", slowToStart(fleetApp("fleet-turn", 8089, "http", never)))
                        .toString());
        Map<String, Long> before = onlinePids("fleet-turn", 1);
        for (int n = 1; n <= NODES.size(); n++) {
            awaitAnswersFrom(n, 8089, Set.copyOf(before.values()));
        }
        try (NamespaceLoad one = load(1, 8089, true);
                NamespaceLoad two = load(2, 8089, false)) {
            one.awaitMore(40);
            two.awaitMore(40);
            for (Jpm host : hosts) {
                host.ok("update");
                ClusterHosts.awaitListed(hosts.get(0), NODES.size() * 2); // only-web-N and fleet-turn on each
                for (int n = 1; n <= NODES.size(); n++) {
                    awaitAnswersFrom(n, 8089, Set.copyOf(before.values()));
                }
                one.awaitMore(40);
                two.awaitMore(40);
                assertEquals(
                        List.of(0L, 0L),
                        List.of(one.failed(), two.failed()),
                        "requests failed through web-1 and web-2 by the update of " + host.home + ": " + one.failures()
                                + " " + two.failures());
            }
            assertEquals(before, onlinePids("fleet-turn", 1), "the same instances run on, adopted");
            for (NamespaceLoad load : List.of(one, two)) {
                JsonObject result = load.finish();
                assertEquals(0, result.getInteger("failed"), "no request fails during the updates: " + result);
            }
        }
        web1.ok("delete", "fleet-turn");
    }

    /** A python app's start takes seconds on a loaded 2-core machine: a reload must not give up on it. */
    private static JsonObject slowToStart(JsonObject app) {
        return app.put("listen_timeout", 20_000);
    }

    private NamespaceLoad load(int n, int port, boolean keepAlive) throws IOException {
        Jpm on = hosts.get(n - 1);
        return new NamespaceLoad(
                network.exec(n),
                "http://" + network.address(n) + ":" + port + "/",
                keepAlive,
                2,
                on.scratch.resolve("load-" + port + "-" + System.nanoTime() + ".txt"));
    }

    /** {@code jpm events} on each host into a file, once it follows (a restart of its own app shows there). */
    private List<Path> followProcessEvents() throws IOException {
        List<Path> files = new ArrayList<>();
        for (int n = 1; n <= NODES.size(); n++) {
            Jpm on = hosts.get(n - 1);
            Path out = on.scratch.resolve("events-" + System.nanoTime() + ".txt");
            on.follow(out, "events");
            String own = "only-" + NODES.get(n - 1);
            on.await("web-" + n + "'s events followed", () -> {
                on.ok("restart", own);
                return on.readLog(out.toString()).contains("\"" + own + "\"") ? true : null;
            });
            files.add(out);
        }
        return files;
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

    private static List<Long> pids(Jpm on, String app) {
        return on.named(app).stream().map(p -> p.getLong("pid")).toList();
    }

    private JsonObject fleetApp(String name, int port, String balance, Path notReady) {
        return Jpm.app(name, Jpm.fixture("hello_server.py"))
                .put("hosts", new JsonArray(NODES))
                .put("port", port)
                .put("host", "0.0.0.0")
                .put("balance", balance)
                .put("listen_timeout", 2000)
                .put("env", new JsonObject().put("NOT_READY_FILE", notReady.toString()));
    }

    /** The pid of the first instance of {@code app} on each host, once each host has {@code count} online. */
    private Map<String, Long> onlinePids(String app, int count) {
        return Jpm.await(app + ": " + count + " online on each host", ClusterHosts.JOIN_DEADLINE, () -> {
            Map<String, Long> first = new TreeMap<>();
            for (int n = 1; n <= NODES.size(); n++) {
                List<JsonObject> on = hosts.get(n - 1).named(app);
                if (on.size() != count || !on.stream().allMatch(p -> "online".equals(Jpm.status(p)))) {
                    return null;
                }
                first.put(NODES.get(n - 1), on.get(0).getLong("pid"));
            }
            return first;
        });
    }

    /** Waits until each host lists {@code count} instances of {@code app}, whatever their state. */
    private void listed(String app, int count) {
        Jpm.await(app + ": " + count + " on each host", ClusterHosts.JOIN_DEADLINE, () -> {
            for (Jpm host : hosts) {
                if (host.named(app).size() != count) {
                    return null;
                }
            }
            return true;
        });
    }

    /** Polls host {@code n}'s port until its answers came from every pid of {@code wanted}. */
    private void awaitAnswersFrom(int n, int port, Set<Long> wanted) {
        Set<Long> seen = new HashSet<>();
        Jpm.await("web-" + n + ":" + port + " answered by " + wanted, DEADLINE, () -> {
            List<Long> answered = answers(n, n, port, 10);
            seen.addAll(answered);
            assertTrue(wanted.containsAll(answered), "answers from " + answered + ", the instances are " + wanted);
            return seen.containsAll(wanted) ? true : null;
        });
    }

    /** {@code count} requests, each on a connection of its own, from host {@code client} to host {@code n}'s port: the pids that answered. */
    private List<Long> answers(int client, int n, int port, int count) {
        return answers(client, client, n, port, count);
    }

    /** As {@link #answers(int, int, int, int)}, from the address {@code from} of host {@code client}. */
    private List<Long> answers(int from, int client, int n, int port, int count) {
        List<String> command = new ArrayList<>(network.exec(client));
        command.addAll(
                List.of("curl", "-s", "-m", "10", "-H", "Connection: close", "--interface", network.address(from)));
        for (int i = 0; i < count; i++) {
            command.add("http://" + network.address(n) + ":" + port + "/");
        }
        try {
            Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(curl.waitFor(30, TimeUnit.SECONDS), "curl did not finish");
            List<Long> pids = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (line.startsWith("pid=")) {
                    pids.add(Long.parseLong(line.substring(4, line.indexOf(' '))));
                }
            }
            return pids;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String settings(int n) {
        JsonArray members = new JsonArray();
        for (int m = 1; m <= NODES.size(); m++) {
            members.add(network.address(m) + ":" + MEMBERSHIP_PORT);
        }
        return new JsonObject()
                .put(
                        "cluster",
                        new JsonObject()
                                .put("name", "it")
                                .put("node", NODES.get(n - 1))
                                .put("listen", network.address(n) + ":" + MEMBERSHIP_PORT)
                                .put("bus_port", BUS_PORT)
                                .put("members", members)
                                .put("timeout_ms", ClusterHosts.TIMEOUT_MS))
                .encodePrettily();
    }
}
