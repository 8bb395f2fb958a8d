package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * pm2-metrics, the Prometheus exporter pm2 users run, from npm's registry against jpm: installed into
 * the test's own folder with its {@code pm2} replaced by the packed jpm-pm2 (package.json's
 * {@code overrides}), run as a plain node process with its settings in the variable pmx reads, it
 * exports its 13 families for a Node app (6 of pm2_env and monit, 7 of the app's code metrics), as
 * it does under pm2 7.0.4 (checked by hand with the same app: the same 14 families declared, its
 * {@code pm2_prev_restart_delay} without a sample under both).
 */
class Pm2MetricsToolIT {
    /** The latest pm2-metrics on npm's registry when this test was written. */
    private static final String PM2_METRICS = "1.0.47";

    private static final Set<String> FAMILIES = Set.of(
            "pm2_up",
            "pm2_cpu",
            "pm2_memory",
            "pm2_uptime",
            "pm2_instances",
            "pm2_restarts",
            "pm2_heap_size",
            "pm2_heap_usage",
            "pm2_used_heap_size",
            "pm2_active_requests",
            "pm2_active_handles",
            "pm2_event_loop_latency",
            "pm2_event_loop_latency_p95");

    @Test
    void itExportsItsThirteenFamiliesFromJpm() throws Exception {
        assumeTrue(Pm2NodePackageIT.available("node") && Pm2NodePackageIT.available("npm"), "node and npm are needed");
        try (Jpm jpm = new Jpm()) {
            Path project = install(jpm);
            Path idle = jpm.write(
                    "idle.js", "setInterval(() => {}, 1000);\nprocess.on('SIGINT', () => process.exit(0));\n");
            jpm.ok("start", idle.toString(), "--name", "idle-node");
            jpm.awaitStatus("idle-node", "online");
            int port = Ports.free();
            Path err = jpm.scratch.resolve("pm2-metrics.err");
            ProcessBuilder node = new ProcessBuilder(
                            "node",
                            project.resolve("node_modules/pm2-metrics/exporter.js")
                                    .toString())
                    .directory(project.toFile())
                    .redirectOutput(jpm.scratch.resolve("pm2-metrics.out").toFile())
                    .redirectError(err.toFile());
            node.environment().put("JPM_HOME", jpm.home.toString());
            node.environment().put("JPM_BIN", Jpm.CLI.get(0));
            node.environment().put("JPM_BRIDGE_PORT", "0");
            // what pmx's initModule reads: the exporter's port and host
            node.environment()
                    .put(
                            "pm2-metrics",
                            new JsonObject()
                                    .put("port", port)
                                    .put("host", "127.0.0.1")
                                    .encode());
            Process exporter = node.start();
            try {
                String scrape = Jpm.await("pm2-metrics' 13 families", Duration.ofSeconds(60), () -> {
                    assertTrue(exporter.isAlive(), () -> "pm2-metrics ended: " + read(err));
                    String text = get(port);
                    return text != null && sampled(text).equals(FAMILIES) ? text : null;
                });
                assertTrue(scrape.contains("pm2_up{id=\"0\",name=\"idle-node\""), scrape);
                assertTrue(scrape.contains("interpreter=\"node\""), scrape);
            } finally {
                exporter.destroyForcibly();
                exporter.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The families that have at least one sample. */
    private static Set<String> sampled(String scrape) {
        Set<String> families = new TreeSet<>();
        scrape.lines()
                .filter(l -> l.startsWith("pm2_"))
                .forEach(l -> families.add(l.substring(0, l.indexOf('{') < 0 ? l.indexOf(' ') : l.indexOf('{'))));
        return families;
    }

    private static String get(int port) {
        try {
            HttpResponse<String> answer = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                    .timeout(Duration.ofSeconds(10))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            return answer.statusCode() == 200 ? answer.body() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    /** pm2-metrics from the registry, its pm2 the packed jpm-pm2. */
    private static Path install(Jpm jpm) throws IOException {
        Path tarball = Pm2NodePackageIT.pack(jpm);
        Path project = Files.createDirectories(jpm.scratch.resolve("exporter"));
        JsonObject packageJson = new JsonObject()
                .put("private", true)
                .put(
                        "dependencies",
                        new JsonObject().put("pm2", "file:" + tarball).put("pm2-metrics", PM2_METRICS))
                .put("overrides", new JsonObject().put("pm2", "$pm2"));
        Files.writeString(project.resolve("package.json"), packageJson.encodePrettily());
        Jpm.Result install = Jpm.run(
                new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error", "--ignore-scripts")
                        .directory(project.toFile()),
                jpm.scratch,
                "npm install pm2-metrics@" + PM2_METRICS,
                Jpm.NPM_TIMEOUT);
        assertEquals(0, install.exit(), install::toString);
        return project;
    }
}
