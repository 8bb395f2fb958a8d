package io.jpm.satan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.AppMetrics;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    @Test
    void readsTypesLabelsAndValues() {
        PrometheusText.Parsed parsed = PrometheusText.parse(
                """
        # HELP http_requests_total Requests.
        # TYPE http_requests_total counter
        http_requests_total{method="GET",path="/a b"} 1027 1395066363000
        http_requests_total{method="POST",path="/"} 3
        # TYPE queue gauge
        queue 4.5
        # TYPE latency histogram
        latency_bucket{le="0.1"} 3
        latency_bucket{le="+Inf"} 4
        latency_sum 0.5
        latency_count 4
        untyped_thing NaN
        escaped{text="a \\"quoted\\" \\\\ line\\nnext"} -Inf
        """);
        assertEquals(0, parsed.skipped());
        List<AppMetrics.Sample> s = parsed.samples();
        assertEquals(
                new AppMetrics.Sample("http_requests_total", "counter", Map.of("method", "GET", "path", "/a b"), 1027),
                s.get(0));
        assertEquals(new AppMetrics.Sample("queue", "gauge", Map.of(), 4.5), s.get(2));
        assertEquals(new AppMetrics.Sample("latency_bucket", "histogram", Map.of("le", "+Inf"), 4), s.get(4));
        assertEquals("histogram", s.get(6).type());
        assertEquals("untyped", s.get(7).type());
        assertTrue(Double.isNaN(s.get(7).value()));
        assertEquals(Map.of("text", "a \"quoted\" \\ line\nnext"), s.get(8).labels());
        assertEquals(Double.NEGATIVE_INFINITY, s.get(8).value());
    }

    @Test
    void aBadLineIsSkippedNotFatal() {
        PrometheusText.Parsed parsed =
                PrometheusText.parse("good 1\n{nameless} 2\nbroken{a=\"x} 3\nno_value\nword abc\nalso_good 2\n");
        assertEquals(
                List.of("good", "also_good"),
                parsed.samples().stream().map(AppMetrics.Sample::name).toList());
        assertEquals(4, parsed.skipped());
    }

    @Test
    void readsWhatThePrometheusJavaClientWrites() throws IOException {
        MetricSnapshots snapshots = MetricSnapshots.builder()
                .metricSnapshot(CounterSnapshot.builder()
                        .name("jobs")
                        .help("jobs done")
                        .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                                .labels(Labels.of("queue", "mail"))
                                .value(12)
                                .build())
                        .build())
                .metricSnapshot(GaugeSnapshot.builder()
                        .name("temperature_celsius")
                        .help("now")
                        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
                                .value(21.5)
                                .build())
                        .build())
                .build();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, snapshots);
        PrometheusText.Parsed parsed = PrometheusText.parse(out.toString(StandardCharsets.UTF_8));
        assertEquals(
                List.of(
                        new AppMetrics.Sample("jobs_total", "counter", Map.of("queue", "mail"), 12),
                        new AppMetrics.Sample("temperature_celsius", "gauge", Map.of(), 21.5)),
                parsed.samples());
    }

    @Test
    void holdsAtMostMaxSamples() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < PrometheusText.MAX_SAMPLES + 5; i++) {
            text.append("m{i=\"").append(i).append("\"} 1\n");
        }
        PrometheusText.Parsed parsed = PrometheusText.parse(text.toString());
        assertEquals(PrometheusText.MAX_SAMPLES, parsed.samples().size());
        assertEquals(5, parsed.skipped());
    }
}
