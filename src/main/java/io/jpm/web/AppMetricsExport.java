package io.jpm.web;

import io.jpm.protocol.Fields;
import io.jpm.protocol.ProcessView;
import io.jpm.verticle.Plain;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * The apps' own metrics (their {@code metrics_url}, scraped by Satan, kept in jlist as
 * {@code jpm.app_metrics}) in jpm's scrape, each series with {@code app} and {@code pm_id} labels
 * added, so one Prometheus job sees every instance. An app's own {@code app} or {@code pm_id}
 * label becomes {@code exported_app} / {@code exported_pm_id}, as Prometheus does with a target's
 * clashing labels. Counters, gauges and untyped series are re-exported; histogram and summary
 * lines, names jpm uses ({@code jpm_*}) and a family whose series clash are left out (describe
 * and jlist still show them).
 */
final class AppMetricsExport {
    private static final Logger LOG = Logger.getLogger("jpm.web");

    /** Family name to its kind and data points, across every instance. */
    private final Map<String, Family> families = new LinkedHashMap<>();

    private record Family(String type, List<Object> points) {}

    static List<MetricSnapshot> of(JsonArray list) {
        AppMetricsExport export = new AppMetricsExport();
        for (Object o : list) {
            ProcessView p = ProcessView.from(Plain.map((JsonObject) o));
            if (p.oldRun()) {
                continue; // a reload's old run ("_old_3"): its pm_id already names the new one
            }
            for (Object sample : p.jpm().appMetricSamples()) {
                export.add(p.name(), p.pmId(), Plain.json(Fields.of(sample).asMap()));
            }
        }
        return export.build();
    }

    private void add(String app, int pmId, JsonObject sample) {
        String name = sample.getString("name", "");
        String type = sample.getString("type", "untyped");
        if (name.startsWith("jpm_") || !(sample.getValue("value") instanceof Number value)) {
            return;
        }
        String family;
        if ("counter".equals(type) && name.endsWith("_total")) {
            family = name.substring(0, name.length() - "_total".length());
        } else if ("gauge".equals(type) || "untyped".equals(type) || "unknown".equals(type) || "counter".equals(type)) {
            family = name; // a counter without _total keeps its name, as an untyped series
            type = "gauge".equals(type) ? "gauge" : "untyped";
        } else {
            return; // histogram, summary, info, stateset: their lines only make sense together
        }
        List<String> names = new ArrayList<>(List.of("app", "pm_id"));
        List<String> values = new ArrayList<>(List.of(app, Integer.toString(pmId)));
        sample.getJsonObject("labels", new JsonObject()).forEach(e -> {
            names.add(e.getKey().equals("app") || e.getKey().equals("pm_id") ? "exported_" + e.getKey() : e.getKey());
            values.add(String.valueOf(e.getValue()));
        });
        Labels labels;
        try {
            labels = Labels.of(names, values);
        } catch (IllegalArgumentException e) {
            return; // a label name Prometheus would not take
        }
        String kind = type;
        Family f = families.computeIfAbsent(family, k -> new Family(kind, new ArrayList<>()));
        if (!f.type().equals(type)) {
            return; // two apps disagree on the type of one name: the first one's stays
        }
        double v = value.doubleValue();
        f.points()
                .add(
                        switch (type) {
                            case "counter" -> CounterSnapshot.CounterDataPointSnapshot.builder()
                                    .labels(labels)
                                    .value(v)
                                    .build();
                            case "gauge" -> GaugeSnapshot.GaugeDataPointSnapshot.builder()
                                    .labels(labels)
                                    .value(v)
                                    .build();
                            default -> UnknownSnapshot.UnknownDataPointSnapshot.builder()
                                    .labels(labels)
                                    .value(v)
                                    .build();
                        });
    }

    private List<MetricSnapshot> build() {
        List<MetricSnapshot> snapshots = new ArrayList<>();
        families.forEach((name, f) -> {
            try {
                snapshots.add(
                        switch (f.type()) {
                            case "counter" -> {
                                CounterSnapshot.Builder b =
                                        CounterSnapshot.builder().name(name).help("an app's own metric (metrics_url)");
                                f.points().forEach(p -> b.dataPoint((CounterSnapshot.CounterDataPointSnapshot) p));
                                yield b.build();
                            }
                            case "gauge" -> {
                                GaugeSnapshot.Builder b =
                                        GaugeSnapshot.builder().name(name).help("an app's own metric (metrics_url)");
                                f.points().forEach(p -> b.dataPoint((GaugeSnapshot.GaugeDataPointSnapshot) p));
                                yield b.build();
                            }
                            default -> {
                                UnknownSnapshot.Builder b =
                                        UnknownSnapshot.builder().name(name).help("an app's own metric (metrics_url)");
                                f.points().forEach(p -> b.dataPoint((UnknownSnapshot.UnknownDataPointSnapshot) p));
                                yield b.build();
                            }
                        });
            } catch (IllegalArgumentException e) {
                LOG.fine(() -> "web: app metric " + name + " left out of /metrics: " + e.getMessage());
            }
        });
        return snapshots;
    }
}
