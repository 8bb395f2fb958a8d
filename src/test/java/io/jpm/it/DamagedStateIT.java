package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A damaged state.json after a crash restored an older
 * record (1 app of 3) and stopped the leftovers it could not explain, with no word on the CLI. Now
 * the daemon says which file was damaged, which record it used and which leftovers it stopped, in
 * daemon.log and in the output of the first command after the recovery (only that one).
 */
@WithoutTuning
class DamagedStateIT {
    private static JsonArray recordedApps(Path state) {
        try {
            return Files.isRegularFile(state)
                    ? new JsonObject(Files.readString(state)).getJsonArray("apps")
                    : new JsonArray();
        } catch (IOException | RuntimeException e) {
            return new JsonArray(); // caught mid-rename
        }
    }

    @Test
    void aDamagedRecordAfterACrashIsNamedWithTheRecordUsedAndTheLeftoversStopped() throws Exception {
        try (Jpm jpm = new Jpm()) {
            for (String name : List.of("one", "two", "three")) {
                jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", name);
            }
            int two = jpm.pidOf("two");
            int three = jpm.pidOf("three");
            Path state = jpm.home.resolve("state.json");
            JsonArray apps = Jpm.await("the record of the three apps with their pids", () -> {
                JsonArray recorded = recordedApps(state);
                return recorded.size() == 3
                                && recorded.stream().allMatch(a -> !((JsonObject) a)
                                        .getJsonArray("processes")
                                        .isEmpty())
                        ? recorded
                        : null;
            });
            long daemon = jpm.daemonPid();
            new ProcessBuilder("kill", "-KILL", Long.toString(daemon)).start().waitFor();
            Jpm.awaitGone(daemon);
            // what a crash mid-write leaves: the record cut short, its .bak an older record of one app
            String text = Files.readString(state);
            Files.writeString(state, text.substring(0, text.length() / 2));
            JsonArray older = new JsonArray().add(apps.getJsonObject(0));
            assertEquals("one", older.getJsonObject(0).getString("name"));
            Files.writeString(
                    jpm.home.resolve("state.json.bak"),
                    new JsonObject().put("version", 1).put("apps", older).encodePrettily());

            Jpm.Result first = jpm.cli("ls");

            assertEquals(0, first.exit(), first.toString());
            String damaged = "[jpm] after the previous daemon's crash, a damaged record (" + state + ": ";
            String restored = "): restored the older one in " + state + ".bak instead, 1 app(s) (one)";
            String stopped = "[jpm] 2 leftover process group(s) of the previous daemon that the record used"
                    + " (state.json.bak) does not name were stopped and not restarted: ";
            List<String> lines = first.err().lines().toList();
            assertTrue(lines.stream().anyMatch(l -> l.startsWith(damaged) && l.endsWith(restored)), first.toString());
            String stoppedLine = lines.stream()
                    .filter(l -> l.startsWith(stopped))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no line on the leftovers in " + first));
            assertTrue(stoppedLine.contains("two-1 (pid " + two + ")"), stoppedLine);
            assertTrue(stoppedLine.contains("three-2 (pid " + three + ")"), stoppedLine);
            String log = Files.readString(jpm.home.resolve("daemon.log"));
            assertTrue(log.contains(damaged.substring("[jpm] ".length())), "daemon.log names the damaged file");
            assertTrue(log.contains(stopped.substring("[jpm] ".length())), "daemon.log names the leftovers stopped");

            Jpm.Result next = jpm.cli("ls");
            assertFalse(next.err().contains("after the previous daemon's crash"), "told once: " + next);
            assertEquals(List.of("one"), jpm.names());
        }
    }
}
