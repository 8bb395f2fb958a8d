package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code jpm logs api@web-2} on web-1 (docs/CLUSTER.md): web-2's live lines relayed, web-2's last
 * lines read there first, with no line lost or doubled between the two, and the options and bad
 * input as on one host. Run by ClusterRemoteIT on its three daemons (a class of their own started
 * three more for these two); each starts its own app on web-2 and deletes it.
 */
final class RemoteLogs {
    private RemoteLogs() {}

    static void followsTheLiveLinesOfAnAppOnAnotherHost(ClusterHosts cluster) throws Exception {
        Jpm web1 = cluster.get("web-1");
        Jpm web2 = cluster.get("web-2");
        web2.ok("start", Jpm.fixture("ticker.sh").toString(), "--name", "ticker");
        web2.awaitStatus("ticker", "online");
        Path out = web1.scratch.resolve("remote-logs.txt");
        long noFollowerBefore = noFollowerLines(web2);
        Process logs = web1.follow(out, "logs", "ticker@web-2");
        try {
            web1.await("web-2's ticker lines on web-1", () -> {
                String text = web1.readLog(out.toString());
                return text.matches("(?s).*\\|ticker +\\| tick .*") && text.matches("(?s).*\\|ticker +\\| tock .*")
                        ? text
                        : null;
            });
        } finally {
            logs.destroy();
            logs.waitFor();
        }
        // web-1 has no app of that name: the lines came from web-2
        assertTrue(web1.named("ticker").isEmpty());
        // once the follower is gone, web-2 builds no more lines for it: counted, as the class's other
        // tests follow web-2's lines (and its figures) too
        web2.await(
                "web-2's live log lines without a follower again",
                () -> noFollowerLines(web2) > noFollowerBefore ? true : null);
        web2.ok("delete", "ticker");
    }

    /**
     * {@code jpm logs name@host} first shows the last lines of the files on that host, then its live
     * lines: the ticks counted on from the history to the live lines skip none and repeat none.
     */
    static void showsAnotherHostsLastLinesThenItsLiveOnesWithNoneLostOrDoubled(ClusterHosts cluster) throws Exception {
        Jpm web1 = cluster.get("web-1");
        Jpm web2 = cluster.get("web-2");
        web2.ok("start", Jpm.fixture("ticker.sh").toString(), "--name", "clock");
        try {
            String outLog = web2.awaitStatus("clock", "online")
                    .get(0)
                    .getJsonObject("pm2_env")
                    .getString("pm_out_log_path");
            web2.await(
                    "20 ticks in web-2's file",
                    () -> web2.readLog(outLog).lines().count() >= 20 ? true : null);
            // web-2 builds no live line yet: it starts at the request, none written after the read is lost
            assertEachTickOnce(web1, "history-then-live.txt");
            // a follower on web-2 itself: web-2 builds live lines all along, and the batch gathered at the read is
            // dropped
            Path local = web2.scratch.resolve("local-follower.txt");
            Process follower = web2.follow(local, "logs", "clock", "--lines", "0", "--raw", "--out");
            try {
                web2.await(
                        "the follower on web-2 listening",
                        () -> ticks(web2.readLog(local.toString())).isEmpty() ? null : true);
                assertEachTickOnce(web1, "history-then-live-2.txt");
            } finally {
                follower.destroy();
                follower.waitFor();
            }

            Jpm.Result errOnly = web1.ok("logs", "clock@web-2", "--lines", "3", "--err", "--raw", "--nostream");
            // --raw prints stderr's lines on stderr, as pm2 does
            List<String> tocks = errOnly.err().strip().lines().toList();
            assertEquals(3, tocks.size(), errOnly.toString());
            assertTrue(tocks.stream().allMatch(line -> line.matches("tock \\d+")), errOnly.toString());

            Jpm.Result json = web1.ok("logs", "clock", "--host", "web-2", "--lines", "2", "--json", "--nostream");
            List<String> objects = json.out().strip().lines().toList();
            assertEquals(4, objects.size(), json.toString());
            for (String line : objects) {
                JsonObject object = new JsonObject(line);
                assertEquals("clock", object.getString("app_name"), line);
                assertTrue(object.getString("message").matches("(tick|tock) \\d+"), line);
            }

            // as on this host: the header, no line
            Jpm.Result none = web1.ok("logs", "clock@web-2", "--lines", "0", "--nostream");
            assertEquals(
                    List.of(
                            "[TAILING] Tailing last 0 lines for [clock] process on web-2 (change the value with --lines option)"),
                    none.out().strip().lines().toList(),
                    none.toString());
            Jpm.Result badLines = web1.cli("logs", "clock@web-2", "--lines", "many");
            assertNotEquals(0, badLines.exit(), badLines.toString());
            assertEquals(
                    "jpm: --lines expects a number of lines, got 'many'",
                    badLines.err().strip().lines().findFirst().orElse(""),
                    badLines.toString());
            Jpm.Result daemonLog = web1.cli("logs", "jpm@web-2");
            assertNotEquals(0, daemonLog.exit(), daemonLog.toString());
            assertEquals(1, daemonLog.err().strip().lines().count(), daemonLog.toString());
        } finally {
            web2.ok("delete", "clock");
        }
    }

    /** The lines of web-2's daemon.log that say nobody follows its live log lines through the cluster. */
    private static long noFollowerLines(Jpm web2) {
        return web2.readLog(web2.home.resolve("daemon.log").toString())
                .lines()
                .filter(l -> l.contains("live log lines: 0 follower(s) through the cluster"))
                .count();
    }

    /** {@code jpm logs clock@web-2 --lines 5}: the last 5 ticks of web-2's file, then 30 live ones, each once and in order. */
    private static void assertEachTickOnce(Jpm web1, String file) throws Exception {
        Path out = web1.scratch.resolve(file);
        Process logs = web1.follow(out, "logs", "clock@web-2", "--lines", "5", "--out", "--raw");
        List<Integer> ticks;
        try {
            ticks = web1.await("web-2's last lines, then 30 live ones", () -> {
                List<Integer> seen = ticks(web1.readLog(out.toString()));
                return seen.size() >= 35 ? seen : null;
            });
        } finally {
            logs.destroy();
            logs.waitFor();
        }
        assertTrue(ticks.get(0) > 15, "the last 5 of at least 20 lines, not the whole file: " + ticks);
        for (int i = 1; i < ticks.size(); i++) {
            assertEquals(ticks.get(i - 1) + 1, ticks.get(i), "each tick once, in order: " + ticks);
        }
    }

    /** The tick numbers of {@code --raw --out} lines ("tick 12"), the last (maybe partial) line left out. */
    private static List<Integer> ticks(String text) {
        List<Integer> ticks = new ArrayList<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size() - (text.endsWith("\n") ? 0 : 1); i++) {
            if (lines.get(i).matches("tick \\d+")) {
                ticks.add(Integer.parseInt(lines.get(i).substring(5)));
            }
        }
        return ticks;
    }
}
