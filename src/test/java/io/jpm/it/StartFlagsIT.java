package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** pm2's start and restart flags that scripts use: --wait-ready, --shutdown-with-message, -x, --ext, --parallel, --attach, --watch with a file or paths. */
@ExtendWith(JpmExtension.class)
class StartFlagsIT {

    @Test
    void waitReadyAndShutdownWithMessageFromTheCommandLine(Jpm jpm) {
        Jpm.Result started = jpm.ok(
                "start",
                Jpm.fixture("ready.js").toString(),
                "--name",
                "flags",
                "--wait-ready",
                "--listen-timeout",
                "60000",
                "--shutdown-with-message",
                "-x",
                "-k",
                "60000");
        assertTrue(started.out().contains("flags (id 0) online"), started.toString());
        JsonObject p = jpm.named("flags").get(0);
        JsonObject env = p.getJsonObject("pm2_env");
        assertTrue(env.getBoolean("wait_ready") && env.getBoolean("shutdown_with_message"), env.encode());
        assertEquals("fork_mode", env.getString("exec_mode"));
        assertTrue(p.getJsonObject("jpm").getString("last_reason").contains("process.send('ready')"), p.encode());
        jpm.ok("stop", "flags");
        assertTrue(jpm.readLog(env.getString("pm_out_log_path")).contains("bye via message"));
    }

    @Test
    void writeSavesTheAppsOptionsAsAFileThatStartsItAgain(Jpm jpm) throws Exception {
        Jpm.Result written =
                jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "wr", "-w", "--max-restarts", "4", "-m");
        Path file = jpm.scratch.resolve("wr-pm2.json");
        assertTrue(written.out().contains("Writing configuration to " + file), written.toString());
        assertTrue(written.out().contains("wr"), "the mini list (-m): " + written);
        JsonObject conf = new JsonObject(Files.readString(file));
        assertEquals("wr", conf.getString("name"));
        assertEquals(4, conf.getInteger("max_restarts"));
        jpm.ok("delete", "wr");
        jpm.ok("start", file.toString());
        assertEquals(
                4,
                jpm.awaitStatus("wr", "online").get(0).getJsonObject("pm2_env").getInteger("max_restarts"));
    }

    @Test
    void extWatchesOnlyFilesWithThoseExtensionsAsPm2Does(Jpm jpm) throws Exception {
        Path app = Files.createDirectories(jpm.scratch.resolve("extapp"));
        Files.writeString(app.resolve("main.js"), "");
        Files.writeString(app.resolve("notes.txt"), "");
        Files.createDirectories(app.resolve("node_modules/x"));
        Files.writeString(app.resolve("node_modules/x/y.txt"), "");
        Files.writeString(app.resolve("run.sh"), "exec sleep 100000\n");
        Jpm.Result started = jpm.cli(
                Map.of(),
                "start",
                app.resolve("run.sh").toString(),
                "--name",
                "ext",
                "--cwd",
                app.toString(),
                "--watch",
                "--ext",
                "js,json");
        assertEquals(0, started.exit(), started.toString());
        // listed as given, in pm2_env as pm2 lists it
        List<Object> ignored = jpm.named("ext")
                .get(0)
                .getJsonObject("pm2_env")
                .getJsonArray("ignore_watch")
                .getList();
        // made in the CLI's folder, as pm2's flagExt.js does: the scratch folder here
        assertTrue(ignored.contains(app.resolve("notes.txt").toString()), ignored.toString());
        assertTrue(ignored.contains(app.resolve("run.sh").toString()), ignored.toString());
        assertTrue(!ignored.contains(app.resolve("main.js").toString()), ignored.toString());
        assertTrue(ignored.stream().noneMatch(f -> f.toString().contains("node_modules")), ignored.toString());

        Jpm.Result bad = jpm.cli("start", app.resolve("run.sh").toString(), "--name", "ext2", "--ext", "a/b");
        assertEquals(1, bad.exit(), bad.toString());
        assertTrue(bad.err().contains("--ext expects extensions"), bad.toString());
    }

    @Test
    void parallelRestartsSomeAtATimeAndIsChecked(Jpm jpm) {
        jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "par", "-i", "4");
        jpm.awaitStatus("par", "online");
        Jpm.Result restarted = jpm.ok("restart", "par", "--parallel", "2");
        assertEquals(
                4, restarted.out().lines().filter(l -> l.contains("restarted")).count(), restarted.toString());
        jpm.named("par").forEach(p -> assertEquals(1, p.getJsonObject("pm2_env").getInteger("restart_time")));
        Jpm.Result bad = jpm.cli("restart", "par", "--parallel", "none");
        assertEquals(1, bad.exit(), bad.toString());
        assertTrue(bad.err().contains("--parallel expects a number"), bad.toString());
        jpm.named("par").forEach(p -> assertEquals(1, p.getJsonObject("pm2_env").getInteger("restart_time")));
    }

    /** Runs the CLI with {@code stdin} as its standard input. */
    private static Jpm.Result withStdin(Jpm jpm, String stdin, String... args) throws Exception {
        Path input = Files.writeString(Files.createTempFile(jpm.scratch, "stdin", ".json"), stdin);
        List<String> command = new ArrayList<>(List.of(Jpm.JAVA, "-cp", Jpm.JAR.toString(), "io.jpm.cli.Main"));
        command.addAll(List.of(args));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(jpm.scratch.toFile()).redirectInput(input.toFile());
        builder.environment().put("JPM_HOME", jpm.home.toString());
        Process cli = builder.start();
        String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(cli.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(cli.waitFor(60, TimeUnit.SECONDS));
        return new Jpm.Result(cli.exitValue(), out, err);
    }

    @Test
    void aDashReadsTheAppsAsJsonOnStdinAsPm2Does(Jpm jpm) throws Exception {
        String idle = Jpm.fixture("idle.sh").toString();
        Jpm.Result started = withStdin(
                jpm,
                "{\"apps\":[{\"name\":\"in1\",\"script\":\"" + idle + "\"}," + "{\"name\":\"in2\",\"script\":\"" + idle
                        + "\",\"instances\":2}]}",
                "start",
                "-");
        assertEquals(0, started.exit(), started.toString());
        jpm.awaitStatus("in1", "online");
        assertEquals(2, jpm.awaitStatus("in2", "online").size());

        Jpm.Result bad = withStdin(jpm, "{not json", "start", "-");
        assertEquals(1, bad.exit(), bad.toString());
        assertTrue(bad.err().contains("stdin: not JSON apps"), bad.toString());

        Jpm.Result deleted = withStdin(jpm, "[{\"name\":\"in2\"}]", "delete", "-");
        assertEquals(0, deleted.exit(), deleted.toString());
        assertTrue(jpm.named("in2").isEmpty());
        assertEquals(1, jpm.named("in1").size(), "only the named app went");
    }

    @Test
    void attachStreamsTheStartedAppsLinesUntilInterrupted(Jpm jpm) throws Exception {
        List<String> command = new ArrayList<>(List.of(
                Jpm.JAVA,
                "-cp",
                Jpm.JAR.toString(),
                "io.jpm.cli.Main",
                "start",
                Jpm.fixture("ticker.sh").toString(),
                "--name",
                "attached",
                "--attach"));
        ProcessBuilder builder =
                new ProcessBuilder(command).directory(jpm.scratch.toFile()).redirectErrorStream(true);
        builder.environment().put("JPM_HOME", jpm.home.toString());
        Process cli = builder.start();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(cli.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            boolean announced = false;
            String appLine = null;
            while ((line = out.readLine()) != null) {
                announced |= line.contains("streaming the logs of attached");
                if (announced && line.contains("attached") && line.contains("|")) {
                    appLine = line;
                    break;
                }
            }
            assertTrue(appLine != null, "a line of the app came through");
            assertTrue(cli.isAlive(), "it keeps streaming");
        } finally {
            cli.destroy();
            cli.waitFor(20, TimeUnit.SECONDS);
        }
        assertEquals("online", Jpm.status(jpm.named("attached").get(0)), "the app runs on when the CLI goes");
    }

    @Test
    void watchWithAFileWatchesEveryAppThatDoesNotWatchByItselfAsPm2Does(Jpm jpm) throws Exception {
        Path app = Files.createDirectories(jpm.scratch.resolve("watched"));
        Files.writeString(app.resolve("run.sh"), "exec sleep 100000\n");
        Path file = Files.writeString(
                app.resolve("apps.json"),
                "{\"apps\":[{\"name\":\"plain\",\"script\":\"run.sh\"},"
                        + "{\"name\":\"off\",\"script\":\"run.sh\",\"watch\":false},"
                        + "{\"name\":\"own\",\"script\":\"run.sh\",\"watch\":[\"lib\"]}]}");
        jpm.ok("start", file.toString(), "--watch");
        assertEquals(
                Boolean.TRUE,
                jpm.awaitStatus("plain", "online")
                        .get(0)
                        .getJsonObject("pm2_env")
                        .getValue("watch"));
        assertEquals(
                Boolean.TRUE,
                jpm.awaitStatus("off", "online").get(0).getJsonObject("pm2_env").getValue("watch"),
                "pm2's !app.watch");
        assertEquals(
                new JsonArray(List.of("lib")),
                jpm.awaitStatus("own", "online").get(0).getJsonObject("pm2_env").getValue("watch"),
                "the app's own watch wins");

        Files.writeString(app.resolve("change.txt"), "x");
        Jpm.await(
                "plain restarted by the change",
                () -> jpm.named("plain").get(0).getJsonObject("pm2_env").getInteger("restart_time") == 1 ? true : null);
    }

    /** pm2 7.0.4: {@code start q.js --name c --watch wdir} is one app watching ["wdir"]. */
    @Test
    void watchTakesThePathAfterItAsPm2Does(Jpm jpm) throws Exception {
        Path app = Files.createDirectories(jpm.scratch.resolve("paths"));
        Path watched = Files.createDirectories(app.resolve("wdir"));
        Path script = Files.writeString(app.resolve("run.sh"), "exec sleep 100000\n");
        Jpm.Result noScript = jpm.cli("start", "--watch", script.toString(), "--name", "nothing");
        assertEquals(1, noScript.exit(), noScript.toString());
        assertTrue(
                noScript.err().contains("--watch took '" + script + "' as the path it watches"), noScript.toString());

        jpm.ok("start", script.toString(), "--name", "c", "--cwd", app.toString(), "--watch", "wdir");
        assertEquals(List.of("c"), jpm.names(), "one app, not a second one running wdir");
        assertEquals(
                new JsonArray(List.of("wdir")),
                jpm.awaitStatus("c", "online").get(0).getJsonObject("pm2_env").getValue("watch"));
        Files.writeString(watched.resolve("change.txt"), "x");
        Jpm.await(
                "c restarted by a change in wdir",
                () -> jpm.named("c").get(0).getJsonObject("pm2_env").getInteger("restart_time") == 1 ? true : null);
    }
}
