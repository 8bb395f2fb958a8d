package io.jpm.god;

import io.jpm.protocol.CodeMetrics;
import io.jpm.protocol.ProcessState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * What the history records of each instance besides Satan's usage sample: its app's name, its restart
 * counter, and the numbers its run reports from inside (a Node app's code metrics, pm2's
 * {@code axm_monitor}) and from its {@code metrics_url} (Satan's last scrape). Built for
 * {@code jpm.internal.god.figures}; God's event loop.
 *
 * <p>Code metrics are told apart by pm2's type: {@code internal/<id>/builtin/reqs} is req/min (http and
 * https summed), {@code internal/libuv/latency/p50} and {@code p95} the event loop's latency, a type
 * outside {@code internal/} (or none) one of the app's own metrics; the heap and handle figures of
 * jpm's preload are left out (the memory series holds the process group's).
 */
final class InstanceFigures {
    /** An instance's own metrics beyond this many are not recorded (the history bounds them again). */
    static final int MAX_CUSTOM = 16;

    private InstanceFigures() {}

    static JsonObject of(ProcessTable table) {
        JsonArray instances = new JsonArray();
        for (Instance i : table.all()) {
            JsonObject row = new JsonObject()
                    .put("pm_id", i.pmId)
                    .put("name", i.name())
                    .put("online", i.state() == ProcessState.ONLINE)
                    .put("restarts", i.counters().restarts());
            if (i.pid() != null) {
                JsonObject custom = new JsonObject();
                code(i.run().reported().view(i.channel()), row, custom);
                scraped(i.satanReports().appMetricsOf(i.pid()), custom);
                if (!custom.isEmpty()) {
                    row.put("custom", custom);
                }
            }
            instances.add(row);
        }
        return new JsonObject().put("instances", instances);
    }

    private static void code(CodeMetrics metrics, JsonObject row, JsonObject custom) {
        double reqs = 0;
        boolean served = false;
        for (Map.Entry<String, Object> metric : metrics.monitor().entrySet()) {
            if (!(metric.getValue() instanceof Map<?, ?> entry)) {
                continue;
            }
            Double value = CodeMetrics.number(entry.get("value"));
            String type = entry.get("type") instanceof String t ? t : "";
            if (value == null) {
                continue;
            }
            if (type.startsWith("internal/") && type.endsWith("/builtin/reqs")) {
                reqs += value;
                served = true;
            } else if (type.equals("internal/libuv/latency/p50")) {
                row.put("loop_ms", value);
            } else if (type.equals("internal/libuv/latency/p95")) {
                row.put("loop_p95_ms", value);
            } else if (!type.startsWith("internal/") && custom.size() < MAX_CUSTOM) {
                custom.put(metric.getKey(), value);
            }
        }
        if (served) {
            row.put("req_min", reqs);
        }
    }

    /** The scrape's finite samples, each named as Prometheus writes it: {@code name{label="v"}}. */
    private static void scraped(JsonObject scrape, JsonObject custom) {
        if (scrape == null) {
            return;
        }
        for (Object o : scrape.getJsonArray("samples", new JsonArray())) {
            if (custom.size() >= MAX_CUSTOM) {
                return;
            }
            if (o instanceof JsonObject sample && sample.getValue("value") instanceof Number n) {
                custom.put(seriesName(sample), n.doubleValue());
            }
        }
    }

    private static String seriesName(JsonObject sample) {
        JsonObject labels = sample.getJsonObject("labels", new JsonObject());
        if (labels.isEmpty()) {
            return sample.getString("name", "");
        }
        StringBuilder name = new StringBuilder(sample.getString("name", "")).append('{');
        String comma = "";
        for (String key : labels.fieldNames()) {
            name.append(comma)
                    .append(key)
                    .append("=\"")
                    .append(labels.getValue(key))
                    .append('"');
            comma = ",";
        }
        return name.append('}').toString();
    }
}
