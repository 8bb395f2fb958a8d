package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Several hosts as one (docs/CLUSTER.md): three real daemons on loopback, each with its own
 * JPM_HOME, ports and node name, sharing one cluster secret and key, form one clustered bus. Each
 * runs an app named "api" (names repeat across hosts) and one of its own. web-2's event bus is
 * reached through a relay that records the bytes (its bus_public), as a network observer would. The
 * daemons live for the class; every one started here is killed at the end, the turned-away one included.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@WithoutTuning
class ClusterBusIT {
    private static final List<String> NODES = ClusterHosts.NODES;

    private ClusterHosts cluster;
    private final Map<String, Jpm> hosts = new HashMap<>();
    private RecordingRelay relayToWeb2;

    @BeforeAll
    void startThreeDaemons() throws IOException {
        int web2Bus = Ports.free();
        relayToWeb2 = new RecordingRelay(web2Bus);
        cluster = new ClusterHosts(node -> node.equals("web-2")
                ? new JsonObject().put("bus_port", web2Bus).put("bus_public", "127.0.0.1:" + relayToWeb2.port())
                : new JsonObject());
        NODES.forEach(node -> hosts.put(node, cluster.get(node)));
        cluster.awaitEveryHostListed(hosts.get("web-1"));
    }

    @AfterAll
    void killEveryDaemon() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
        if (relayToWeb2 != null) {
            relayToWeb2.close();
        }
    }

    @Test
    @Order(0)
    void clusterInitNeverOverwritesTheKeys() throws IOException {
        Jpm first = hosts.get("web-1");
        byte[] secret = Files.readAllBytes(first.home.resolve("cluster.secret"));
        byte[] keystore = Files.readAllBytes(first.home.resolve("cluster.p12"));
        Jpm.Result again = first.ok("cluster", "init");
        assertTrue(again.out().contains("cluster.secret is already there: kept"), again.toString());
        assertTrue(again.out().contains("cluster.p12 is already there: kept"), again.toString());
        assertTrue(Arrays.equals(secret, Files.readAllBytes(first.home.resolve("cluster.secret"))));
        assertTrue(Arrays.equals(keystore, Files.readAllBytes(first.home.resolve("cluster.p12"))));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(first.home.resolve("cluster.secret"))));
    }

    @Test
    @Order(1)
    void lsAllShowsEveryHostsApps() {
        Jpm.Result ls = hosts.get("web-2").ok("ls", "--all");
        assertTrue(ls.out().contains("│ host "), ls.toString());
        for (String node : NODES) {
            assertTrue(ls.out().contains("only-" + node), ls.toString());
        }
        JsonArray all = new JsonArray(hosts.get("web-3").ok("jlist", "--all").out());
        assertEquals(6, all.size(), all.encodePrettily());
        for (String node : NODES) {
            assertEquals(1, processes(all, node, "api").size(), node + " runs one api");
            assertEquals(1, processes(all, node, "only-" + node).size());
        }
    }

    @Test
    @Order(2)
    void aRestartOnAnotherHostChangesItsPidThereOnly() {
        Map<String, Long> before = apiPids();
        Jpm.Result restart = hosts.get("web-1").ok("restart", "api@web-2");
        assertTrue(restart.out().contains("api (id 0) restarted"), restart.toString());
        long web2 = hosts.get("web-2").awaitStatus("api", "online").get(0).getLong("pid");
        assertNotEquals(before.get("web-2"), web2, "web-2's api has a new run");
        assertEquals(before.get("web-1"), pidOn("web-1"), "web-1's api untouched");
        assertEquals(before.get("web-3"), pidOn("web-3"), "web-3's api untouched");

        hosts.get("web-1").ok("restart", "api", "--host", "web-3");
        assertNotEquals(
                before.get("web-3"),
                hosts.get("web-3").awaitStatus("api", "online").get(0).getLong("pid"));
        assertEquals(before.get("web-1"), pidOn("web-1"), "web-1's api untouched");
    }

    @Test
    @Order(3)
    void anUnknownHostIsOneLineAndChangesNothing() {
        Map<String, Long> before = apiPids();
        Jpm.Result result = hosts.get("web-1").cli("restart", "api@web-9");
        assertNotEquals(0, result.exit(), result.toString());
        assertEquals(1, result.err().strip().lines().count(), result.toString());
        assertEquals(before, apiPids());
    }

    @Test
    @Order(4)
    void aDaemonWithAnotherSecretIsTurnedAwayAndTheClusterIsUnaffected() throws IOException {
        Jpm stranger = cluster.track(new Jpm());
        stranger.ok("cluster", "init"); // a secret and key of its own
        cluster.writeSettings(stranger, "intruder", Ports.free(), new JsonObject());
        stranger.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "intruder-app");
        stranger.awaitLog(stranger.home.resolve("daemon.log").toString(), "wrong or missing cluster secret?");

        JsonArray all = new JsonArray(hosts.get("web-1").ok("jlist", "--all").out());
        assertEquals(6, all.size(), all.encodePrettily());
        assertFalse(all.encode().contains("intruder"), all.encodePrettily());
        Jpm.Result alone = stranger.ok("ls", "--all");
        assertTrue(alone.out().contains("intruder-app"), alone.toString());
        assertFalse(alone.out().contains("web-1"), alone.toString());
    }

    @Test
    @Order(5)
    void aKilledMemberIsUnreachableAndComesBackAfterItsRestart() throws IOException {
        Jpm web3 = hosts.get("web-3");
        long app = pidOn("web-3");
        long daemon = web3.daemonPid();
        // a host whose jpm is down: its keeper first, which would start it again at once (KeeperIT), and the
        // daemon frozen before, or it becomes the keeper in its own pid (KeeperReplacement) and starts a new
        // daemon, and the kill below hits that keeper (a CI run under load: the new daemon had no pipes to
        // adopt and started the apps again)
        long keeper = KeeperIT.parentOf(daemon);
        Jpm.signal("STOP", daemon);
        ProcessHandle.of(keeper).ifPresent(ProcessHandle::destroyForcibly); // SIGKILL
        Jpm.awaitGone(keeper);
        ProcessHandle.of(daemon).ifPresent(ProcessHandle::destroyForcibly);
        Jpm.awaitGone(daemon);
        // as soon as it is dead: each ls --all waits at most timeout_ms for it, then names it
        Jpm.Result ls = Jpm.await("web-3 listed unreachable", () -> {
            Jpm.Result r = hosts.get("web-1").ok("ls", "--all");
            return r.out().contains("web-3: unreachable") ? r : null;
        });
        assertTrue(ls.out().contains("only-web-1") && ls.out().contains("only-web-2"), ls.toString());
        assertFalse(ls.out().contains("only-web-3"), ls.toString());
        // no split-brain action: its app runs on without its daemon, and no other host took it over
        assertTrue(Jpm.alive(app), "web-3's api still runs");
        assertEquals(1, hosts.get("web-1").named("api").size());
        assertEquals(1, hosts.get("web-2").named("api").size());

        web3.ok("ping"); // starts web-3's daemon again: it rejoins by itself
        cluster.awaitEveryHostListed(hosts.get("web-1"));
    }

    /**
     * A command for web-2 crosses the relay in front of its event bus: the relay carried bytes (the
     * restart went through it) and none of them spell the app's name, which the request holds.
     */
    @Test
    @Order(6)
    void framesBetweenMembersAreNotPlainText() {
        String marker = "plain-text-marker-5e1d";
        Jpm web2 = hosts.get("web-2");
        web2.ok("start", Jpm.fixture("idle.sh").toString(), "--name", marker);
        long before = web2.awaitStatus(marker, "online").get(0).getLong("pid");
        int carried = relayToWeb2.seen().length;
        hosts.get("web-1").ok("restart", marker + "@web-2");
        assertNotEquals(before, web2.awaitStatus(marker, "online").get(0).getLong("pid"));
        byte[] seen = relayToWeb2.seen();
        assertTrue(seen.length > carried, "the restart went through the relay");
        String text = new String(seen, StandardCharsets.ISO_8859_1);
        assertFalse(text.contains(marker), "the app's name crossed the network in plain text");
        assertFalse(text.contains("jpm.host.web-2"), "an address crossed the network in plain text");
        assertEquals(0x16, seen[0], "the first byte carried is a TLS handshake record");
        web2.ok("delete", marker);
    }

    /**
     * A member cut off past the heartbeat bound while it lives on (its daemon frozen with SIGSTOP, as
     * a long GC pause or a stalled network would leave it): the others drop it, name it unreachable
     * and touch none of its apps; thawed, it finds itself outside the cluster, and Hazelcast's merge
     * (docs/CLUSTER.md) brings it back by itself: it lists every host again, commands cross both
     * ways, its apps the same processes throughout.
     */
    @Test
    @Order(7)
    void aMemberCutOffPastTheHeartbeatBoundMergesBackByItself() throws IOException {
        Jpm web1 = hosts.get("web-1");
        Jpm web3 = hosts.get("web-3");
        cluster.awaitEveryHostListed(web1);
        long app = pidOn("web-3");
        long only = cluster.pidOn("web-3", "only-web-3");
        long daemon = web3.daemonPid();
        signal("STOP", daemon);
        try {
            Jpm.await(
                    "web-3 dropped from the cluster",
                    ClusterHosts.JOIN_DEADLINE,
                    () -> web1.listsUnreachable("web-3: unreachable (left the cluster)") ? true : null);
            assertTrue(Jpm.alive(app), "web-3's api runs on while its daemon is cut off");
            assertEquals(1, web1.named("api").size());
        } finally {
            signal("CONT", daemon);
        }
        cluster.awaitEveryHostListed(web1);
        cluster.awaitEveryHostListed(web3);
        assertEquals(daemon, web3.daemonPid());
        assertEquals(app, pidOn("web-3"), "the merge touched no app");
        assertEquals(only, cluster.pidOn("web-3", "only-web-3"));
        long web1Api = pidOn("web-1");
        web3.ok("restart", "api@web-1");
        assertNotEquals(web1Api, web1.awaitStatus("api", "online").get(0).getLong("pid"));
        web1.ok("restart", "only-web-3@web-3");
        assertNotEquals(only, web3.awaitStatus("only-web-3", "online").get(0).getLong("pid"));
        assertEquals(app, pidOn("web-3"));
    }

    private static void signal(String name, long pid) throws IOException {
        try {
            assertEquals(
                    0,
                    new ProcessBuilder("kill", "-" + name, Long.toString(pid))
                            .inheritIO()
                            .start()
                            .waitFor());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private Map<String, Long> apiPids() {
        return cluster.pids("api");
    }

    private long pidOn(String node) {
        return cluster.pidOn(node, "api");
    }

    private static List<JsonObject> processes(JsonArray all, String host, String name) {
        return ClusterHosts.processes(all, host, name);
    }
}
