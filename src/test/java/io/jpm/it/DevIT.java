package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * bin/jpm-dev, pm2-dev's counterpart: a real jpm-dev process (through the script, as a developer
 * types it) in a project folder, its foreground daemon and real apps; what a file change does, what
 * --ignore, --post-exec and --test-mode do, and that a signal leaves nothing running.
 */
class DevIT {
    private static final Path DEV = Path.of("bin", "jpm-dev").toAbsolutePath();
    /** Says it is up, idles; with CRASH_FIRST, its very first run exits 1 instead (its mark outside the watched folder). */
    private static final String APP =
            """
      #!/usr/bin/env bash
      if [ -n "$CRASH_FIRST" ] && [ ! -f "$JPM_TEST_DIR/crashed" ]; then : > "$JPM_TEST_DIR/crashed"; echo crashing; exit 1; fi
      echo "up $$"
      exec sleep 100000
      """;

    /** A project folder with app.sh, node_modules/ and tmp/, as a developer's. */
    private static Path project(Jpm jpm) throws IOException {
        Path project = Files.createDirectories(jpm.scratch.resolve("project"));
        Files.createDirectories(project.resolve("node_modules"));
        Files.createDirectories(project.resolve("tmp"));
        Path app = Files.writeString(project.resolve("app.sh"), APP);
        assertTrue(app.toFile().setExecutable(true));
        return project;
    }

    private static ScriptRun start(Jpm jpm, Path project, Map<String, String> env, String... words) throws IOException {
        return ScriptRun.start(jpm, project, env, DEV, words);
    }

    /** The one instance of {@code name} once it is online under the daemon of {@code home}. */
    private static JsonObject online(Jpm jpm, String name) {
        // a jpm command before jpm-dev's daemon is up would start a daemon of its own
        Jpm.await("jpm-dev's daemon up", () -> Files.isRegularFile(jpm.home.resolve("daemon.json")) ? true : null);
        return jpm.awaitStatus(name, "online").get(0);
    }

    private static int restarts(JsonObject process) {
        return process.getJsonObject("pm2_env").getInteger("restart_time");
    }

    @Test
    void aFileChangeRestartsTheAppAndIgnoredPathsDoNot() throws Exception {
        try (Jpm jpm = new Jpm()) {
            Path project = project(jpm);
            ScriptRun run = start(jpm, project, Map.of(), "app.sh", "--ignore", "tmp");
            JsonObject app = online(jpm, "app");
            assertEquals(Boolean.TRUE, app.getJsonObject("pm2_env").getValue("watch"));
            assertEquals(
                    new JsonArray(List.of("tmp", "node_modules")),
                    app.getJsonObject("pm2_env").getJsonArray("ignore_watch"));
            Jpm.await(
                    "the banner and the app's line",
                    () -> run.stdout().contains("Watch and Restart    : Enabled")
                                    && run.stdout().lines().anyMatch(l -> l.matches("app-0 +\\| up \\d+"))
                            ? true
                            : null);

            // the ignored changes come first: had they been seen, they would restart the app before
            // (or with) the change to src.js, and its restart line would name them
            Files.writeString(project.resolve("tmp").resolve("cache.txt"), "x");
            Files.writeString(project.resolve("node_modules").resolve("dep.js"), "x");
            Files.writeString(project.resolve("src.js"), "changed");
            String line = Jpm.await("the restart line", () -> run.stdout()
                    .lines()
                    .filter(l -> l.startsWith("[jpm-dev] App app restarted"))
                    .findFirst()
                    .orElse(null));
            assertEquals("[jpm-dev] App app restarted (watch: " + project.resolve("src.js") + " changed)", line);
            JsonObject restarted = Jpm.await("the app online again", () -> {
                JsonObject p = jpm.named("app").get(0);
                return restarts(p) == 1 && "online".equals(Jpm.status(p)) ? p : null;
            });
            assertNotEquals(app.getLong("pid"), restarted.getLong("pid"));
            assertEquals(
                    1, run.stdout().lines().filter(l -> l.contains("restarted")).count(), run.stdout());

            run.process().destroy();
            assertEquals(0, run.awaitExit(), run.stdout() + run.stderr());
        }
    }

    @Test
    void ctrlCStopsTheAppAndTheDaemonAndExitsZero() throws Exception {
        try (Jpm jpm = new Jpm()) {
            ScriptRun run = start(jpm, project(jpm), Map.of(), "app.sh", "-i", "2");
            online(jpm, "app");
            List<Long> apps =
                    jpm.named("app").stream().map(p -> p.getLong("pid")).toList();
            assertEquals(2, apps.size());
            long daemon = jpm.daemonPid();

            run.signal("INT"); // what Ctrl-C sends
            assertEquals(0, run.awaitExit(), run.stdout() + run.stderr());
            assertTrue(run.stdout().contains("[jpm-dev] Stopping current development session"), run.stdout());
            for (long pid : apps) {
                assertFalse(Jpm.alive(pid), "app " + pid + " still runs");
            }
            Jpm.awaitGone(daemon);
            assertFalse(Files.exists(jpm.home.resolve("daemon.json")));
        }
    }

    @Test
    void sigtermStopsEverythingAndTheHomeIsTheUsersJpmDevUnlessJpmHomeIsSet() throws Exception {
        try (Jpm jpm = new Jpm()) {
            Path user = Files.createDirectories(jpm.scratch.resolve("user"));
            ScriptRun run = start(
                    jpm, project(jpm), Map.of("JPM_HOME", "", "JAVA_TOOL_OPTIONS", "-Duser.home=" + user), "app.sh");
            Path home = user.resolve(".jpm-dev");
            long daemon = Jpm.await("the daemon in ~/.jpm-dev", () -> {
                try {
                    return Files.isRegularFile(home.resolve("daemon.json"))
                            ? Long.parseLong(
                                    Files.readString(home.resolve("jpm.pid")).trim())
                            : null;
                } catch (IOException e) {
                    return null;
                }
            });
            long app = Long.parseLong(Jpm.await("the app's line", () -> run.stdout()
                    .lines()
                    .filter(l -> l.matches("app-0 +\\| up \\d+"))
                    .map(l -> l.substring(l.lastIndexOf(' ') + 1))
                    .findFirst()
                    .orElse(null)));
            assertTrue(run.stdout().contains("(JPM_HOME=" + home + ")"), run.stdout());

            run.process().destroy(); // SIGTERM
            assertEquals(0, run.awaitExit(), run.stdout() + run.stderr());
            assertFalse(Jpm.alive(app), "the app still runs");
            Jpm.awaitGone(daemon);
        }
    }

    @Test
    void postExecRunsAfterARestartAFileChangeCausedAndNotAfterACrash() throws Exception {
        try (Jpm jpm = new Jpm()) {
            Path project = project(jpm);
            Path phase = Files.writeString(jpm.scratch.resolve("phase"), "crash\n");
            Path ran = jpm.scratch.resolve("post-exec.txt");
            ScriptRun run = start(
                    jpm,
                    project,
                    Map.of("CRASH_FIRST", "1"),
                    "app.sh",
                    "--post-exec",
                    "echo posted; cat '" + phase + "' >> '" + ran + "'");
            Jpm.await(
                    "the restart after the crash",
                    () -> run.stdout().contains("[jpm-dev] App app restarted (restart after exited with code 1)")
                            ? true
                            : null);
            online(jpm, "app");

            Files.writeString(phase, "watch\n");
            Files.writeString(project.resolve("src.js"), "changed");
            // its echo comes before its cat, and >> creates the file before cat writes into it
            Jpm.await("the command's run", () -> {
                try {
                    return run.stdout().contains("posted")
                                    && Files.readString(ran).endsWith("\n")
                            ? true
                            : null;
                } catch (IOException e) {
                    return null;
                }
            });
            assertEquals("watch\n", Files.readString(ran), "run once, after the change, not after the crash");

            run.process().destroy();
            assertEquals(0, run.awaitExit(), run.stdout() + run.stderr());
        }
    }

    @Test
    void testModeStartsAFilesAppsWatchedUnderABackgroundDaemonAndReturns() throws Exception {
        // pm2's own e2e test (pm2-dev.sh) runs `pm2-dev start app.json --test-mode`, then reads prettylist
        try (Jpm jpm = new Jpm()) {
            Path project = project(jpm);
            Files.writeString(
                    project.resolve("app.json"),
                    "{\"apps\":[{\"name\":\"plain\",\"script\":\"app.sh\"},"
                            + "{\"name\":\"own\",\"script\":\"app.sh\",\"watch\":[\"lib\"],\"ignore_watch\":[\"lib/img\"]}]}");
            ScriptRun run = start(jpm, project, Map.of(), "start", "app.json", "--test-mode", "--ignore", "tmp");
            assertEquals(0, run.awaitExit(), run.stdout() + run.stderr());

            Map<String, JsonObject> env = new HashMap<>();
            for (String name : List.of("plain", "own")) {
                env.put(name, jpm.awaitStatus(name, "online").get(0).getJsonObject("pm2_env"));
            }
            assertEquals(Boolean.TRUE, env.get("plain").getValue("watch"));
            assertEquals(
                    new JsonArray(List.of("tmp", "node_modules")),
                    env.get("plain").getJsonArray("ignore_watch"));
            assertEquals(
                    new JsonArray(List.of("lib")), env.get("own").getJsonArray("watch"), "the app's own watch wins");
            assertEquals(new JsonArray(List.of("lib/img")), env.get("own").getJsonArray("ignore_watch"));
        }
    }

    @Test
    void autoExitStopsEverythingAndExitsOneOnceNoAppRuns() throws Exception {
        try (Jpm jpm = new Jpm()) {
            ScriptRun run = start(
                    jpm, project(jpm), Map.of(), Jpm.fixture("crash.sh").toString(), "--no-autorestart", "--auto-exit");
            assertEquals(1, run.awaitExit(), run.stdout() + run.stderr());
            assertTrue(run.stdout().contains("crash with 1"), run.stdout());
            assertTrue(run.stdout().contains("0 application online"), run.stdout());
            assertFalse(Files.exists(jpm.home.resolve("jpm.pid")), "the daemon stopped with jpm-dev");
        }
    }

    @Test
    void badInputExitsOneWithOneLineAndStartsNothing() throws Exception {
        try (Jpm jpm = new Jpm()) {
            Path project = project(jpm);
            for (List<String> words : List.<List<String>>of(
                    List.of("app.sh", "--no-such-option"),
                    List.of("app.sh", "--ignore"),
                    List.of("missing.json"),
                    List.of())) {
                ScriptRun run = start(jpm, project, Map.of(), words.toArray(String[]::new));
                assertEquals(1, run.awaitExit(), words + ": " + run.stdout() + run.stderr());
                assertEquals(1, run.stderr().lines().count(), words + ": " + run.stderr());
                assertTrue(run.stderr().startsWith("jpm-dev: "), run.stderr());
                assertEquals("", run.stdout(), words.toString());
            }
            assertFalse(Files.exists(jpm.home.resolve("daemon.log")), "no daemon was started");
        }
    }
}
