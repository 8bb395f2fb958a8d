package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A Node app that uses @pm2/io, installed from npm's registry into the test's own folder as a pm2
 * user installs it: its metrics, counter, meter and histogram in jlist and describe, its actions
 * listed and run by {@code trigger} with their replies printed, an error it reports in daemon.log,
 * and an uncaught exception that ends it once logged. Each scenario runs against jpm and, with
 * PM2_DIFF=1, against pm2 7.0.4 (whose container's own @pm2/io the app's require then returns).
 */
class Pm2IoIT {
    /** The latest @pm2/io on npm's registry when this test was written. */
    private static final String PM2_IO = "@pm2/io@6.1.0";

    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*m");

    private static final String APP = String.join(
            "\n",
            "const io = require('@pm2/io');",
            "io.metric({ name: 'Realtime user', unit: 'users' }).set(42);",
            "const orders = io.counter({ name: 'Orders' });",
            "orders.inc(); orders.inc(); orders.inc();",
            "const rate = io.meter({ name: 'req/sec' });",
            "const latency = io.histogram({ name: 'Latency', measurement: 'mean', unit: 'ms' });",
            "[10, 20, 30].forEach((v) => latency.update(v));",
            "io.metric({ name: 'Mood', value: () => 'sunny' });",
            "io.action('hello', (reply) => reply({ success: true, said: 'hello' }));",
            "io.action('echo', (param, reply) => reply({ got: param }));",
            "io.action('boom', (reply) => { io.notifyError(new Error('boom from an action')); reply('notified'); });",
            "setInterval(() => rate.mark(), 100);",
            "process.on('SIGINT', () => process.exit(0));",
            "");

    private static final String THROWS = String.join(
            "\n",
            "require('@pm2/io');",
            "setTimeout(() => { throw new Error('thrown with @pm2/io loaded'); }, 1000);",
            "setInterval(() => {}, 1000);",
            "");

    private static Path project;

    @BeforeAll
    static void install() throws Exception {
        assumeTrue(Pm2NodePackageIT.available("node") && Pm2NodePackageIT.available("npm"), "node and npm are needed");
        project = Files.createTempDirectory("pm2-io-");
        Files.writeString(
                project.resolve("package.json"),
                new JsonObject().put("private", true).encode());
        Jpm.Result install = Jpm.run(
                new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error", PM2_IO)
                        .directory(project.toFile()),
                project,
                "npm install " + PM2_IO);
        assertEquals(0, install.exit(), install::toString);
        Files.writeString(project.resolve("app.js"), APP);
        Files.writeString(project.resolve("throws.js"), THROWS);
    }

    @AfterAll
    static void removeProject() throws IOException {
        if (project != null) {
            try (Stream<Path> all = Files.walk(project)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static JsonObject pm2Env(Manager m, String name) {
        return m.processes().stream()
                .filter(p -> p.getString("name").equals(name))
                .findFirst()
                .orElseThrow()
                .getJsonObject("pm2_env");
    }

    @EachManager
    void itsMetricsCounterMeterAndHistogramAreListedAsUnderPm2(Manager m) {
        m.ok("start", project.resolve("app.js").toString(), "--name", "io");
        JsonObject monitor = Jpm.await(m.tool + ": io's own metrics", Duration.ofSeconds(30), () -> {
            JsonObject mon = pm2Env(m, "io").getJsonObject("axm_monitor", new JsonObject());
            return mon.containsKey("Realtime user")
                            && mon.containsKey("Latency")
                            && mon.containsKey("req/sec")
                            && mon.containsKey("Active handles")
                    ? mon
                    : null;
        });
        String tool = m.tool;
        assertEquals(
                new JsonObject().put("historic", true).put("unit", "users").put("value", 42),
                monitor.getJsonObject("Realtime user"),
                tool);
        assertEquals(new JsonObject().put("historic", true).put("value", 3), monitor.getJsonObject("Orders"), tool);
        assertEquals(
                new JsonObject().put("historic", true).put("unit", "ms").put("value", 20),
                monitor.getJsonObject("Latency"),
                tool);
        assertEquals(new JsonObject().put("historic", true).put("value", "sunny"), monitor.getJsonObject("Mood"), tool);
        assertTrue(monitor.getJsonObject("req/sec").getValue("value") instanceof Number, tool + " " + monitor);
        // the default metrics too, under both
        assertTrue(monitor.containsKey("Heap Size") && monitor.containsKey("Active handles"), tool + " " + monitor);
        String described = ANSI.matcher(m.ok("describe", "io").out()).replaceAll("");
        assertTrue(
                Pattern.compile("│ Realtime user +│ 42 users +│")
                        .matcher(described)
                        .find(),
                described);
        assertTrue(Pattern.compile("│ Orders +│ 3 +│").matcher(described).find(), described);
        assertTrue(Pattern.compile("│ Mood +│ sunny +│").matcher(described).find(), described);
    }

    @EachManager
    void itsActionsAreListedAndTriggerRunsThemAndPrintsTheReplies(Manager m) {
        m.ok("start", project.resolve("app.js").toString(), "--name", "io");
        JsonArray actions = Jpm.await(m.tool + ": io's actions", Duration.ofSeconds(30), () -> {
            JsonArray listed = pm2Env(m, "io").getJsonArray("axm_actions", new JsonArray());
            return listed.stream().anyMatch(a -> "boom".equals(((JsonObject) a).getString("action_name")))
                    ? listed
                    : null;
        });
        JsonObject echo = actions.stream()
                .map(JsonObject.class::cast)
                .filter(a -> "echo".equals(a.getString("action_name")))
                .findFirst()
                .orElseThrow();
        assertEquals("custom", echo.getString("action_type"), m.tool);
        assertEquals(2, echo.getInteger("arity"), m.tool);
        String hello = ANSI.matcher(m.ok("trigger", "io", "hello").out()).replaceAll("");
        assertEquals(
                List.of(
                        "1 processes have received command hello",
                        "[io:0:default]={\"success\":true,\"said\":\"hello\"}"),
                hello.strip().lines().toList(),
                m.tool);
        String echoed =
                ANSI.matcher(m.ok("trigger", "0", "echo", "world").out()).replaceAll("");
        assertTrue(echoed.strip().endsWith("[io:0:default]={\"got\":\"world\"}"), m.tool + ": " + echoed);
        Jpm.Result unknown = m.cli("trigger", "io", "nope");
        assertEquals(1, unknown.exit(), m.tool + ": " + unknown);
        assertTrue(
                (unknown.out() + unknown.err()).contains("Not any process has received a command"),
                m.tool + ": " + unknown);
        Jpm.Result noSuchId = m.cli("trigger", "7", "hello");
        assertEquals(1, noSuchId.exit(), m.tool + ": " + noSuchId);
        assertTrue((noSuchId.out() + noSuchId.err()).contains("7 id unknown"), m.tool + ": " + noSuchId);
        // an error the app reports: in jpm's daemon.log (pm2 keeps none of it but on its bus)
        m.ok("trigger", "io", "boom");
        if (m.tool.equals("jpm")) {
            Jpm.await("the reported error in daemon.log", () -> {
                try {
                    String log = Files.readString(m.home.resolve("daemon.log"));
                    return log.contains("(io) pid") && log.contains("reported an error: Error: boom from an action")
                            ? true
                            : null;
                } catch (IOException e) {
                    return null;
                }
            });
        }
    }

    @EachManager
    void anUncaughtExceptionIsLoggedOnceAndEndsTheAppWithCode1(Manager m) {
        m.ok("start", project.resolve("throws.js").toString(), "--name", "throws", "--no-autorestart");
        JsonObject env = m.awaitPm2Env("throws", "stopped");
        assertEquals(1, env.getInteger("exit_code"), m.tool + ": " + env.encode());
        Path log = Path.of(env.getString("pm_err_log_path"));
        // the daemon writes the last lines of a run that ended a moment after it says so
        String err = Jpm.await(m.tool + ": the exception in the error log", () -> {
            try {
                String text = Files.isRegularFile(log) ? Files.readString(log) : "";
                return text.contains("thrown with @pm2/io loaded") ? text : null;
            } catch (IOException e) {
                return null;
            }
        });
        assertEquals(1, err.split("Error: thrown with @pm2/io loaded", -1).length - 1, m.tool + ": " + err);
    }
}
