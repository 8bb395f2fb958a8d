package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A crash that took the apps with it (the keeper, the daemon and every app killed at once: the OOM
 * killer, a cgroup's kill): the next daemon restores them from its record and answers once they are
 * in its table, not once each is ready. A wait_ready app whose listen_timeout outlasts the daemon's
 * start deadline (30 s) held the start until the deadline: the daemon gave up and exited, the app
 * was left stopped, and `jpm ls` said the daemon did not answer.
 */
class SlowRestoreIT {
    @Test
    void theNextDaemonAnswersWhileARestoredAppIsNotReadyYet() throws Exception {
        try (Jpm jpm = new Jpm()) {
            Path trigger = jpm.scratch.resolve("ready");
            Files.writeString(trigger, "");
            JsonObject slow = Jpm.app("slow", Jpm.fixture("notify_ready.py"))
                    .put("wait_ready", true)
                    .put("listen_timeout", 90_000)
                    .put("env", new JsonObject().put("READY_TRIGGER", trigger.toString()));
            JsonObject after = Jpm.app("after", Jpm.fixture("idle.sh")).put("depends_on", new JsonArray().add("slow"));
            jpm.ok("start", jpm.ecosystem("slow.config.json", slow, after).toString());
            int slowPid = jpm.awaitStatus("slow", "online").get(0).getInteger("pid");
            int afterPid = jpm.awaitStatus("after", "online").get(0).getInteger("pid");
            DaemonAway.awaitRecorded(jpm, List.of((long) slowPid, (long) afterPid));
            Files.delete(trigger);

            int daemon = jpm.daemonPid();
            long keeper = KeeperIT.parentOf(daemon);
            // at once, so that no one of them acts on another's death: the apps are gone with the rest
            new ProcessBuilder("kill", "-KILL", "" + keeper, "" + daemon, "" + slowPid, "" + afterPid)
                    .inheritIO()
                    .start()
                    .waitFor();
            for (long pid : List.of(keeper, (long) daemon, (long) slowPid, (long) afterPid)) {
                Jpm.awaitGone(pid);
            }

            // the next daemon (started by this command) answers with slow launching, not ready
            JsonObject restored = jpm.named("slow").get(0);
            assertEquals("launching", Jpm.status(restored), restored.encode());
            assertNotEquals(slowPid, restored.getInteger("pid"));
            assertTrue(jpm.named("after").isEmpty(), "after waits for slow to be ready: " + jpm.names());
            // a save meanwhile keeps the app not started yet
            jpm.ok("save");
            String dump = Files.readString(jpm.home.resolve("dump.json"));
            assertTrue(dump.contains("\"after\""), dump);

            Files.writeString(trigger, "");
            jpm.awaitStatus("slow", "online");
            jpm.awaitStatus("after", "online");
            assertEquals(List.of("after", "slow"), jpm.names());
        }
    }
}
