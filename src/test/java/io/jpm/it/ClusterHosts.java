package io.jpm.it;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Three real daemons (or the nodes given) on loopback for the cluster ITs (docs/CLUSTER.md), each with its own JPM_HOME,
 * ports and node name, sharing web-1's cluster secret and key, each running an app named "api"
 * (names repeat across hosts) and one of its own, "only-&lt;node&gt;". Every daemon started
 * through it is killed by {@link #close()}, strangers included.
 */
final class ClusterHosts implements AutoCloseable {
    static final List<String> NODES = List.of("web-1", "web-2", "web-3");
    /** Generous for a loaded test machine; the bound a user sees is their own timeout_ms. */
    static final int TIMEOUT_MS = 5000;

    static final Duration JOIN_DEADLINE = Duration.ofSeconds(60);
    /**
     * For a host whose daemon was started again (an update, a crash): it joins after its start, and
     * the join itself may take Hazelcast's own bound, 60 s (ClusterStart's hazelcast.max.join.seconds),
     * before it counts as failed. On a machine running five cluster ITs at once a join took 10-40 s.
     */
    static final Duration REJOIN_DEADLINE = KeeperIT.START_WITHIN.plus(Duration.ofSeconds(60));

    private final List<String> nodes;
    private final Map<String, Jpm> hosts = new HashMap<>();
    private final Map<String, Integer> membershipPorts = new HashMap<>();
    private final List<Jpm> started = new ArrayList<>();

    /** @param extra options of a node's cluster section beside the usual ones (bus_public, ...) */
    ClusterHosts(Function<String, JsonObject> extra) throws IOException {
        this(NODES, extra);
    }

    /** As the usual three, with these nodes (web-1 first: it makes the keys the others share). */
    ClusterHosts(List<String> nodes, Function<String, JsonObject> extra) throws IOException {
        this.nodes = List.copyOf(nodes);
        for (String node : nodes) {
            hosts.put(node, track(new Jpm()));
            membershipPorts.put(node, Ports.free());
        }
        Jpm first = get("web-1");
        first.ok("cluster", "init");
        for (String node : nodes) {
            Jpm jpm = get(node);
            if (jpm != first) {
                shareKeys(jpm);
            }
            writeSettings(jpm, node, membershipPorts.get(node), extra.apply(node));
        }
        // the three daemons start at once, as hosts rebooted together do: each joins whoever is up
        // (a cluster formed in halves merges), and the set-up takes one start, not three
        List<CompletableFuture<Void>> starts = new ArrayList<>();
        for (String node : nodes) {
            Jpm jpm = get(node);
            starts.add(CompletableFuture.runAsync(() -> {
                jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "api");
                jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "only-" + node);
            }));
        }
        starts.forEach(CompletableFuture::join);
    }

    Jpm get(String node) {
        return hosts.get(node);
    }

    /** Every daemon started, the tracked ones too (whose logs a failure prints: {@link HostLogs}). */
    List<Jpm> all() {
        return List.copyOf(started);
    }

    /** A daemon to kill at the end. */
    Jpm track(Jpm jpm) {
        started.add(jpm);
        return jpm;
    }

    /** web-1's cluster.secret and cluster.p12 copied into {@code jpm}'s home. */
    void shareKeys(Jpm jpm) throws IOException {
        Files.createDirectories(jpm.home);
        for (String file : List.of("cluster.secret", "cluster.p12")) {
            Files.copy(
                    get("web-1").home.resolve(file),
                    jpm.home.resolve(file),
                    StandardCopyOption.COPY_ATTRIBUTES,
                    StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** jpm.json with a cluster section naming the three members; {@code extra} over the usual options. */
    void writeSettings(Jpm jpm, String node, int port, JsonObject extra) throws IOException {
        jpm.settings(new JsonObject().put("cluster", section(node, port).mergeIn(extra)));
    }

    /** A cluster section for {@code node} listening on {@code port}, every node its members. */
    JsonObject section(String node, int port) throws IOException {
        JsonArray members = new JsonArray();
        nodes.forEach(n -> members.add("127.0.0.1:" + membershipPorts.get(n)));
        return new JsonObject()
                .put("name", "it")
                .put("node", node)
                .put("listen", "127.0.0.1:" + port)
                .put("bus_port", Ports.free())
                .put("members", members)
                .put("timeout_ms", TIMEOUT_MS);
    }

    /** Polls {@code from}'s view until every host answers with its two apps online. */
    void awaitEveryHostListed(Jpm from) {
        awaitListed(from, 6);
    }

    /** Polls {@code from}'s view until no host is unreachable and {@code processes} are listed, all online. */
    static JsonArray awaitListed(Jpm from, int processes) {
        return awaitListed(from, processes, JOIN_DEADLINE);
    }

    /** As {@link #awaitListed(Jpm, int)}, within {@code deadline}. */
    static JsonArray awaitListed(Jpm from, int processes, Duration deadline) {
        return Jpm.await("every host in jlist --all", deadline, () -> {
            Jpm.Fleetwide listed = from.listAll();
            if (listed == null || !listed.unreachable().isEmpty()) {
                return null;
            }
            JsonArray all = listed.processes();
            return all.size() == processes && all.stream().allMatch(p -> "online".equals(Jpm.status((JsonObject) p)))
                    ? all
                    : null;
        });
    }

    long pidOn(String node, String app) {
        return get(node).named(app).get(0).getLong("pid");
    }

    Map<String, Long> pids(String app) {
        Map<String, Long> pids = new HashMap<>();
        nodes.forEach(node -> pids.put(node, pidOn(node, app)));
        return pids;
    }

    static List<JsonObject> processes(JsonArray all, String host, String name) {
        List<JsonObject> found = new ArrayList<>();
        for (Object o : all) {
            JsonObject p = (JsonObject) o;
            if (host.equals(p.getString("host")) && name.equals(p.getString("name"))) {
                found.add(p);
            }
        }
        return found;
    }

    @Override
    public void close() throws IOException {
        List<CompletableFuture<Void>> kills = new ArrayList<>();
        for (Jpm jpm : started) {
            kills.add(CompletableFuture.runAsync(() -> {
                try {
                    jpm.close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
        }
        kills.forEach(CompletableFuture::join);
    }
}
