package io.jpm.web;

import io.jpm.protocol.CodeMetrics;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Node app's code metrics (jlist's axm_monitor) in jpm's scrape, per instance: pm2's default
 * figures under Prometheus names in base units (bytes, seconds), found by their pm2 type
 * ({@code internal/v8/heap/total}), and every other metric with a numeric value (@pm2/io's
 * {@code io.metric}, counters, meters, histograms) as {@code jpm_code_metric} labelled with its name.
 */
final class CodeMetricsExport {
    /** Where a gauge goes. */
    interface Gauges {
        void gauge(String name, String help, Labels labels, double value);
    }

    private record Known(String type, String name, String help, double scale, String[] labels, String[] values) {
        Known(String type, String name, String help, double scale) {
            this(type, name, help, scale, new String[0], new String[0]);
        }
    }

    private static final double MIB = 1024 * 1024;
    private static final String LATENCY = "the event loop's latency over recent seconds, at this quantile";
    private static final String HTTP_RATE = "requests a second to the app's HTTP servers, averaged over a minute"
            + " (pm2's \"HTTP\" figure, whose unit reads req/min)";
    private static final String HTTP_LATENCY = "the app's HTTP response time over recent requests, at this quantile";

    private static final List<Known> KNOWN = List.of(
            new Known("internal/v8/heap/total", "jpm_node_heap_size_bytes", "V8's heap size (pm2's Heap Size)", MIB),
            new Known(
                    "internal/v8/heap/used",
                    "jpm_node_heap_used_bytes",
                    "V8's heap in use (pm2's Used Heap Size)",
                    MIB),
            new Known("internal/v8/heap/usage", "jpm_node_heap_usage_percent", "heap in use over heap size", 1),
            new Known(
                    "internal/libuv/handles",
                    "jpm_node_active_handles",
                    "libuv handles open (pm2's Active handles)",
                    1),
            new Known("internal/libuv/requests", "jpm_node_active_requests", "libuv requests pending", 1),
            quantile("internal/libuv/latency/p50", "0.5"),
            quantile("internal/libuv/latency/p95", "0.95"),
            scheme("http", "reqs", "jpm_node_http_requests_per_second", HTTP_RATE, 1, null),
            scheme("https", "reqs", "jpm_node_http_requests_per_second", HTTP_RATE, 1, null),
            scheme("http", "latency/p50", "jpm_node_http_latency_seconds", HTTP_LATENCY, 1e-3, "0.5"),
            scheme("http", "latency/p95", "jpm_node_http_latency_seconds", HTTP_LATENCY, 1e-3, "0.95"),
            scheme("https", "latency/p50", "jpm_node_http_latency_seconds", HTTP_LATENCY, 1e-3, "0.5"),
            scheme("https", "latency/p95", "jpm_node_http_latency_seconds", HTTP_LATENCY, 1e-3, "0.95"));

    private static Known quantile(String type, String quantile) {
        return new Known(
                type, "jpm_node_event_loop_latency_seconds", LATENCY, 1e-3, new String[] {"quantile"}, new String[] {
                    quantile
                });
    }

    private static Known scheme(String scheme, String what, String name, String help, double scale, String quantile) {
        String type = "internal/" + scheme + "/builtin/" + what;
        return quantile == null
                ? new Known(type, name, help, scale, new String[] {"scheme"}, new String[] {scheme})
                : new Known(
                        type, name, help, scale, new String[] {"quantile", "scheme"}, new String[] {quantile, scheme});
    }

    private CodeMetricsExport() {}

    /**
     * The instance's code metrics, each with the instance's {@code labels}; a second metric that
     * would make the same series (two names with one pm2 type) is left out.
     */
    static void export(CodeMetrics reported, Labels labels, Gauges out) {
        Set<String> series = new HashSet<>();
        for (Map.Entry<String, Object> metric : reported.monitor().entrySet()) {
            if (!(metric.getValue() instanceof Map<?, ?> entry)) {
                continue;
            }
            Double value = CodeMetrics.number(entry.get("value"));
            if (value == null) {
                continue;
            }
            Known known = known(entry.get("type"));
            if (known != null) {
                if (series.add(known.name() + String.join(",", known.values()))) {
                    out.gauge(
                            known.name(),
                            known.help(),
                            labels.merge(known.labels(), known.values()),
                            value * known.scale());
                }
            } else {
                Object unit = entry.get("unit");
                out.gauge(
                        "jpm_code_metric",
                        "a metric the app reports itself (@pm2/io), by its name, in its own unit",
                        labels.merge(
                                new String[] {"metric", "unit"},
                                new String[] {metric.getKey(), unit == null ? "" : String.valueOf(unit)}),
                        value);
            }
        }
    }

    private static Known known(Object type) {
        for (Known k : KNOWN) {
            if (k.type().equals(type)) {
                return k;
            }
        }
        return null;
    }
}
