package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Fork-mode lifecycle through the real CLI with real processes: start, ls/jlist/describe, stop of a
 * whole process tree, delete, signals. The verbs' bookkeeping (restart_time, start of a known name,
 * targets) is tested over the bus in god/LifecycleTest, ecosystem files in god/FileAppsTest.
 */
@ExtendWith(JpmExtension.class)
@WithoutTuning
class LifecycleIT {

    private static String tree() {
        return Jpm.fixture("tree.sh").toString();
    }

    @Test
    void startsInstancesWithArgsEnvAndTheirOwnLogs(Jpm jpm) {
        Jpm.Result started = jpm.cli(
                Map.of("JPM_TEST_VAR", "from-client"),
                "start",
                tree(),
                "--name",
                "w",
                "-i",
                "2",
                "--",
                "--queue",
                "jobs");
        assertEquals(0, started.exit(), started.toString());
        assertTrue(started.out().contains("│ w "), "start prints the table: " + started.out());

        List<JsonObject> instances = jpm.awaitStatus("w", "online");
        assertEquals(2, instances.size());
        Set<Integer> indexes = instances.stream()
                .map(p -> p.getJsonObject("pm2_env").getInteger("NODE_APP_INSTANCE"))
                .collect(Collectors.toSet());
        assertEquals(Set.of(0, 1), indexes);
        assertNotEquals(instances.get(0).getInteger("pid"), instances.get(1).getInteger("pid"));
        for (JsonObject p : instances) {
            JsonObject env = p.getJsonObject("pm2_env");
            int pmId = p.getInteger("pm_id");
            String out = env.getString("pm_out_log_path");
            assertTrue(out.endsWith("logs/w-out-" + pmId + ".log"), out);
            assertTrue(env.getString("pm_err_log_path").endsWith("logs/w-error-" + pmId + ".log"));
            String log = jpm.awaitLog(out, "env: from-client");
            assertTrue(log.contains("args: --queue jobs"), log);
            int index = env.getInteger("NODE_APP_INSTANCE");
            assertTrue(log.contains("instance: " + index + " " + index), log);
            jpm.awaitLog(env.getString("pm_err_log_path"), "err line");
            assertEquals("fork_mode", env.getString("exec_mode"));
            assertEquals(0, env.getInteger("restart_time"));
            assertTrue(env.getLong("pm_uptime") > 0);
        }
        String table = jpm.ok("ls").out();
        assertTrue(table.contains("online") && table.contains(" w "), table);
    }

    @Test
    void stopLeavesNoProcessOfTheTreeBehind(Jpm jpm) {
        jpm.ok("start", tree(), "--name", "tree");
        JsonObject p = jpm.awaitStatus("tree", "online").get(0);
        long pid = p.getInteger("pid");
        long grandchild = jpm.grandchildOf(pid);
        assertTrue(Jpm.alive(grandchild));

        Path pidFile = jpm.home.resolve("pids").resolve("tree-" + p.getInteger("pm_id") + ".pid");
        assertEquals(Long.toString(pid), Jpm.await("the pid file", () -> {
            try {
                return Files.isRegularFile(pidFile) ? Files.readString(pidFile).trim() : null;
            } catch (IOException e) {
                return null;
            }
        }));

        Jpm.Result stopped = jpm.cli("stop", "tree");
        assertEquals(0, stopped.exit(), stopped.toString());
        JsonObject after = jpm.named("tree").get(0);
        assertEquals("stopped", Jpm.status(after));
        assertEquals(0, after.getInteger("pid"));
        Jpm.awaitGone(pid);
        Jpm.awaitGone(grandchild);
        Jpm.await("the pid file to go", () -> Files.exists(pidFile) ? null : true);
    }

    @Test
    void sendSignalReachesTheApp(Jpm jpm) {
        jpm.ok("start", tree(), "--name", "sig");
        JsonObject p = jpm.awaitStatus("sig", "online").get(0);
        String out = p.getJsonObject("pm2_env").getString("pm_out_log_path");
        jpm.awaitLog(out, "args:");
        Jpm.Result sent = jpm.cli("sendSignal", "SIGUSR2", "sig");
        assertEquals(0, sent.exit(), sent.toString());
        jpm.awaitLog(out, "got USR2");
        assertEquals("online", Jpm.status(jpm.named("sig").get(0)));
    }

    /** NuProcessLifecycleIT runs this class once more with JPM_LAUNCHER=nuprocess: it must be that launcher. */
    @Test
    void appsSpawnThroughTheLauncherAsked(Jpm jpm) throws IOException {
        jpm.ok("start", tree(), "--name", "launched");
        jpm.awaitStatus("launched", "online");
        String log = Files.readString(jpm.home.resolve("daemon.log"));
        String asked = jpm.env.get("JPM_LAUNCHER");
        String expected = "nuprocess".equals(asked) ? "spawning through NuProcess" : "spawning through ";
        assertTrue(log.contains(expected), log);
    }

    @Test
    void describeShowsTheProcess(Jpm jpm) {
        jpm.ok("start", tree(), "--name", "desc", "--kill-timeout", "2s", "--max-restarts", "4");
        jpm.awaitStatus("desc", "online");
        String text = jpm.ok("describe", "desc").out();
        assertTrue(text.contains("Describing process with id"), text);
        assertTrue(text.contains(tree()), text);
        assertTrue(text.contains("2000 ms"), text);
        assertTrue(text.matches("(?s).*max restarts\\s+│ 4.*"), text);
        assertTrue(text.contains("bash"), text);
    }

    @Test
    void deleteAllRemovesEverything(Jpm jpm) {
        jpm.ok("start", tree(), "--name", "d", "-i", "3");
        List<JsonObject> instances = jpm.awaitStatus("d", "online");
        jpm.ok("delete", "all");
        assertTrue(jpm.jlist().isEmpty());
        for (JsonObject p : instances) {
            Jpm.awaitGone(p.getInteger("pid"));
            Jpm.awaitGone(jpm.grandchildOf(p.getInteger("pid")));
        }
        assertFalse(jpm.ok("ls").out().contains(" d "));
    }
}
