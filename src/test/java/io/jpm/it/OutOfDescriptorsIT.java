package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Out of descriptors (the daemon under {@code ulimit -n}),
 * {@code start} of many apps exited 0 with some errored, the reason only in describe. Now each app
 * that could not be spawned is named on stderr with the OS's reason and the limit, pm2's way
 * ({@code [jpm][ERROR] Process failed to launch ...}), the command exits 1, daemon.log has a line
 * per failure, and the apps that did start run on.
 */
@WithoutTuning
class OutOfDescriptorsIT {
    private static final int APPS = 30;
    private static final int OPEN_FILE_LIMIT = 128;

    @Test
    void aStartOutOfDescriptorsNamesEachAppThatFailedWithTheLimitAndExits1() throws IOException {
        // the first command spawns the daemon: it inherits the limit (about 17 of these apps fit)
        try (Jpm jpm = new Jpm(List.of("prlimit", "--nofile=" + OPEN_FILE_LIMIT + ":" + OPEN_FILE_LIMIT, "--"))) {
            List<JsonObject> apps = new ArrayList<>();
            for (int i = 0; i < APPS; i++) {
                apps.add(Jpm.app("app" + i, Jpm.fixture("idle.sh")));
            }
            String file =
                    jpm.ecosystem("many.json", apps.toArray(JsonObject[]::new)).toString();

            Jpm.Result start = jpm.cli("start", file);

            List<JsonObject> errored = new ArrayList<>();
            List<JsonObject> online = new ArrayList<>();
            for (Object o : jpm.jlist()) {
                JsonObject p = (JsonObject) o;
                (Jpm.status(p).equals("errored") ? errored : online).add(p);
            }
            assertFalse(errored.isEmpty(), "the limit was reached: " + start);
            assertFalse(online.isEmpty(), "some apps fit: " + start);
            assertEquals(1, start.exit(), start.toString());
            String log = Files.readString(jpm.home.resolve("daemon.log"));
            for (JsonObject p : errored) {
                String app = p.getString("name") + " (id " + p.getInteger("pm_id") + ")";
                String line = start.err()
                        .lines()
                        .filter(l -> l.startsWith("[jpm][ERROR] Process failed to launch " + app + ": spawn failed: "))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no line for " + app + " in " + start));
                assertTrue(
                        line.endsWith("Too many open files (the daemon's ulimit -n is " + OPEN_FILE_LIMIT + ")"), line);
                assertTrue(log.contains(app + ": spawn failed: "), "daemon.log names " + app);
            }
            for (JsonObject p : online) {
                assertTrue(Jpm.alive(p.getInteger("pid")), p.getString("name") + " runs on");
            }
        }
    }
}
