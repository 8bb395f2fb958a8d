package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Deadline;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Satan reads /proc every idle_sample_interval while nobody follows the figures (here an hour: never,
 * within a test), yet `jlist` shows memory as it is now, a follower of jpm.events.metrics gets a
 * sample each sample_interval, and a memory limit is checked each sample_interval with nobody looking.
 */
@ExtendWith(JpmExtension.class)
class SamplingPaceIT {
    private static final long MIB = 1024 * 1024;

    @BeforeEach
    void idleForAnHour(Jpm jpm) throws IOException {
        jpm.settings(new JsonObject()
                .put("satan", new JsonObject().put("sample_interval", "200ms").put("idle_sample_interval", "1h")));
    }

    private static long memory(Jpm jpm, String name) {
        return jpm.named(name).get(0).getJsonObject("monit").getLong("memory");
    }

    @Test
    void jlistReadsMemoryAsItIsNowThoughNoPeriodicSampleCame(Jpm jpm) throws IOException {
        jpm.ok("start", Jpm.fixture("hold.py").toString(), "--name", "hold");
        int pid = jpm.awaitStatus("hold", "online").get(0).getInteger("pid");
        long before = Jpm.await("a first figure for hold", () -> memory(jpm, "hold") > 0 ? memory(jpm, "hold") : null);
        Files.createFile(jpm.scratch.resolve("hold-" + pid));
        long after = Jpm.await(
                "hold's 64 MiB in jlist", () -> memory(jpm, "hold") > before + 48 * MIB ? memory(jpm, "hold") : null);
        assertTrue(after < before + 256 * MIB, "one process group's memory, not the machine's: " + after);
        String described = jpm.ok("describe", "hold").out();
        Matcher shown = Pattern.compile("memory +│ ([\\d.]+)mb").matcher(described);
        assertTrue(shown.find() && Double.parseDouble(shown.group(1)) > 48, "describe shows it too: " + described);
    }

    @Test
    void aMetricsFollowerGetsASampleEachSampleInterval(Jpm jpm) throws IOException {
        jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "quiet");
        jpm.awaitStatus("quiet", "online");
        String token = RawBridge.token(jpm.home, "token");
        try (RawBridge bridge = new RawBridge(jpm.home)) {
            bridge.write(new JsonObject()
                    .put("type", "register")
                    .put("address", "jpm.events.metrics")
                    .put("headers", new JsonObject().put("token", token)));
            int samples = 0;
            Deadline deadline = Deadline.in(Duration.ofSeconds(60));
            while (samples < 5 && !deadline.passed()) {
                JsonObject frame = bridge.read((int) Math.max(1, deadline.remainingMillis()));
                if (frame != null && "jpm.events.metrics".equals(frame.getString("address"))) {
                    samples++;
                }
            }
            assertEquals(5, samples, "samples each 200 ms while a client follows them");
        }
    }

    @Test
    void aMemoryLimitIsCheckedEachSampleIntervalWithNobodyLooking(Jpm jpm) throws IOException {
        jpm.ok("start", Jpm.fixture("hold.py").toString(), "--name", "mem", "--max-memory-restart", "40M");
        int pid = jpm.awaitStatus("mem", "online").get(0).getInteger("pid");
        // satan learns the limit from God's facts after the online event: wait for its first check
        Files.createFile(jpm.scratch.resolve("hold-" + pid));
        // no jlist until the restart: a listing would take a sample of its own
        jpm.awaitLog(jpm.home.resolve("daemon.log").toString(), "restarting pm_id 0 (mem): memory ");
        JsonObject back = Jpm.await("mem online again", () -> {
            JsonObject p = jpm.named("mem").get(0);
            return "online".equals(Jpm.status(p)) && p.getInteger("pid") != pid ? p : null;
        });
        assertTrue(back.getJsonObject("jpm").getString("watchdog_restart").contains("over max_memory_restart 40.0M"));
    }
}
