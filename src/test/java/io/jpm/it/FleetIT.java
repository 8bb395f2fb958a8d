package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Fleet apps (docs/CLUSTER.md, "Fleet apps"): an app with {@code hosts} started on one member runs
 * its {@code instances} on each named member and none on the others; stop, start and delete from a
 * member that runs none of it act on every host; a member that was away when it was placed runs its
 * share once it is back, without a command; bad input (a host the cluster does not know, {@code
 * hosts} on a daemon in no cluster) is one line naming the app, the option and the host, and
 * nothing starts anywhere. restart, reload, scale, describe and logs from a member that runs none of
 * it act on or show the instances on every host that runs it, each answer naming the host; {@code
 * hosts: "all"} runs on every member, one that joins later too; save and resurrect keep a fleet app
 * on one member and on the whole cluster restarted. Three daemons on loopback (ClusterHosts, shared
 * by the class): nothing here cuts a link, so no network namespace is needed.
 */
class FleetIT extends ThreeHosts {
    private static final Map<String, List<String>> ONE_EACH =
            Map.of("web-1", List.of("online"), "web-2", List.of("online"));

    /** {@code jlist --all} from {@code from}: instances of {@code app} by host, with their states. */
    private static Map<String, List<String>> placement(Jpm from, String app) {
        Jpm.Fleetwide listed = from.listAll();
        Map<String, List<String>> byHost = new TreeMap<>();
        if (listed == null) {
            return byHost;
        }
        for (Object o : listed.processes()) {
            JsonObject p = (JsonObject) o;
            if (app.equals(p.getString("name"))) {
                byHost.computeIfAbsent(p.getString("host"), h -> new ArrayList<>())
                        .add(Jpm.status(p));
            }
        }
        return byHost;
    }

    private static Map<String, List<String>> awaitPlacement(Jpm from, String app, Map<String, List<String>> wanted) {
        return Jpm.await(
                app + " placed as " + wanted + " in " + from.home + "'s jlist --all",
                ClusterHosts.JOIN_DEADLINE,
                () -> {
                    Map<String, List<String>> now = placement(from, app);
                    return now.equals(wanted) ? now : null;
                });
    }

    private Path fleetFile(Jpm on, String name, Object hosts, int instances) throws Exception {
        JsonObject app =
                Jpm.app(name, Jpm.fixture("idle.sh")).put("hosts", hosts).put("instances", instances);
        return on.ecosystem(name + ".config.json", app);
    }

    /**
     * Placed from web-1 on web-1 and web-2; one edit of the watched file moves it to web-2 and web-3
     * (web-2's instances run on, the same processes); then web-1, which runs none of it, stops it
     * everywhere, web-2 starts it again, web-1 deletes it.
     */
    @Test
    void aFleetAppRunsOnItsHostsMovesWithAnEditAndActsFromAnyMember() throws Exception {
        Jpm web1 = cluster.get("web-1");
        Jpm web3 = cluster.get("web-3");
        Path file = fleetFile(web1, "fleet", new JsonArray(List.of("web-1", "web-2")), 2);
        web1.ok("start", file.toString());
        Map<String, List<String>> twoOnline =
                Map.of("web-1", List.of("online", "online"), "web-2", List.of("online", "online"));
        awaitPlacement(web3, "fleet", twoOnline);
        List<Long> web2Pids = pids(cluster.get("web-2"), "fleet");

        Path edited = fleetFile(web1, "fleet-edit", new JsonArray(List.of("web-2", "web-3")), 2);
        String text = Files.readString(edited).replace("fleet-edit", "fleet");
        Path temporary = file.resolveSibling("fleet.tmp");
        Files.writeString(temporary, text);
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        awaitPlacement(
                web1, "fleet", Map.of("web-2", List.of("online", "online"), "web-3", List.of("online", "online")));
        assertEquals(web2Pids, pids(cluster.get("web-2"), "fleet"), "web-2's instances run on");

        web1.ok("stop", "fleet");
        awaitPlacement(
                web3, "fleet", Map.of("web-2", List.of("stopped", "stopped"), "web-3", List.of("stopped", "stopped")));
        cluster.get("web-2").ok("start", "fleet");
        awaitPlacement(
                web1, "fleet", Map.of("web-2", List.of("online", "online"), "web-3", List.of("online", "online")));
        web1.ok("delete", "fleet");
        awaitPlacement(web3, "fleet", Map.of());
    }

    private static List<Long> pids(Jpm on, String app) {
        return on.named(app).stream().map(p -> p.getLong("pid")).sorted().toList();
    }

    /**
     * Placed while web-2 is down (the cluster knows it: it left), web-1 runs web-2's share too (the
     * count holds); web-2 runs its share once its daemon is back, without a command (the app was
     * never in web-2's dump), and web-1's extra stops.
     */
    @Test
    void aMemberAwayWhenTheAppWasPlacedRunsItsShareOnceBack() throws Exception {
        Jpm web1 = cluster.get("web-1");
        Jpm web2 = cluster.get("web-2");
        web2.ok("kill");
        web1.await("web-2 left in web-1's view", () -> {
            Jpm.Fleetwide listed = web1.listAll();
            return listed != null && listed.unreachable().stream().anyMatch(l -> l.startsWith("web-2: unreachable"))
                    ? true
                    : null;
        });
        web1.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "later", "--hosts", "web-1,web-2");
        awaitPlacement(web1, "later", Map.of("web-1", List.of("online", "online")));

        web2.ok("ping"); // starts web-2's daemon again: it joins
        awaitPlacement(web1, "later", Map.of("web-1", List.of("online"), "web-2", List.of("online")));
        web1.ok("delete", "later");
        awaitPlacement(web2, "later", Map.of());
    }

    @Test
    void aHostTheClusterDoesNotKnowStartsNothingAnywhere() throws Exception {
        Jpm web1 = cluster.get("web-1");
        JsonObject fleet =
                Jpm.app("nine", Jpm.fixture("idle.sh")).put("hosts", new JsonArray(List.of("web-1", "web-9")));
        JsonObject plain = Jpm.app("beside-nine", Jpm.fixture("idle.sh"));
        Path file = web1.ecosystem("nine.config.json", fleet, plain);
        Jpm.Result r = web1.cli("start", file.toString());
        assertNotEquals(0, r.exit(), r.toString());
        assertEquals(1, r.err().strip().lines().count(), r.toString());
        assertTrue(
                r.err().contains("app 'nine': option 'hosts': no member named 'web-9' in cluster 'it'"), r.toString());
        assertEquals(Map.of(), placement(web1, "nine"));
        assertEquals(Map.of(), placement(web1, "beside-nine"));
    }

    @Test
    void hostsOnADaemonInNoClusterStartsNothing() throws Exception {
        try (Jpm alone = new Jpm()) {
            alone.ok("ping");
            Jpm.Result r = alone.cli("start", Jpm.fixture("idle.sh").toString(), "--name", "lone", "--hosts", "web-1");
            assertNotEquals(0, r.exit(), r.toString());
            assertEquals(1, r.err().strip().lines().count(), r.toString());
            assertTrue(
                    r.err().contains("app 'lone': option 'hosts' needs a cluster and this daemon is in none"),
                    r.toString());
            JsonObject bad = Jpm.app("odd", Jpm.fixture("idle.sh")).put("hosts", new JsonArray(List.of("web 1")));
            Jpm.Result shape =
                    alone.cli("start", alone.ecosystem("odd.config.json", bad).toString());
            assertNotEquals(0, shape.exit(), shape.toString());
            assertTrue(shape.err().contains("app 'odd': option 'hosts' must be node names"), shape.toString());
            assertEquals(0, alone.jlist().size(), alone.jlist().encode());
        }
    }

    /** The pids of {@code app} on web-1 and web-2, asked of each. */
    private List<Long> bothPids(String app) {
        List<Long> all = new ArrayList<>(pids(cluster.get("web-1"), app));
        all.addAll(pids(cluster.get("web-2"), app));
        return all;
    }

    @Test
    void restartReloadScaleDescribeAndLogsFromAMemberThatRunsNone() throws Exception {
        Jpm web1 = cluster.get("web-1");
        Jpm web3 = cluster.get("web-3");
        web1.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "verbs", "--hosts", "web-1,web-2");
        awaitPlacement(web3, "verbs", ONE_EACH);
        List<Long> first = bothPids("verbs");

        Jpm.Result restarted = web3.ok("restart", "verbs");
        assertTrue(restarted.out().contains("[jpm] verbs@web-1 (id "), restarted.toString());
        assertTrue(restarted.out().contains("[jpm] verbs@web-2 (id "), restarted.toString());
        List<Long> second = bothPids("verbs");
        assertEquals(2, second.size(), second.toString());
        second.forEach(pid -> assertTrue(!first.contains(pid), first + " -> " + second));

        Jpm.Result reloaded = web3.ok("reload", "verbs");
        assertTrue(reloaded.out().contains("[jpm] verbs@web-2 (id "), reloaded.toString());
        awaitPlacement(web3, "verbs", ONE_EACH);
        List<Long> third = bothPids("verbs");
        third.forEach(pid -> assertTrue(!second.contains(pid), second + " -> " + third));

        Jpm.Result described = web3.ok("describe", "verbs");
        assertEquals(2, described.out().split("Describing process with id").length - 1, described.toString());
        assertTrue(described.out().contains("web-1") && described.out().contains("web-2"), described.toString());

        Jpm.Result logs = web3.ok("logs", "verbs", "--nostream", "--lines", "50");
        for (Long pid : third) {
            assertTrue(logs.out().contains("idle " + pid), pid + " in " + logs);
        }

        Jpm.Result scaled = web3.ok("scale", "verbs", "2");
        assertTrue(scaled.out().contains("verbs@web-1"), scaled.toString());
        Map<String, List<String>> twoEach =
                Map.of("web-1", List.of("online", "online"), "web-2", List.of("online", "online"));
        awaitPlacement(web1, "verbs", twoEach);
        assertTrue(pids(cluster.get("web-2"), "verbs").contains(third.get(1)), "web-2's instance runs on");

        Jpm.Result zero = web3.cli("scale", "verbs", "0");
        assertNotEquals(0, zero.exit(), zero.toString());
        assertEquals(1, zero.err().strip().lines().count(), zero.toString());
        assertTrue(zero.err().contains("scale verbs 0 gives 0 instances per host"), zero.toString());
        assertEquals(twoEach, placement(web1, "verbs"));

        web1.ok("scale", "verbs", "-1");
        awaitPlacement(web3, "verbs", ONE_EACH);

        followsTheLiveLinesOfEveryHost(web3, "verbs");

        web1.ok("stop", "verbs");
        awaitPlacement(web3, "verbs", Map.of("web-1", List.of("stopped"), "web-2", List.of("stopped")));
        web3.ok("restart", "verbs"); // pm2's restart of a stopped app starts it: here on every host
        awaitPlacement(web3, "verbs", ONE_EACH);
        web3.ok("delete", "verbs");
        awaitPlacement(web1, "verbs", Map.of());
    }

    /** {@code jpm logs <app>} on {@code from}: the lines of the instances a restart starts on web-1 and web-2, labelled with their hosts. */
    private void followsTheLiveLinesOfEveryHost(Jpm from, String app) throws Exception {
        Path followed = from.scratch.resolve(app + "-logs.txt");
        Process follower = from.follow(followed, "logs", app, "--lines", "0");
        try {
            for (String node : List.of("web-1", "web-2")) {
                Jpm on = cluster.get(node);
                on.awaitLog(on.home.resolve("daemon.log").toString(), "1 follower(s) through the cluster");
            }
            from.ok("restart", app);
            List<Long> restarted = bothPids(app);
            from.await("the lines of " + restarted + " from both hosts", () -> {
                String text = from.readLog(followed.toString());
                boolean all = restarted.stream().allMatch(pid -> text.contains("idle " + pid));
                return all && text.contains(app + "@web-1") && text.contains(app + "@web-2") ? text : null;
            });
        } finally {
            follower.destroy();
            follower.waitFor();
        }
    }

    /** {@code --hosts all}: every member, web-4 that joins later too; "all" beside a name is refused. */
    @Test
    void hostsAllRunsOnEveryMemberAndOneThatJoinsLater() throws Exception {
        Jpm web1 = cluster.get("web-1");
        Jpm.Result mixed =
                web1.cli("start", Jpm.fixture("idle.sh").toString(), "--name", "mixed", "--hosts", "all,web-1");
        assertNotEquals(0, mixed.exit(), mixed.toString());
        assertEquals(1, mixed.err().strip().lines().count(), mixed.toString());
        assertTrue(mixed.err().contains("app 'mixed': option 'hosts'"), mixed.toString());
        assertTrue(mixed.err().contains("\"all\" alone"), mixed.toString());
        assertEquals(Map.of(), placement(web1, "mixed"));

        cluster.get("web-2").ok("start", Jpm.fixture("idle.sh").toString(), "--name", "everywhere", "--hosts", "all");
        awaitPlacement(
                web1,
                "everywhere",
                Map.of("web-1", List.of("online"), "web-2", List.of("online"), "web-3", List.of("online")));

        Jpm web4 = cluster.track(new Jpm());
        cluster.shareKeys(web4);
        cluster.writeSettings(web4, "web-4", Ports.free(), new JsonObject());
        web4.ok("ping");
        Map<String, List<String>> four = Map.of(
                "web-1", List.of("online"),
                "web-2", List.of("online"),
                "web-3", List.of("online"),
                "web-4", List.of("online"));
        awaitPlacement(web1, "everywhere", four);
        Jpm.Result restarted = cluster.get("web-3").ok("restart", "everywhere");
        assertTrue(restarted.out().contains("everywhere@web-4"), restarted.toString());

        web1.ok("delete", "everywhere");
        awaitPlacement(web4, "everywhere", Map.of());
        web4.close();
        web1.await("web-4 left in web-1's view", () -> {
            Jpm.Fleetwide listed = web1.listAll();
            return listed != null && listed.unreachable().stream().anyMatch(l -> l.startsWith("web-4: unreachable"))
                    ? true
                    : null;
        });
        // unreachable in a listing is not out of the cluster yet: Hazelcast drops web-4 when it sees its
        // connections closed, which on a loaded machine (CI) came after the listing (forget refused it then)
        web1.await("web-4 forgotten once the cluster let it go", () -> {
            Jpm.Result forget = web1.cli("cluster", "forget", "web-4");
            if (forget.exit() == 0) {
                return true;
            }
            assertTrue(forget.err().contains("is in cluster"), forget.toString());
            return null;
        });
    }

    /**
     * save, kill and resurrect on web-2 bring its share back; then every member saved, killed and
     * resurrected (the cluster's map is gone with the last one): the app comes back with its
     * definition, so web-3, which never ran it, stops and deletes it everywhere.
     */
    @Test
    void saveAndResurrectKeepAFleetAppOnAMemberAndOnTheWholeCluster() throws Exception {
        Jpm web1 = cluster.get("web-1");
        Jpm web2 = cluster.get("web-2");
        Jpm web3 = cluster.get("web-3");
        web1.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "kept", "--hosts", "web-1,web-2");
        awaitPlacement(web3, "kept", ONE_EACH);

        web2.ok("save");
        web2.ok("kill");
        web2.ok("resurrect");
        awaitPlacement(web3, "kept", ONE_EACH);

        List<Jpm> all = List.of(web1, web2, web3);
        all.forEach(jpm -> jpm.ok("save"));
        all.stream()
                .map(jpm -> CompletableFuture.runAsync(() -> jpm.ok("kill")))
                .toList()
                .forEach(CompletableFuture::join);
        all.stream()
                .map(jpm -> CompletableFuture.runAsync(() -> jpm.ok("resurrect")))
                .toList()
                .forEach(CompletableFuture::join);
        awaitPlacement(web3, "kept", ONE_EACH);

        web3.ok("stop", "kept");
        awaitPlacement(web1, "kept", Map.of("web-1", List.of("stopped"), "web-2", List.of("stopped")));
        web3.ok("delete", "kept");
        awaitPlacement(web1, "kept", Map.of());
    }
}
