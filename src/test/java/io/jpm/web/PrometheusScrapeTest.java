package io.jpm.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The per-instance series: the CPU seconds counter and the namespace label. */
class PrometheusScrapeTest {
    private static JsonObject row(int pmId, int pid, String name, String namespace, String status) {
        JsonObject env = new JsonObject().put("status", status);
        if (namespace != null) {
            env.put("namespace", namespace);
        }
        return new JsonObject()
                .put("pm_id", pmId)
                .put("pid", pid)
                .put("name", name)
                .put("pm2_env", env);
    }

    private static String scrape(JsonArray list, Map<Integer, Double> cpu) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create()
                .write(
                        out,
                        PrometheusScrape.of(
                                list,
                                new JsonObject(),
                                1,
                                0,
                                pid -> cpu.containsKey(pid)
                                        ? OptionalDouble.of(cpu.get(pid))
                                        : OptionalDouble.empty()));
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aRunningInstanceHasItsCpuSecondsAndEveryInstanceItsNamespace() throws IOException {
        String text = scrape(
                new JsonArray().add(row(0, 4242, "api", "shop", "online")).add(row(1, 0, "cron", null, "stopped")),
                Map.of(4242, 12.5));
        assertTrue(text.contains("# TYPE jpm_process_cpu_seconds_total counter"), text);
        assertTrue(
                text.contains("jpm_process_cpu_seconds_total{app=\"api\",namespace=\"shop\",pm_id=\"0\"} 12.5"), text);
        assertFalse(
                text.contains("jpm_process_cpu_seconds_total{app=\"cron\""), "a stopped instance has no pid: " + text);
        assertTrue(text.contains("jpm_process_memory_bytes{app=\"cron\",namespace=\"default\",pm_id=\"1\"}"), text);
        assertTrue(text.contains("jpm_process_cpu_percent{app=\"api\",namespace=\"shop\",pm_id=\"0\"}"), text);
    }

    private static JsonObject metric(String unit, String type, Object value) {
        JsonObject m = new JsonObject().put("historic", true);
        if (unit != null) {
            m.put("unit", unit);
        }
        return m.put("type", type).put("value", value);
    }

    @Test
    void aNodeAppsCodeMetricsAreGaugesInBaseUnitsAndItsOwnByName() throws IOException {
        JsonObject monitor = new JsonObject()
                .put("HTTP Mean Latency", metric("ms", "internal/http/builtin/latency/p50", 2.5))
                .put("HTTP", metric("req/min", "internal/http/builtin/reqs", 3.2))
                .put("Heap Size", metric("MiB", "internal/v8/heap/total", "2.00"))
                .put("Heap Usage", metric("%", "internal/v8/heap/usage", 68.12))
                .put("Active handles", metric(null, "internal/libuv/handles", 3))
                .put("Event Loop Latency p95", metric("ms", "internal/libuv/latency/p95", "1.50"))
                .put("Orders", metric("orders", "orders", 7))
                .put("Mood", metric(null, "mood", "sunny"))
                // a second name with a type already exported would make the same series twice
                .put("Heap Again", metric("MiB", "internal/v8/heap/total", "3.00"));
        JsonObject row = row(0, 4242, "api", null, "online");
        row.getJsonObject("pm2_env").put("axm_monitor", monitor);
        String text = scrape(new JsonArray().add(row), Map.of());
        String labels = "app=\"api\",namespace=\"default\",pm_id=\"0\"";
        assertTrue(text.contains("jpm_node_heap_size_bytes{" + labels + "} 2097152.0"), text);
        assertTrue(text.contains("jpm_node_heap_usage_percent{" + labels + "} 68.12"), text);
        assertTrue(text.contains("jpm_node_active_handles{" + labels + "} 3.0"), text);
        assertTrue(text.contains("jpm_node_event_loop_latency_seconds{" + labels + ",quantile=\"0.95\"} 0.0015"), text);
        assertTrue(text.contains("jpm_node_http_requests_per_second{" + labels + ",scheme=\"http\"} 3.2"), text);
        assertTrue(
                text.contains("jpm_node_http_latency_seconds{" + labels + ",quantile=\"0.5\",scheme=\"http\"} 0.0025"),
                text);
        assertTrue(
                text.contains("jpm_code_metric{app=\"api\",metric=\"Orders\",namespace=\"default\",pm_id=\"0\","
                        + "unit=\"orders\"} 7.0"),
                text);
        assertFalse(text.contains("Mood"), "a value that is no number is not exported: " + text);
        assertFalse(text.contains("3145728"), "the same series once: " + text);
    }

    @Test
    void pm2sExportersFamiliesHaveTheirNamesAndLabels() throws IOException {
        JsonObject monitor = new JsonObject()
                .put("Heap Size", metric("MiB", "internal/v8/heap/total", "6.98"))
                .put("Event Loop Latency p95", metric("ms", "internal/libuv/latency/p95", "1.46"))
                .put("Loop delay", metric(null, "loop", "0.52ms"))
                .put("Orders total", metric(null, "orders", 3))
                .put("Mood", metric(null, "mood", "sunny"));
        JsonObject row = row(0, 4242, "api", null, "online");
        row.getJsonObject("pm2_env")
                .put("axm_monitor", monitor)
                .put("instance_var", "NODE_APP_INSTANCE")
                .put("NODE_APP_INSTANCE", 0)
                .put("exec_interpreter", "node")
                .put("node_version", "20.20.2")
                .put("restart_time", 2)
                .put("instances", 1);
        row.put("monit", new JsonObject().put("cpu", 1.5).put("memory", 1000));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create()
                .write(out, Pm2MetricsScrape.of(new JsonArray().add(row), System.currentTimeMillis()));
        String text = out.toString(StandardCharsets.UTF_8);
        String labels = "{id=\"0\",instance=\"0\",interpreter=\"node\",name=\"api\",node_version=\"20.20.2\","
                + "version=\"N/A\"}";
        assertTrue(text.contains("pm2_up" + labels + " 1.0"), text);
        assertTrue(text.contains("pm2_cpu" + labels + " 1.5"), text);
        assertTrue(text.contains("pm2_memory" + labels + " 1000.0"), text);
        assertTrue(text.contains("pm2_restarts" + labels + " 2.0"), text);
        assertTrue(text.contains("pm2_instances" + labels + " 1.0"), text);
        assertTrue(text.contains("pm2_heap_size" + labels + " 6.98"), text);
        assertTrue(text.contains("pm2_event_loop_latency_p95" + labels + " 1.46"), text);
        assertTrue(text.contains("pm2_loop_delay" + labels + " 0.52"), text);
        assertFalse(text.contains("pm2_mood"), text);
        assertTrue(text.contains("pm2_orders_total" + labels + " 3.0"), "a gauge, as pm2-metrics writes it: " + text);
    }

    /** Issue 62: pm2's exporters count every app's uptime from pm_uptime, a stopped one's from its last start. */
    @Test
    void pm2UptimeIsSinceTheLastStartForAStoppedAppToo() throws IOException {
        long now = 1_795_791_236_243L;
        JsonArray list = new JsonArray();
        list.add(row(0, 4242, "up", null, "online"));
        list.add(row(1, 0, "down", null, "stopped"));
        list.getJsonObject(0).getJsonObject("pm2_env").put("pm_uptime", now - 5_400);
        list.getJsonObject(1).getJsonObject("pm2_env").put("pm_uptime", now - 90_000);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, Pm2MetricsScrape.of(list, now));
        String text = out.toString(StandardCharsets.UTF_8);
        String up = "{id=\"0\",instance=\"\",interpreter=\"\",name=\"up\",node_version=\"\",version=\"N/A\"}";
        String down = up.replace("id=\"0\"", "id=\"1\"").replace("\"up\"", "\"down\"");
        assertTrue(text.contains("pm2_uptime" + up + " 5.0"), text);
        assertTrue(text.contains("pm2_uptime" + down + " 90.0"), text);
        assertTrue(text.contains("pm2_up" + down + " 0.0"), text);
    }

    @Test
    void cpuSecondsAreUtimePlusStimeOverTheClockTick() {
        // a command with a space and a parenthesis, then fields 3..; utime 250 and stime 50 ticks
        String stat = "4242 (my (app) x) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 1 0 1000 1000 10";
        assertEquals(3.0, ProcessCpuTime.secondsOf(stat));
    }

    @Test
    void aPidThatIsNotRunningHasNoCpuTime() {
        assertTrue(ProcessCpuTime.of(0).isEmpty());
        assertTrue(ProcessCpuTime.of((int) ProcessHandle.current().pid()).isPresent());
    }
}
