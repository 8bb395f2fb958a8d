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

/** The per-instance series: the CPU seconds counter and the namespace label (issue 30). */
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
