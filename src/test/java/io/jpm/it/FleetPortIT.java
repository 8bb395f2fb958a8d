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
 * loopback only); an instance that is not ready is left out on every front. Namespaces need root:
 * outside CI a machine without it skips this class; in CI it fails.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FleetPortIT {
    private static final List<String> NODES = List.of("web-1", "web-2");
    private static final int MEMBERSHIP_PORT = 5701;
    private static final int BUS_PORT = 5702;
    private static final Duration DEADLINE = Duration.ofSeconds(30);

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
        List<String> command = new ArrayList<>(network.exec(client));
        command.addAll(List.of("curl", "-s", "-m", "10", "-H", "Connection: close"));
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
