package io.jpm.web;

import io.jpm.protocol.CodeMetrics;
import io.jpm.protocol.ProcessState;
import io.jpm.protocol.ProcessView;
import io.jpm.protocol.ProcessViewPm2Env;
import io.jpm.verticle.Plain;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.PrometheusNaming;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /metrics/pm2}: the families the exporters pm2 users scrape write (pm2-metrics, and
 * pm2-prometheus-exporter before it), from jlist as they read pm2's, so a Grafana board made for
 * them shows jpm's apps unchanged: {@code pm2_up}, {@code pm2_cpu}, {@code pm2_memory},
 * {@code pm2_uptime}, {@code pm2_instances}, {@code pm2_restarts}, and one gauge per code metric of
 * jlist's axm_monitor named as pm2-metrics names it ({@code Heap Size} is {@code pm2_heap_size},
 * {@code Event Loop Latency p95} {@code pm2_event_loop_latency_p95}), every one with
 * pm2-metrics' labels {@code id}, {@code name}, {@code instance}, {@code version},
 * {@code interpreter}, {@code node_version}. docs/API.md has the table. Kept apart from jpm's
 * own {@code /metrics}: the code metrics' families are the apps' names, which could be anything.
 */
final class Pm2MetricsScrape {
    private static final Pattern LEADING_NUMBER = Pattern.compile("^\\s*-?[\\d.]+");

    private final Map<String, GaugeSnapshot.Builder> gauges = new LinkedHashMap<>();
    /** Each family's series so far: a second series with the same labels (two apps, one id) is left out. */
    private final Map<String, Set<Labels>> series = new LinkedHashMap<>();

    private final long now;

    private Pm2MetricsScrape(long now) {
        this.now = now;
    }

    /** @param now the scrape's time (epoch ms): pm2_uptime is counted from pm_uptime to it, as the exporters count */
    static MetricSnapshots of(JsonArray list, long now) {
        Pm2MetricsScrape scrape = new Pm2MetricsScrape(now);
        for (Object row : list) {
            scrape.process(ProcessView.from(Plain.map((JsonObject) row)));
        }
        MetricSnapshots.Builder all = MetricSnapshots.builder();
        scrape.gauges.values().forEach(b -> all.metricSnapshot(b.build()));
        return all.build();
    }

    private void process(ProcessView p) {
        if (p.oldRun()) {
            return; // a reload's old run: its pm_id already names the new one
        }
        ProcessViewPm2Env env = p.pm2Env();
        Labels labels = Labels.of(
                "id", Integer.toString(p.pmId()),
                "instance",
                        env.instance().instanceVar() == null
                                ? ""
                                : Integer.toString(env.instance().index()),
                "interpreter", text(env.program().interpreter()),
                "name", text(p.name()),
                "node_version", text(env.facts().nodeVersion()),
                "version", env.facts().version() == null ? "N/A" : env.facts().version());
        gauge("pm2_up", "Is the process running", labels, env.run().is(ProcessState.ONLINE) ? 1 : 0);
        gauge("pm2_cpu", "Process cpu usage", labels, p.cpu());
        gauge("pm2_memory", "Process memory usage", labels, p.memory());
        // the exporters' (now - pm_uptime) for every status: a stopped app's is since its last start, as under pm2
        long since = env.run().pmUptime();
        gauge("pm2_uptime", "Process uptime", labels, since > 0 ? Math.round(Math.max(0, now - since) / 1000.0) : 0);
        gauge(
                "pm2_instances",
                "Process instances",
                labels,
                Math.max(1, env.program().instances()));
        gauge("pm2_restarts", "Process restarts", labels, env.run().restartTime());
        CodeMetrics reported = env.codeMetrics();
        for (Map.Entry<String, Object> metric : reported.monitor().entrySet()) {
            Object entry = metric.getValue();
            Double value = CodeMetrics.number(entry instanceof Map<?, ?> m ? leadingNumber(m.get("value")) : entry);
            String name =
                    "pm2_" + metric.getKey().replaceAll("[^A-Za-z0-9]+", "_").toLowerCase(Locale.ROOT);
            // a name Prometheus keeps for other types (..._total, ..._bucket) is left out
            if (value != null
                    && PrometheusNaming.isValidLegacyMetricName(name)
                    && PrometheusNaming.isValidMetricName(name)) {
                gauge(name, metric.getKey(), labels, value);
            }
        }
    }

    /** pm2-metrics reads "0.42ms" and "6.98 MiB" (older agents' values) by their leading number. */
    private static Object leadingNumber(Object value) {
        if (value instanceof String s) {
            Matcher m = LEADING_NUMBER.matcher(s);
            return m.find() ? m.group().strip() : s;
        }
        return value;
    }

    private static String text(Object value) {
        return value == null ? "" : String.valueOf(value);
    }

    private void gauge(String name, String help, Labels labels, double value) {
        if (!series.computeIfAbsent(name, n -> new HashSet<>()).add(labels)) {
            return;
        }
        gauges.computeIfAbsent(name, n -> GaugeSnapshot.builder().name(n).help(help))
                .dataPoint(GaugeDataPointSnapshot.builder()
                        .labels(labels)
                        .value(value)
                        .build());
    }
}
