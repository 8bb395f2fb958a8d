package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code GET /metrics} against a real daemon: the scrape is parsed by the Prometheus Python
 * client's own text parser (Debian's python3-prometheus-client), never by a regex of ours; it
 * carries each instance's figures, the balancer's and the daemon's; the token rule and
 * {@code web.open_metrics}.
 */
@ExtendWith(JpmExtension.class)
class MetricsIT {
    /** Debian's python, where python3-prometheus-client is installed (a pyenv shim may come first on PATH). */
    private static final String PYTHON =
            Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    /** Chosen once a class: its daemon keeps the web settings from test to test. */
    private static final int PORT = Ports.free();

    private WebClient web;

    @BeforeEach
    void webOn(Jpm jpm) throws IOException {
        web = WebClient.start(jpm, PORT);
    }

    /** A parsed sample. */
    record Sample(String family, String type, String name, Map<String, Object> labels, double value) {}

    static List<Sample> parse(String scrape) throws IOException, InterruptedException {
        Process python = new ProcessBuilder(
                        PYTHON,
                        Path.of("src/test/resources/web/parse_metrics.py")
                                .toAbsolutePath()
                                .toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        python.getOutputStream().write(scrape.getBytes(StandardCharsets.UTF_8));
        python.getOutputStream().close();
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(python.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, python.exitValue(), "the Prometheus parser refused the scrape:\n" + scrape);
        List<Sample> samples = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                JsonObject s = new JsonObject(line);
                samples.add(new Sample(
                        s.getString("family"),
                        s.getString("type"),
                        s.getString("name"),
                        s.getJsonObject("labels").getMap(),
                        s.getDouble("value")));
            }
        }
        return samples;
    }

    private static Sample one(List<Sample> samples, String name, Map<String, String> labels) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && s.labels().entrySet().containsAll(labels.entrySet()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + labels + " in " + samples));
    }

    @Test
    void aScrapeParsesAndCarriesEachInstanceAndTheDaemon(Jpm jpm) throws Exception {
        jpm.ok("start", Jpm.fixture("tree.sh").toString(), "--name", "keep", "--namespace", "ops");
        jpm.awaitStatus("keep", "online");
        jpm.ok("restart", "keep");
        jpm.awaitStatus("keep", "online");
        // Satan samples every second: wait for a scrape that has the app's memory
        List<Sample> samples = Jpm.await("a scrape with keep's memory", Duration.ofSeconds(30), () -> {
            try {
                WebClient.Answer scrape = web.get("/metrics", web.readOnly);
                assertEquals(200, scrape.status(), scrape.toString());
                List<Sample> parsed = parse(scrape.body());
                return one(parsed, "jpm_process_memory_bytes", Map.of("app", "keep"))
                                        .value()
                                > 0
                        ? parsed
                        : null;
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        Map<String, String> keep = Map.of("app", "keep", "pm_id", "0", "namespace", "ops");
        assertEquals("gauge", one(samples, "jpm_process_memory_bytes", keep).type());
        assertEquals(1.0, one(samples, "jpm_process_restarts_total", keep).value());
        assertEquals("counter", one(samples, "jpm_process_restarts_total", keep).type());
        assertEquals(
                1.0,
                one(samples, "jpm_process_status", Map.of("app", "keep", "status", "online"))
                        .value());
        assertEquals(
                0.0,
                one(samples, "jpm_process_status", Map.of("app", "keep", "status", "errored"))
                        .value());
        assertTrue(one(samples, "jpm_process_uptime_seconds", keep).value() >= 0);
        one(samples, "jpm_process_cpu_percent", keep);
        Sample cpu = one(samples, "jpm_process_cpu_seconds_total", keep);
        assertEquals("counter", cpu.type());
        List<Sample> again = parse(web.get("/metrics", web.readOnly).body());
        assertTrue(
                one(again, "jpm_process_cpu_seconds_total", keep).value() >= cpu.value(),
                "the CPU counter of one pid went down: " + cpu + " then " + again);
        assertTrue(one(samples, "jpm_daemon_resident_memory_bytes", Map.of()).value() > 10_000_000);
        assertTrue(one(samples, "jpm_daemon_event_loop_lag_seconds", Map.of()).value() >= 0);
        one(samples, "jpm_daemon_verticle_busy_seconds", Map.of("verticle", "god"));
    }

    @Test
    void balancedAppsCarryConnectionsAndRequests(Jpm jpm) throws Exception {
        int appPort = Ports.free();
        jpm.ok(Jpm.balancedStart(
                        Jpm.fixture("hello_server.py").toString(),
                        "hello",
                        2,
                        appPort,
                        "--balance",
                        "http",
                        "--listen-timeout",
                        "60000")
                .toArray(String[]::new));
        Jpm.await(
                "hello ready",
                Duration.ofSeconds(90),
                () -> jpm.named("hello").size() == 2
                                && jpm.named("hello").stream().allMatch(p -> "ready"
                                        .equals(p.getJsonObject("jpm")
                                                .getJsonObject("balancer")
                                                .getString("state")))
                        ? true
                        : null);
        Load.getRoot(appPort, 6);
        List<Sample> samples = parse(web.get("/metrics", web.readOnly).body());
        double served = samples.stream()
                .filter(s -> s.name().equals("jpm_balancer_requests_total")
                        && "hello".equals(s.labels().get("app")))
                .mapToDouble(Sample::value)
                .sum();
        assertEquals(6.0, served, samples.toString());
        double perMinute = samples.stream()
                .filter(s -> s.name().equals("jpm_balancer_requests_per_minute")
                        && "hello".equals(s.labels().get("app")))
                .mapToDouble(Sample::value)
                .sum();
        assertEquals(6.0, perMinute, "pm2 monit's req/min: " + samples);
        String described = jpm.ok("describe", "hello").out();
        assertTrue(described.contains(" in the last minute (requests)"), described);
        one(samples, "jpm_balancer_connections", Map.of("app", "hello"));
    }

    @Test
    void aNodeAppsCodeMetricsAreInTheScrape(Jpm jpm) throws Exception {
        int appPort = Ports.free();
        Jpm.Result started = jpm.cli(
                Map.of("APP_PORT", Integer.toString(appPort)),
                "start",
                Jpm.fixture("hello_cluster.js").toString(),
                "--name",
                "node");
        assertEquals(0, started.exit(), started::toString);
        jpm.awaitStatus("node", "online");
        Jpm.await("node answers", () -> {
            try {
                Load.getRoot(appPort, 3);
                return true;
            } catch (IOException e) {
                return null;
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        // its preload reports every second; the event loop's latency from its second tick on
        List<Sample> samples = Jpm.await("a scrape with node's code metrics", Duration.ofSeconds(30), () -> {
            try {
                List<Sample> parsed = parse(web.get("/metrics", web.readOnly).body());
                boolean complete = parsed.stream().anyMatch(s -> s.name().equals("jpm_node_event_loop_latency_seconds"))
                        && parsed.stream().anyMatch(s -> s.name().equals("jpm_node_http_requests_per_second"));
                return complete ? parsed : null;
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        Map<String, String> node = Map.of("app", "node", "pm_id", "0");
        Sample heap = one(samples, "jpm_node_heap_size_bytes", node);
        assertEquals("gauge", heap.type());
        assertTrue(heap.value() > 1024 * 1024, heap.toString());
        assertTrue(one(samples, "jpm_node_heap_used_bytes", node).value() <= heap.value());
        one(samples, "jpm_node_heap_usage_percent", node);
        one(samples, "jpm_node_active_handles", node);
        one(samples, "jpm_node_active_requests", node);
        one(samples, "jpm_node_event_loop_latency_seconds", Map.of("app", "node", "quantile", "0.95"));
        one(samples, "jpm_node_http_requests_per_second", Map.of("app", "node", "scheme", "http"));
        one(samples, "jpm_node_http_latency_seconds", Map.of("app", "node", "quantile", "0.5", "scheme", "http"));
    }

    /** pm2-metrics' families: its six of pm2_env and monit, and one per default code metric of a Node app. */
    private static final Set<String> PM2_METRICS_FAMILIES = Set.of(
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
    void pm2ExportersFamiliesAreAtMetricsPm2(Jpm jpm) throws Exception {
        Path idle = Files.writeString(
                jpm.home.resolveSibling("idle-node.js"),
                "setInterval(() => {}, 1000);\nprocess.on('SIGINT', () => process.exit(0));\n");
        jpm.ok("start", idle.toString(), "--name", "idle-node");
        jpm.awaitStatus("idle-node", "online");
        List<Sample> samples = Jpm.await("pm2-metrics' 13 families", Duration.ofSeconds(30), () -> {
            try {
                WebClient.Answer scrape = web.get("/metrics/pm2", web.readOnly);
                assertEquals(200, scrape.status(), scrape.toString());
                List<Sample> parsed = parse(scrape.body());
                Set<String> families = new HashSet<>();
                parsed.forEach(s -> families.add(s.family()));
                return families.equals(PM2_METRICS_FAMILIES) ? parsed : null;
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        Sample up = one(samples, "pm2_up", Map.of("name", "idle-node", "id", "0", "interpreter", "node"));
        assertEquals(1.0, up.value());
        assertEquals("gauge", up.type());
        assertTrue(one(samples, "pm2_heap_size", Map.of("name", "idle-node")).value() > 0);
        assertEquals(401, web.get("/metrics/pm2", null).status(), "the token rule of /metrics");
    }

    /**
     * Issue 62: pm2 7.0.4's jlist keeps a stopped app's last start as pm_uptime, and an app never
     * started (autostart false) its creation; pm2's exporters count pm2_uptime from it. jpm said 0,
     * which the exporters showed as 56 years.
     */
    @Test
    void aStoppedAppsPm2UptimeCountsFromItsLastStart(Jpm jpm) throws Exception {
        jpm.ok("start", Jpm.fixture("idle.sh").toString(), "--name", "was-up");
        jpm.awaitStatus("was-up", "online");
        long started = jpm.named("was-up").get(0).getJsonObject("pm2_env").getLong("pm_uptime");
        jpm.ok("stop", "was-up");
        JsonObject stopped = jpm.named("was-up").get(0).getJsonObject("pm2_env");
        assertEquals("stopped", stopped.getString("status"));
        assertEquals(started, stopped.getLong("pm_uptime"), stopped.encode());
        jpm.ok(
                "start",
                jpm.ecosystem(
                                "later.json",
                                Jpm.app("later", Jpm.fixture("idle.sh")).put("autostart", false))
                        .toString());
        JsonObject never = jpm.named("later").get(0).getJsonObject("pm2_env");
        assertEquals("stopped", never.getString("status"));
        assertEquals(never.getLong("created_at"), never.getLong("pm_uptime"), never.encode());

        long before = System.currentTimeMillis();
        WebClient.Answer scrape = web.get("/metrics/pm2", web.readOnly);
        long after = System.currentTimeMillis();
        assertEquals(200, scrape.status(), scrape.toString());
        double uptime = one(parse(scrape.body()), "pm2_uptime", Map.of("name", "was-up"))
                .value();
        // what the exporters compute, (now - pm_uptime) / 1000, for a now within the request
        assertTrue(
                uptime >= Math.round((before - started) / 1000.0) && uptime <= Math.round((after - started) / 1000.0),
                uptime + " s since " + started + ", asked between " + before + " and " + after);
    }

    @Test
    void theTokenRuleAndOpenMetrics(Jpm jpm) {
        assertEquals(401, web.get("/metrics", null).status());
        assertEquals(401, web.get("/metrics", "wrong").status());
        jpm.ok("set", "web.open_metrics", "true");
        // the edit replaces the server: polled through the moment nothing listens
        Jpm.await("/metrics open without a token", () -> web.statusOf("/metrics", null) == 200 ? true : null);
        assertEquals(401, web.get("/api/processes", null).status(), "only /metrics is opened");
        jpm.ok("unset", "web.open_metrics");
        Jpm.await("/metrics closed again", () -> web.statusOf("/metrics", null) == 401 ? true : null);
    }
}
