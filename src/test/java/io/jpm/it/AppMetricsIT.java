package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.testkit.Ports;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * An app's own Prometheus endpoint ({@code metrics_url}), like pm2 monit's @pm2/io metrics: a small
 * Python app serves /metrics; the daemon scrapes each instance, shows the values in describe and
 * jlist, and re-exports them in its own /metrics with app and pm_id labels (parsed by the
 * Prometheus Python client's parser).
 */
@ExtendWith(JpmExtension.class)
class AppMetricsIT {
    private static Path ecosystem(Jpm jpm, String name, JsonObject app) throws IOException {
        return jpm.ecosystem(
                name + ".json",
                app.put("name", name)
                        .put("script", Jpm.fixture("metrics_app.py").toString()));
    }

    /** Starts the metrics app as {@code name}, alone on PORT {@code port}, scraped at {@code metricsUrl}. */
    private static void startOnPort(Jpm jpm, String name, int port, String metricsUrl) throws IOException {
        JsonObject app = new JsonObject()
                .put("env", new JsonObject().put("PORT", Integer.toString(port)))
                .put("metrics_url", metricsUrl);
        jpm.ok("start", ecosystem(jpm, name, app).toString());
    }

    /** Waits until every instance of {@code name} has a scrape that passes {@code ok}. */
    private static List<JsonObject> awaitScrapes(Jpm jpm, String name, int instances, Predicate<JsonObject> ok) {
        return Jpm.await(name + "'s scrapes", Duration.ofSeconds(60), () -> {
            List<JsonObject> all = jpm.named(name);
            return all.size() == instances
                            && all.stream().allMatch(p -> {
                                JsonObject m = p.getJsonObject("jpm").getJsonObject("app_metrics");
                                return m != null && ok.test(m);
                            })
                    ? all
                    : null;
        });
    }

    private static double sample(JsonObject metrics, String name) {
        return metrics.getJsonArray("samples").stream()
                .map(o -> (JsonObject) o)
                .filter(s -> s.getString("name").equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " in " + metrics))
                .getDouble("value");
    }

    @Test
    void aForkAppsMetricsShowInDescribeAndJlist(Jpm jpm) throws Exception {
        int port = Ports.free();
        startOnPort(jpm, "shop", port, "/metrics");
        jpm.awaitLog(
                jpm.awaitStatus("shop", "online")
                        .get(0)
                        .getJsonObject("pm2_env")
                        .getString("pm_out_log_path"),
                "listening");
        Load.getRoot(port, 3);
        JsonObject metrics = awaitScrapes(
                        jpm, "shop", 1, m -> m.getValue("error") == null && sample(m, "app_requests_total") == 3)
                .get(0)
                .getJsonObject("jpm")
                .getJsonObject("app_metrics");
        assertEquals("http://127.0.0.1:" + port + "/metrics", metrics.getString("url"));
        JsonObject counter = metrics.getJsonArray("samples").getJsonObject(0);
        assertEquals("counter", counter.getString("type"));
        assertEquals(Map.of("path", "/"), counter.getJsonObject("labels").getMap());
        String describe = jpm.ok("describe", "shop").out();
        assertTrue(describe.contains("Code metrics value (http://127.0.0.1:" + port + "/metrics)"), describe);
        assertTrue(describe.contains("app_requests_total{path=\"/\"}") && describe.contains("│ 3"), describe);
        assertTrue(describe.contains("app_latency_seconds_bucket{le=\"+Inf\"}"), describe);
    }

    @Test
    void eachInstanceOfABalancedAppIsScrapedAndReexported(Jpm jpm) throws Exception {
        int publicPort = Ports.free();
        jpm.ok(
                "start",
                ecosystem(
                                jpm,
                                "cluster",
                                new JsonObject()
                                        .put("instances", 2)
                                        .put("port", publicPort)
                                        .put("balance", "http")
                                        .put("listen_timeout", 60000)
                                        .put("metrics_url", "/metrics"))
                        .toString());
        List<JsonObject> scraped = awaitScrapes(jpm, "cluster", 2, m -> m.getValue("error") == null);
        assertTrue(
                scraped.stream()
                                .map(p -> sample(p.getJsonObject("jpm").getJsonObject("app_metrics"), "app_instance"))
                                .distinct()
                                .count()
                        == 2,
                "each instance scraped on its own port: " + scraped);
        int webPort = Ports.free();
        WebClient web = WebClient.start(jpm, webPort);
        List<MetricsIT.Sample> samples =
                MetricsIT.parse(web.get("/metrics", web.readOnly).body());
        for (JsonObject p : scraped) {
            String pmId = p.getInteger("pm_id").toString();
            MetricsIT.Sample instance = samples.stream()
                    .filter(s -> s.name().equals("app_instance")
                            && pmId.equals(s.labels().get("pm_id")))
                    .findFirst()
                    .orElseThrow(() -> new AssertionError("no app_instance of pm_id " + pmId + " in " + samples));
            assertEquals("cluster", instance.labels().get("app"));
            assertEquals("gauge", instance.type());
            assertTrue(
                    samples.stream()
                            .anyMatch(s -> s.name().equals("app_requests_total")
                                    && pmId.equals(s.labels().get("pm_id"))
                                    && "counter".equals(s.type())
                                    && "/".equals(s.labels().get("path"))),
                    samples.toString());
            assertTrue(
                    samples.stream()
                            .anyMatch(s -> s.name().equals("app_build_info")
                                    && pmId.equals(s.labels().get("pm_id"))
                                    && "shop".equals(s.labels().get("exported_app"))
                                    && "cluster".equals(s.labels().get("app"))),
                    "a clashing label is kept as exported_app");
        }
        assertTrue(
                samples.stream().noneMatch(s -> s.name().startsWith("app_latency_seconds")),
                "histograms are not re-exported");
    }

    @Test
    void aScrapeThatFailsSaysWhy(Jpm jpm) throws Exception {
        int port = Ports.free();
        startOnPort(jpm, "wrong", port, "http://127.0.0.1:{PORT}/missing");
        JsonObject metrics = awaitScrapes(jpm, "wrong", 1, m -> "answered HTTP 404".equals(m.getString("error")))
                .get(0)
                .getJsonObject("jpm")
                .getJsonObject("app_metrics");
        assertEquals("answered HTTP 404", metrics.getString("error"));
        assertEquals("http://127.0.0.1:" + port + "/missing", metrics.getString("url"));
        String describe = jpm.ok("describe", "wrong").out();
        assertTrue(describe.contains("scrape failed") && describe.contains("answered HTTP 404"), describe);
        Jpm.Result bad = jpm.cli(
                "start",
                ecosystem(jpm, "bad", new JsonObject().put("metrics_url", "metrics"))
                        .toString());
        assertEquals(1, bad.exit());
        assertTrue(
                bad.err().contains("metrics_url") && bad.err().contains("must be a path served on the app's PORT"),
                bad.toString());
    }
}
