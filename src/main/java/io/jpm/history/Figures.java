package io.jpm.history;

import io.jpm.protocol.MetricsSample;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One sample's figures by subject: each app's (its instances summed, or averaged: {@link Metrics}) and
 * the host's totals (subject {@link #HOST}), from Satan's usage sample and God's figures of each
 * instance ({@code jpm.internal.god.figures}: name, restarts, code metrics).
 */
final class Figures {
    /** The subject of the host's totals: no app is named so. */
    static final String HOST = "";

    private Figures() {}

    static Map<String, Map<String, Double>> of(MetricsSample sample, JsonObject god) {
        Map<Integer, MetricsSample.Usage> usage = new HashMap<>();
        for (MetricsSample.Usage u : sample.processes()) {
            usage.put(u.pmId(), u);
        }
        Map<String, Map<String, Double>> sums = new LinkedHashMap<>();
        Map<String, Map<String, int[]>> counts = new HashMap<>();
        for (Object o : god.getJsonArray("instances", new JsonArray())) {
            if (!(o instanceof JsonObject instance) || instance.getString("name") == null) {
                continue;
            }
            String app = instance.getString("name");
            Map<String, Double> figures = sums.computeIfAbsent(app, a -> new LinkedHashMap<>());
            Map<String, int[]> seen = counts.computeIfAbsent(app, a -> new HashMap<>());
            MetricsSample.Usage u = usage.get(instance.getInteger("pm_id", -1));
            if (u != null) {
                add(figures, seen, Metrics.CPU, u.cpu());
                add(figures, seen, Metrics.MEMORY, (double) u.memory());
            }
            add(
                    figures,
                    seen,
                    Metrics.RESTARTS,
                    instance.getInteger("restarts", 0).doubleValue());
            add(figures, seen, Metrics.ONLINE, instance.getBoolean("online", false) ? 1.0 : 0.0);
            for (String metric : new String[] {Metrics.REQ_MIN, Metrics.LOOP_MS, Metrics.LOOP_P95_MS}) {
                if (instance.getValue(metric) instanceof Number n) {
                    add(figures, seen, metric, n.doubleValue());
                }
            }
            JsonObject custom = instance.getJsonObject("custom", new JsonObject());
            for (String name : custom.fieldNames()) {
                if (custom.getValue(name) instanceof Number n) {
                    add(figures, seen, Metrics.CUSTOM + name, n.doubleValue());
                }
            }
        }
        Map<String, Double> host = new LinkedHashMap<>();
        sums.forEach((app, figures) -> {
            Map<String, int[]> seen = counts.get(app);
            figures.replaceAll(
                    (metric, value) -> Metrics.SUMMED.contains(metric) ? value : value / seen.get(metric)[0]);
            for (String metric : Metrics.SUMMED) {
                if (figures.containsKey(metric)) {
                    host.merge(metric, figures.get(metric), Double::sum);
                }
            }
        });
        if (!host.isEmpty()) {
            sums.put(HOST, host);
        }
        return sums;
    }

    private static void add(Map<String, Double> figures, Map<String, int[]> seen, String metric, double value) {
        figures.merge(metric, value, Double::sum);
        seen.computeIfAbsent(metric, m -> new int[1])[0]++;
    }
}
