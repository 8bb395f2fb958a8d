package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The Node apps' metrics preload reports every 10 s while nobody watches and every second while
 * someone does (god.ReportPace): a follower of jpm.events.metrics (jpm monit, the dashboard, a bridge
 * or SockJS client) or a query that returns the figures (describe, jlist). The daemon says so to each
 * run, fork mode (jpm-ipc.js's channel) and cluster mode (Node's own IPC pipe) alike, as {cmd:
 * 'NODE_JPM_METRICS'}, which reaches the app's 'internalMessage' and never its 'message' listeners
 * (the fixture prints what reaches either); each run hears the pace when it comes online too. No
 * jlist here before the follower: it would be a watcher.
 */
@ExtendWith(JpmExtension.class)
class ReportPaceIT {
    @Test
    void theReportsAreFastWhileAFollowerOrAQueryWatchesAndIdleOtherwise(Jpm jpm) throws Exception {
        String fork = jpm.scratch.resolve("pace-fork.log").toString();
        String cluster = jpm.scratch.resolve("pace-cluster.log").toString();
        jpm.ok("start", Jpm.fixture("pace.js").toString(), "--name", "paced", "-o", fork);
        jpm.ok(
                "start",
                Jpm.fixture("pace.js").toString(),
                "--name",
                "paced-c",
                "-i",
                "2",
                "--merge-logs",
                "-o",
                cluster);
        jpm.awaitLog(fork, "up");
        awaitCount(jpm, cluster, "up", 2);
        // each run is told the pace when it comes online: nobody watches yet
        awaitCount(jpm, fork, "pace 10000\n", 1);
        awaitCount(jpm, cluster, "pace 10000\n", 2);

        String token = RawBridge.token(jpm.home, "token");
        try (RawBridge bridge = new RawBridge(jpm.home)) {
            bridge.write(new JsonObject()
                    .put("type", "register")
                    .put("address", "jpm.events.metrics")
                    .put("headers", new JsonObject().put("token", token)));
            jpm.awaitLog(fork, "pace 1000\n");
            awaitCount(jpm, cluster, "pace 1000\n", 2);
        }
        // the follower gone, and no query since: the idle pace at once
        awaitCount(jpm, fork, "pace 10000\n", 2);
        awaitCount(jpm, cluster, "pace 10000\n", 4);

        jpm.ok("describe", "paced");
        awaitCount(jpm, fork, "pace 1000\n", 2);
        awaitCount(jpm, cluster, "pace 1000\n", 4);
        for (String log : new String[] {fork, cluster}) {
            assertFalse(jpm.readLog(log).contains("message"), "the pace never reaches 'message': " + jpm.readLog(log));
        }
    }

    private static void awaitCount(Jpm jpm, String log, String text, int count) {
        Jpm.await(count + " x '" + text.strip() + "' in " + log, () -> {
            String content = jpm.readLog(log);
            return content.split(text, -1).length - 1 >= count ? content : null;
        });
    }
}
