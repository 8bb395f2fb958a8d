package io.jpm.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An app's own metrics, as Satan scraped them from the instance's {@code metrics_url} (Prometheus
 * text format), published on {@link Addresses#EVENTS_APP_METRICS}; God keeps the last one of each
 * run for describe and jlist ({@code jpm.app_metrics}).
 *
 * <pre>{"app":"api","pm_id":0,"pid":4242,"url":"http://127.0.0.1:41234/metrics","time":1795320564471,
 *  "host":"box","error":null,
 *  "samples":[{"name":"http_requests_total","type":"counter","labels":{"path":"/"},"value":1520.0}]}</pre>
 *
 * @param error why the last scrape failed (no sample then), else null
 */
public record AppMetrics(
        String app, int pmId, int pid, String url, long time, String host, String error, List<Sample> samples) {
    public AppMetrics {
        samples = List.copyOf(samples);
    }

    /** One line of the scrape: its name as written, the family's TYPE (untyped when none), its labels. */
    public record Sample(String name, String type, Map<String, String> labels, double value) {
        public Sample {
            labels = Map.copyOf(labels);
        }

        public Map<String, Object> toMap() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("name", name);
            json.put("type", type);
            json.put("labels", new TreeMap<>(labels));
            // JSON has no NaN or infinities: Prometheus's own spellings, as text
            json.put(
                    "value", Double.isFinite(value) ? (Object) value : value > 0 ? "+Inf" : value < 0 ? "-Inf" : "NaN");
            return json;
        }

        public static Sample from(Map<String, ?> json) {
            Fields f = Fields.of(json);
            Object v = f.get("value");
            double value = v instanceof Number n
                    ? n.doubleValue()
                    : "+Inf".equals(v)
                            ? Double.POSITIVE_INFINITY
                            : "-Inf".equals(v) ? Double.NEGATIVE_INFINITY : Double.NaN;
            return new Sample(f.string("name", ""), f.string("type", "untyped"), f.texts("labels"), value);
        }
    }

    public Map<String, Object> toMap() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("app", app);
        json.put("pm_id", pmId);
        json.put("pid", pid);
        json.put("url", url);
        json.put("time", time);
        json.put("host", host);
        json.put("error", error);
        json.put("samples", samples.stream().map(Sample::toMap).toList());
        return json;
    }

    @SuppressWarnings("unchecked")
    public static AppMetrics from(Map<String, ?> json) {
        Fields f = Fields.of(json);
        List<Sample> samples = f.list("samples").stream()
                .filter(Map.class::isInstance)
                .map(o -> Sample.from((Map<String, ?>) o))
                .toList();
        return new AppMetrics(
                f.string("app"),
                f.integer("pm_id", -1),
                f.integer("pid", 0),
                f.string("url"),
                f.whole("time", 0L),
                f.string("host"),
                f.string("error"),
                samples);
    }
}
