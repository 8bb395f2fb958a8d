package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * pm2-slack, pm2-discord and pm2-health, real pm2 tools from npm's registry, run against jpm as a
 * pm2 user would run them: installed into the test's own folder with every {@code pm2} in the tree
 * replaced by the packed jpm-pm2 (package.json's {@code overrides}, so each tool's own
 * {@code require('pm2')} gets it), each a plain node process with its settings in the environment
 * variable pmx reads (the tool's name), its Slack or Discord webhook this test's HTTP server and
 * pm2-health's mail this test's SMTP sink. Each must report an app's exit from the next daemon after
 * {@code jpm kill} and a new start, after {@code jpm update}, and after the daemon was SIGKILLed (its
 * keeper starts the next), as under pm2, whose bus reconnects. Before jpm-pm2's bus did, they went
 * deaf at the first of these.
 */
class Pm2ToolsIT {
    /** The tools' versions: the latest on npm's registry when this test was written. */
    private static final Map<String, String> TOOLS =
            Map.of("pm2-slack", "0.3.4", "pm2-discord", "0.1.2", "pm2-health", "1.12.10");

    /** pm2-slack and pm2-discord post one message per 10 s at most (their processQueue). */
    private static final Duration HEARD_WITHIN = Duration.ofSeconds(60);

    @Test
    void theToolsHearTheNextDaemonAfterAKillAnUpdateAndACrash() throws Exception {
        assumeTrue(Pm2NodePackageIT.available("node") && Pm2NodePackageIT.available("npm"), "node and npm are needed");
        try (Jpm jpm = new Jpm();
                Webhooks hooks = new Webhooks();
                SmtpSink mail = new SmtpSink()) {
            Path project = install(jpm);
            Path exits = jpm.write("exits.js", "setTimeout(() => process.exit(3), 300);\n");
            jpm.ok("ping");
            List<Tool> tools = List.of(
                    Tool.start(jpm, project, "pm2-slack", slack(hooks)),
                    Tool.start(jpm, project, "pm2-discord", discord(hooks)),
                    Tool.start(jpm, project, "pm2-health", health(mail)));
            try {
                heardExitOf(jpm, tools, 1, hooks, mail, "first", exits);

                jpm.ok("kill");
                jpm.ok("ping");
                heardExitOf(jpm, tools, 2, hooks, mail, "after-kill", exits);

                jpm.ok("update");
                heardExitOf(jpm, tools, 3, hooks, mail, "after-update", exits);

                int daemon = jpm.daemonPid();
                assertEquals(
                        0,
                        new ProcessBuilder("kill", "-KILL", Integer.toString(daemon))
                                .start()
                                .waitFor());
                Jpm.awaitGone(daemon);
                heardExitOf(jpm, tools, 4, hooks, mail, "after-crash", exits);
            } finally {
                tools.forEach(Tool::stop);
            }
        }
    }

    /**
     * Once every tool subscribed to the {@code n}th daemon (jpm-pm2's NODE_DEBUG line), an app that
     * exits by itself: each tool must say so, naming it.
     */
    private static void heardExitOf(
            Jpm jpm, List<Tool> tools, int n, Webhooks hooks, SmtpSink mail, String app, Path script) {
        tools.forEach(t -> t.awaitSubscribed(n));
        jpm.ok("start", script.toString(), "--name", app, "--no-autorestart");
        String said = "The following event has occured on the PM2 process " + app + ": exit";
        Jpm.await(
                "pm2-slack's message about " + app,
                HEARD_WITHIN,
                () -> hooks.slack.stream().anyMatch(m -> m.contains(said)) ? true : null);
        Jpm.await(
                "pm2-discord's message about " + app,
                HEARD_WITHIN,
                () -> hooks.discord.stream().anyMatch(m -> m.contains(said)) ? true : null);
        Jpm.await(
                "pm2-health's mail about " + app,
                HEARD_WITHIN,
                () -> mail.mails.stream().anyMatch(m -> m.contains("Subject: pm2-health: ") && m.contains(app + ":"))
                        ? true
                        : null);
    }

    /** The tools from the registry, every pm2 in the tree the packed jpm-pm2. */
    private static Path install(Jpm jpm) throws IOException {
        Path tarball = Pm2NodePackageIT.pack(jpm);
        Path project = Files.createDirectories(jpm.scratch.resolve("tools"));
        JsonObject dependencies = new JsonObject().put("pm2", "file:" + tarball);
        TOOLS.forEach(dependencies::put);
        JsonObject packageJson = new JsonObject()
                .put("private", true)
                .put("dependencies", dependencies)
                // the tools depend on pm2 0.15, 4 and 5: "$pm2" gives each the root's pm2, jpm-pm2
                .put("overrides", new JsonObject().put("pm2", "$pm2"));
        Files.writeString(project.resolve("package.json"), packageJson.encodePrettily());
        Jpm.Result install = Jpm.run(
                new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error")
                        .directory(project.toFile()),
                jpm.scratch,
                "npm install " + TOOLS,
                Jpm.NPM_TIMEOUT);
        assertEquals(0, install.exit(), install::toString);
        return project;
    }

    private static JsonObject slack(Webhooks hooks) {
        return quiet().put("slack_url", hooks.url("slack"));
    }

    private static JsonObject discord(Webhooks hooks) {
        return quiet().put("discord_url", hooks.url("discord")).put("log", false);
    }

    /** pm2-slack's and pm2-discord's settings: only exits reported (each message costs them 10 s). */
    private static JsonObject quiet() {
        return new JsonObject()
                .put("exit", true)
                .put("error", false)
                .put("kill", false)
                .put("restart overlimit", false)
                .put("exception", false);
    }

    private static JsonObject health(SmtpSink mail) {
        JsonObject smtp = new JsonObject()
                .put("host", "127.0.0.1")
                .put("port", mail.port())
                .put("from", "pm2-health@localhost")
                .put("disabled", false);
        return new JsonObject()
                .put("smtp", smtp)
                .put("mailTo", "ops@localhost")
                .put("events", new JsonArray().add("exit"))
                .put("addLogs", false)
                .put("snapshot", new JsonObject().put("disabled", true));
    }

    /** One tool, run as `node node_modules/<name>/<main>`, its stderr (jpm-pm2's debug lines) in a file. */
    private record Tool(String name, Process process, Path err) {
        static Tool start(Jpm jpm, Path project, String name, JsonObject settings) throws IOException {
            Path module = project.resolve("node_modules").resolve(name);
            String main =
                    new JsonObject(Files.readString(module.resolve("package.json"))).getString("main", "index.js");
            Path err = jpm.scratch.resolve(name + ".err");
            ProcessBuilder node = new ProcessBuilder(
                            "node", module.resolve(main).toString())
                    .directory(project.toFile())
                    .redirectOutput(jpm.scratch.resolve(name + ".out").toFile())
                    .redirectError(err.toFile());
            node.environment().put("JPM_HOME", jpm.home.toString());
            node.environment().put("JPM_BIN", Jpm.CLI.get(0));
            node.environment().put("JPM_BRIDGE_PORT", "0");
            node.environment().put("NODE_DEBUG", "jpm-pm2");
            node.environment().put(name, settings.encode()); // what pmx's initModule reads
            return new Tool(name, node.start(), err);
        }

        void awaitSubscribed(int times) {
            Jpm.await(name + "'s bus subscribed " + times + " times", HEARD_WITHIN, () -> {
                assertTrue(process.isAlive(), () -> name + " ended: " + read(err));
                return read(err).split("bus: subscribed", -1).length - 1 >= times ? true : null;
            });
        }

        void stop() {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static String read(Path file) {
            try {
                return Files.readString(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }
    }

    /** Slack's and Discord's webhooks on loopback: Slack answers "ok", Discord 204, as theirs do. */
    private static final class Webhooks implements AutoCloseable {
        final List<String> slack = new CopyOnWriteArrayList<>();
        final List<String> discord = new CopyOnWriteArrayList<>();
        private final HttpServer server;

        Webhooks() throws IOException {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
            server.createContext("/slack", exchange -> {
                slack.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                byte[] ok = "ok".getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, ok.length);
                exchange.getResponseBody().write(ok);
                exchange.close();
            });
            server.createContext("/discord", exchange -> {
                discord.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(204, -1);
                exchange.close();
            });
            server.start();
        }

        String url(String path) {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
