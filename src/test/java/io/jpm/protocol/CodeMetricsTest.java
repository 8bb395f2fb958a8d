package io.jpm.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A Node app's code metrics as pm2's describe writes them, and their values as numbers. */
class CodeMetricsTest {
    private static Map<String, Object> metric(String unit, String type, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("historic", true);
        if (unit != null) {
            m.put("unit", unit);
        }
        m.put("type", type);
        m.put("value", value);
        return m;
    }

    @Test
    void eachLineIsTheValueAndItsUnitAsPm2DescribeWritesIt() {
        Map<String, Object> monitor = new LinkedHashMap<>();
        monitor.put("Heap Size", metric("MiB", "internal/v8/heap/total", "6.98"));
        monitor.put("HTTP", metric("req/min", "internal/http/builtin/reqs", 2.94));
        monitor.put("HTTP Mean Latency", metric("ms", "internal/http/builtin/latency/p50", 0.0));
        monitor.put("Active handles", metric(null, "internal/libuv/handles", 3));
        monitor.put("pmx", 12);
        CodeMetrics reported = new CodeMetrics(monitor, List.of(), Map.of());
        assertEquals(
                List.of(
                        new CodeMetrics.Line("Heap Size", "6.98 MiB"),
                        new CodeMetrics.Line("HTTP", "2.94 req/min"),
                        new CodeMetrics.Line("HTTP Mean Latency", "0 ms"),
                        new CodeMetrics.Line("Active handles", "3"),
                        new CodeMetrics.Line("pmx", "12")),
                reported.lines());
        assertEquals(6.98, reported.valueOf("internal/v8/heap/total"));
        assertEquals(3.0, reported.valueOf("internal/libuv/handles"));
        assertNull(reported.valueOf("internal/libuv/requests"));
    }

    @Test
    void aValueIsANumberOrANumberInAString() {
        assertEquals(1.5, CodeMetrics.number("1.50"));
        assertEquals(2.0, CodeMetrics.number(2));
        assertNull(CodeMetrics.number("sunny"));
        assertNull(CodeMetrics.number("NaN"));
        assertNull(CodeMetrics.number(true));
    }

    @Test
    void theActionsAreNamedInTheAppsOrderAndARowReadsBackWhole() {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("axm_monitor", Map.of("Heap Size", metric("MiB", "internal/v8/heap/total", "6.98")));
        env.put("axm_actions", List.of(Map.of("action_name", "b"), Map.of("action_name", "a"), Map.of("x", 1)));
        env.put("axm_options", Map.of("error", true));
        CodeMetrics read = CodeMetrics.from(Fields.of(env));
        assertEquals(List.of("b", "a"), read.actionNames());
        assertEquals(Map.of("error", true), read.options());
        assertEquals(CodeMetrics.NONE, CodeMetrics.from(Fields.of(Map.of())));
    }
}
