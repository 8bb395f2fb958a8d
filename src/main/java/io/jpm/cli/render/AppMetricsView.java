package io.jpm.cli.render;

import io.jpm.cli.transport.Json;
import io.jpm.protocol.ProcessView;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An app's own metrics (its {@code metrics_url}, scraped by the daemon) under {@code describe}, as
 * pm2 shows @pm2/io's metrics in its "Code metrics value" box; one line in {@code monit}.
 */
public final class AppMetricsView {
    /** Beyond this many samples describe says how many more there are: jlist has them all. */
    static final int MAX_ROWS = 40;

    private AppMetricsView() {}

    /** The box for describe, or "" when the app has no metrics_url. */
    public static String box(Json.Value process) {
        Map<String, Object> appMetrics = ProcessView.from(process.asMap()).jpm().appMetrics();
        if (appMetrics == null) {
            return "";
        }
        Json.Value metrics = new Json.Value(appMetrics);
        List<List<String>> rows = new ArrayList<>();
        if (!metrics.path("error").isNull() && metrics.has("error")) {
            rows.add(List.of("scrape failed", metrics.path("error").asText()));
        }
        int shown = 0;
        int total = 0;
        for (Json.Value s : metrics.path("samples")) {
            total++;
            if (shown < MAX_ROWS) {
                rows.add(List.of(name(s), value(s)));
                shown++;
            }
        }
        if (total > shown) {
            rows.add(List.of("...", (total - shown) + " more in jpm jlist (jpm.app_metrics)"));
        }
        return " Code metrics value (" + metrics.path("url").asText() + ")\n" + BoxTable.box(null, rows);
    }

    /** "http_requests_total{path="/"}". */
    static String name(Json.Value sample) {
        Object labels = sample.path("labels").raw;
        StringBuilder name = new StringBuilder(sample.path("name").asText());
        if (labels instanceof Map<?, ?> map && !map.isEmpty()) {
            List<String> pairs = new ArrayList<>();
            new TreeMap<>(map).forEach((k, v) -> pairs.add(k + "=\"" + v + "\""));
            name.append('{').append(String.join(",", pairs)).append('}');
        }
        return name.toString();
    }

    static String value(Json.Value sample) {
        Object v = sample.path("value").raw;
        if (v instanceof Number n) {
            double d = n.doubleValue();
            return d == Math.rint(d) && Math.abs(d) < 1e15
                    ? Long.toString((long) d)
                    : BigDecimal.valueOf(d)
                            .round(new MathContext(4))
                            .stripTrailingZeros()
                            .toPlainString();
        }
        return String.valueOf(v);
    }
}
