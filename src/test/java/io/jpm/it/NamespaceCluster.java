package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
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

/**
 * N hosts in {@link NetworkNamespaces}, a cluster of them (docs/CLUSTER.md), for the ITs whose network
 * must be cut or whose hosts must each open the same port: host {@code n} (1-based) is the
 * {@code n}-th node, its daemon running inside its namespace with its own JPM_HOME, sharing the first
 * host's cluster secret and key, every host a member. {@link #close()} kills every daemon, then deletes
 * the namespaces.
 */
final class NamespaceCluster implements AutoCloseable {
    private static final int MEMBERSHIP_PORT = 5701;
    private static final int BUS_PORT = 5702;

    final NetworkNamespaces network;
    final List<String> nodes;
    private final List<Jpm> hosts = new ArrayList<>();

    /** Fails in CI and skips elsewhere when namespaces cannot be made here (they need root). */
    static void assumeNamespaces() {
        String why = NetworkNamespaces.unavailableBecause();
        if (why != null && "true".equals(System.getenv("CI"))) {
            fail("network namespaces are needed in CI: " + why);
        }
        assumeTrue(why == null, () -> "no network namespaces here: " + why);
    }

    /** A host in a namespace a node, no daemon started yet ({@link #start}): the test may add to a host's link first. */
    NamespaceCluster(List<String> nodes) throws IOException {
        this.nodes = List.copyOf(nodes);
        this.network = new NetworkNamespaces();
        try {
            for (int n = 1; n <= nodes.size(); n++) {
                network.host(n);
                hosts.add(new Jpm(network.exec(n)));
            }
        } catch (IOException | RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /** {@link #assumeNamespaces}, then the hosts made and {@link #start}ed with {@code apps}. */
    static NamespaceCluster started(List<String> nodes, String... apps) throws IOException {
        assumeNamespaces();
        NamespaceCluster cluster = new NamespaceCluster(nodes);
        try {
            cluster.start(apps);
            return cluster;
        } catch (Throwable e) {
            try {
                cluster.close();
            } catch (IOException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
    }

    /**
     * The cluster made and each daemon started with {@code apps} (idle.sh), then its own
     * {@code only-<node>}; returns once the first host's {@code jlist --all} lists every host's.
     */
    void start(String... apps) throws IOException {
        Jpm first = host(1);
        first.ok("cluster", "init");
        for (int n = 1; n <= nodes.size(); n++) {
            Jpm jpm = host(n);
            Files.createDirectories(jpm.home);
            if (n > 1) {
                for (String file : List.of("cluster.secret", "cluster.p12")) {
                    Files.copy(first.home.resolve(file), jpm.home.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
            jpm.settings(new JsonObject().put("cluster", section(n)));
            for (String app : apps) {
                jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", app);
            }
            jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "only-" + node(n));
        }
        ClusterHosts.awaitListed(first, nodes.size() * (apps.length + 1));
    }

    private JsonObject section(int n) {
        JsonArray members = new JsonArray();
        for (int m = 1; m <= nodes.size(); m++) {
            members.add(network.address(m) + ":" + MEMBERSHIP_PORT);
        }
        return new JsonObject()
                .put("name", "it")
                .put("node", node(n))
                .put("listen", network.address(n) + ":" + MEMBERSHIP_PORT)
                .put("bus_port", BUS_PORT)
                .put("members", members)
                .put("timeout_ms", ClusterHosts.TIMEOUT_MS);
    }

    Jpm host(int n) {
        return hosts.get(n - 1);
    }

    List<Jpm> hosts() {
        return List.copyOf(hosts);
    }

    String node(int n) {
        return nodes.get(n - 1);
    }

    /**
     * hello_server.py (it answers with its pid) on every node's {@code port} on 0.0.0.0, balanced
     * by {@code balance}; an instance is not ready while {@code notReady} exists.
     */
    JsonObject fleetApp(String name, int port, String balance, Path notReady) {
        return Jpm.app(name, Jpm.fixture("hello_server.py"))
                .put("hosts", new JsonArray(nodes))
                .put("port", port)
                .put("host", "0.0.0.0")
                .put("balance", balance)
                .put("listen_timeout", 2000)
                .put("env", new JsonObject().put("NOT_READY_FILE", notReady.toString()));
    }

    /** The pid of the first instance of {@code app} on each node, once each host has {@code count} online. */
    Map<String, Long> onlinePids(String app, int count) {
        return Jpm.await(app + ": " + count + " online on each host", ClusterHosts.JOIN_DEADLINE, () -> {
            Map<String, Long> first = new TreeMap<>();
            for (int n = 1; n <= nodes.size(); n++) {
                List<JsonObject> on = host(n).named(app);
                if (on.size() != count || !on.stream().allMatch(p -> "online".equals(Jpm.status(p)))) {
                    return null;
                }
                first.put(node(n), on.get(0).getLong("pid"));
            }
            return first;
        });
    }

    /** Waits until each host lists {@code count} instances of {@code app}, whatever their state. */
    void listed(String app, int count) {
        Jpm.await(app + ": " + count + " on each host", ClusterHosts.JOIN_DEADLINE, () -> {
            for (Jpm host : hosts) {
                if (host.named(app).size() != count) {
                    return null;
                }
            }
            return true;
        });
    }

    /** Polls host {@code n}'s port until its answers came from every pid of {@code wanted}, and from no other. */
    void awaitAnswersFrom(int n, int port, Set<Long> wanted, Duration deadline) {
        Set<Long> seen = new HashSet<>();
        Jpm.await(node(n) + ":" + port + " answered by " + wanted, deadline, () -> {
            List<Long> answered = answers(n, n, port, 10);
            seen.addAll(answered);
            assertTrue(wanted.containsAll(answered), "answers from " + answered + ", the instances are " + wanted);
            return seen.containsAll(wanted) ? true : null;
        });
    }

    /** {@code count} requests, each on a connection of its own, from host {@code client} to host {@code n}'s port: the pids that answered. */
    List<Long> answers(int client, int n, int port, int count) {
        return answers(client, client, n, port, count);
    }

    /** As {@link #answers(int, int, int, int)}, from the address {@code from} of host {@code client}. */
    List<Long> answers(int from, int client, int n, int port, int count) {
        List<String> args = new ArrayList<>(
                List.of("-s", "-m", "10", "-H", "Connection: close", "--interface", network.address(from)));
        for (int i = 0; i < count; i++) {
            args.add(url(n, port));
        }
        List<Long> pids = new ArrayList<>();
        for (String line : curl(client, args).split("\n")) {
            if (line.startsWith("pid=")) {
                pids.add(Long.parseLong(line.substring(4, line.indexOf(' '))));
            }
        }
        return pids;
    }

    /** http://(host n's address):port/ */
    String url(int n, int port) {
        return "http://" + network.address(n) + ":" + port + "/";
    }

    /** curl with {@code args} run inside host {@code n}: its output (stdout and stderr), once it finished. */
    String curl(int n, List<String> args) {
        List<String> command = new ArrayList<>(network.exec(n));
        command.add("curl");
        command.addAll(args);
        try {
            Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(curl.waitFor(30, TimeUnit.SECONDS), "curl did not finish");
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The pids of {@code app}'s instances on host {@code n}, from its own jlist. */
    List<Long> pids(int n, String app) {
        return host(n).named(app).stream().map(p -> p.getLong("pid")).toList();
    }

    /**
     * {@code jpm events} on each host into a file, once it follows (a restart of its own app shows
     * there): the files, in the hosts' order.
     */
    List<Path> followEvents() throws IOException {
        List<Path> files = new ArrayList<>();
        for (int n = 1; n <= nodes.size(); n++) {
            Jpm on = host(n);
            Path out = on.scratch.resolve("events-" + System.nanoTime() + ".txt");
            on.follow(out, "events");
            String own = "only-" + node(n);
            on.await(node(n) + "'s events followed", () -> {
                on.ok("restart", own);
                return on.readLog(out.toString()).contains("\"" + own + "\"") ? true : null;
            });
            files.add(out);
        }
        return files;
    }

    /** A load client in host {@code n} sending GETs to its own port (see {@link NamespaceLoad}), two threads. */
    NamespaceLoad load(int n, int port, boolean keepAlive) throws IOException {
        return new NamespaceLoad(
                network.exec(n),
                url(n, port),
                keepAlive,
                2,
                host(n).scratch.resolve("load-" + port + "-" + System.nanoTime() + ".txt"));
    }

    @Override
    public void close() throws IOException {
        try {
            for (Jpm jpm : hosts) {
                jpm.close();
            }
        } finally {
            network.close();
        }
    }
}
