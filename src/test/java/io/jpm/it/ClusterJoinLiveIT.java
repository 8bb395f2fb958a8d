package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A cluster section added to a daemon that started without one (docs/CLUSTER.md): nothing of
 * Hazelcast is open before it, the daemon joins when the section comes, its apps keep their pids;
 * a section it cannot join with (no secret yet) leaves it alone and the next edit tries again.
 * Taken out of the cluster again, it is listed unreachable by the other until forgotten.
 */
@WithoutTuning
class ClusterJoinLiveIT {

    @Test
    void aDaemonStartedAloneJoinsWhenAClusterSectionIsAdded() throws IOException {
        try (Jpm first = new Jpm();
                Jpm late = new Jpm()) {
            int firstPort = Ports.free();
            int latePort = Ports.free();
            first.ok("cluster", "init");
            Files.writeString(first.home.resolve("jpm.json"), settings("first", firstPort, firstPort, latePort));
            first.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "api");

            late.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "api");
            long api = late.named("api").get(0).getLong("pid");
            int daemon = late.daemonPid();
            assertFalse(Files.readString(Path.of("/proc/" + daemon + "/maps")).contains("hazelcast"));
            assertFalse(openFiles(daemon).contains("hazelcast"), "an unclustered daemon opens no Hazelcast jar");

            // no secret yet: it cannot join, says so, and runs on alone
            String log = late.home.resolve("daemon.log").toString();
            Files.writeString(late.home.resolve("jpm.json"), settings("late", latePort, firstPort, latePort));
            late.awaitLog(log, "the cluster section is not applied: ");
            assertTrue(late.cli("ls", "--all").err().contains("this daemon is not in a cluster"));

            // the keys copied, the next edit joins
            for (String file : List.of("cluster.secret", "cluster.p12")) {
                Files.copy(first.home.resolve(file), late.home.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
            }
            Files.writeString(late.home.resolve("jpm.json"), settings("late", latePort, firstPort, latePort) + "\n");
            JsonArray all = Jpm.await("late's api in first's jlist --all", ClusterHosts.JOIN_DEADLINE, () -> {
                Jpm.Fleetwide fleetwide = first.listAll();
                if (fleetwide == null) {
                    return null;
                }
                JsonArray listed = fleetwide.processes();
                return ClusterHosts.processes(listed, "late", "api").isEmpty() ? null : listed;
            });
            assertEquals(api, ClusterHosts.processes(all, "late", "api").get(0).getLong("pid"));
            assertEquals(api, late.named("api").get(0).getLong("pid"), "the apps run on through the join");
            assertEquals(daemon, late.daemonPid(), "the same daemon");
            // and the other way: a command from the late daemon reaches the first one
            long before = first.named("api").get(0).getLong("pid");
            late.ok("restart", "api@first");
            long after = first.awaitStatus("api", "online").get(0).getLong("pid");
            assertFalse(before == after, "restarted on first");
            assertEquals(api, late.named("api").get(0).getLong("pid"));

            // taken out of service: listed unreachable until forgotten, then no more
            Jpm.Result up = first.cli("cluster", "forget", "late");
            assertNotEquals(0, up.exit());
            assertTrue(
                    up.err().contains("'late' is in cluster 'it' now; only a host that left can be forgotten"),
                    up.toString());
            Files.writeString(late.home.resolve("jpm.json"), "{}");
            Jpm.await(
                    "late listed as left",
                    () -> first.listsUnreachable("late: unreachable (left the cluster)") ? true : null);
            Jpm.Result unknown = first.cli("cluster", "forget", "nobody");
            assertNotEquals(0, unknown.exit());
            assertTrue(
                    unknown.err().contains("no host 'nobody' in cluster 'it' (known: first, late)"),
                    unknown.toString());
            Jpm.Result alone = late.cli("cluster", "forget", "first");
            assertNotEquals(0, alone.exit());
            assertTrue(alone.err().contains("this daemon is not in a cluster"), alone.toString());
            assertTrue(first.ok("cluster", "forget", "late").out().contains("late forgotten"));
            Jpm.Result ls = first.ok("ls", "--all");
            assertFalse(ls.out().contains("late") || ls.err().contains("late"), ls.toString());
            assertEquals(api, late.named("api").get(0).getLong("pid"));
        }
    }

    /**
     * A daemon its keeper started again (here after a SIGKILL) answers before it joins; a join that then
     * fails (the secret gone meanwhile) ends it as a crash does: the app runs on, and the keeper's next
     * daemon, once the secret is back, joins and adopts it.
     */
    @Test
    void aDaemonStartedAgainJoinsAfterItsStartAndAFailedJoinLeavesTheAppsRunning() throws Exception {
        try (Jpm jpm = new Jpm()) {
            int port = Ports.free();
            jpm.ok("cluster", "init");
            Files.writeString(jpm.home.resolve("jpm.json"), settings("solo", port, port));
            jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "api");
            long api = jpm.named("api").get(0).getLong("pid");
            DaemonAway.awaitRecorded(jpm, List.of(api));
            String log = jpm.home.resolve("daemon.log").toString();
            assertFalse(
                    jpm.readLog(log).contains("joining the cluster after the start"), "the first start joins in it");

            Path secret = jpm.home.resolve("cluster.secret");
            Path aside = jpm.home.resolve("cluster.secret.aside");
            Files.move(secret, aside);
            int daemon = jpm.daemonPid();
            Jpm.signal("KILL", daemon);
            Jpm.awaitGone(daemon);
            jpm.awaitLog(
                    log,
                    "joining the cluster after the start (a daemon its keeper started again)",
                    KeeperIT.START_WITHIN);
            jpm.awaitLog(log, "cannot join the cluster: ", KeeperIT.START_WITHIN);
            jpm.awaitLog(log, "this daemon ends as a crash does: its keeper starts the next, which joins again");
            assertTrue(Jpm.alive(api), "the app runs on");

            Files.move(aside, secret);
            Jpm.await("the next daemon in the cluster, the app adopted", ClusterHosts.REJOIN_DEADLINE, () -> {
                Jpm.Fleetwide all = jpm.listAll();
                return all != null
                                && !ClusterHosts.processes(all.processes(), "solo", "api")
                                        .isEmpty()
                        ? true
                        : null;
            });
            assertEquals(api, jpm.named("api").get(0).getLong("pid"), "adopted, not started again");
        }
    }

    private static String settings(String node, int port, int... members) {
        JsonArray list = new JsonArray();
        for (int member : members) {
            list.add("127.0.0.1:" + member);
        }
        return new JsonObject()
                .put(
                        "cluster",
                        new JsonObject()
                                .put("name", "it")
                                .put("node", node)
                                .put("listen", "127.0.0.1:" + port)
                                .put("bus_port", Ports.free())
                                .put("members", list)
                                .put("timeout_ms", ClusterHosts.TIMEOUT_MS))
                .encodePrettily();
    }

    private static String openFiles(int pid) throws IOException {
        StringBuilder targets = new StringBuilder();
        try (var fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    targets.append(Files.readSymbolicLink(fd)).append('\n');
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        return targets.toString();
    }
}
