package io.jpm.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jpm.protocol.MetricsSample;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FiguresTest {
    @Test
    void anAppsInstancesAreSummedOrAveragedAndTheHostSumsTheApps() {
        MetricsSample sample = new MetricsSample(
                "box",
                1_000,
                List.of(
                        new MetricsSample.Usage(0, 10, 2.0, 100),
                        new MetricsSample.Usage(1, 11, 4.0, 300),
                        new MetricsSample.Usage(2, 12, 1.0, 50)));
        JsonObject god = new JsonObject()
                .put(
                        "instances",
                        new JsonArray()
                                .add(new JsonObject()
                                        .put("pm_id", 0)
                                        .put("name", "api")
                                        .put("online", true)
                                        .put("restarts", 2)
                                        .put("req_min", 60.0)
                                        .put("loop_ms", 1.0)
                                        .put("custom", new JsonObject().put("queue", 4)))
                                .add(new JsonObject()
                                        .put("pm_id", 1)
                                        .put("name", "api")
                                        .put("online", true)
                                        .put("restarts", 1)
                                        .put("req_min", 30.0)
                                        .put("loop_ms", 3.0)
                                        .put("custom", new JsonObject().put("queue", 8)))
                                .add(new JsonObject()
                                        .put("pm_id", 2)
                                        .put("name", "worker")
                                        .put("online", true)
                                        .put("restarts", 0))
                                .add(new JsonObject()
                                        .put("pm_id", 3)
                                        .put("name", "cron")
                                        .put("online", false)
                                        .put("restarts", 5)));
        Map<String, Map<String, Double>> figures = Figures.of(sample, god);
        Map<String, Double> api = figures.get("api");
        assertEquals(6.0, api.get(Metrics.CPU));
        assertEquals(400.0, api.get(Metrics.MEMORY));
        assertEquals(3.0, api.get(Metrics.RESTARTS));
        assertEquals(2.0, api.get(Metrics.ONLINE));
        assertEquals(90.0, api.get(Metrics.REQ_MIN), "requests a minute: summed");
        assertEquals(2.0, api.get(Metrics.LOOP_MS), "latency: the mean");
        assertEquals(6.0, api.get(Metrics.CUSTOM + "queue"), "an app's own metric: the mean");
        Map<String, Double> cron = figures.get("cron");
        assertFalse(cron.containsKey(Metrics.CPU), "not running: no usage");
        assertEquals(0.0, cron.get(Metrics.ONLINE));
        Map<String, Double> host = figures.get(Figures.HOST);
        assertEquals(7.0, host.get(Metrics.CPU));
        assertEquals(450.0, host.get(Metrics.MEMORY));
        assertEquals(8.0, host.get(Metrics.RESTARTS));
        assertEquals(3.0, host.get(Metrics.ONLINE));
        assertEquals(90.0, host.get(Metrics.REQ_MIN));
        assertFalse(host.containsKey(Metrics.LOOP_MS), "the host sums what sums");
    }
}
