package io.jpm.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.cli.transport.Json;
import io.jpm.protocol.LogLine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MonitModelTest {
    private static Json.Value json(String text) {
        try {
            return Json.parse(text.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static MonitModel withTwo() {
        MonitModel model = new MonitModel();
        model.setProcesses(json("[{\"pm_id\":0,\"name\":\"a\",\"pid\":10,\"monit\":{\"cpu\":0,\"memory\":0}},"
                + "{\"pm_id\":1,\"name\":\"b\",\"pid\":11,\"monit\":{\"cpu\":0,\"memory\":0}}]"));
        return model;
    }

    @Test
    void selectionWrapsAround() {
        MonitModel model = withTwo();
        assertEquals("a", model.selectedProcess().name());
        model.move(1);
        assertEquals("b", model.selectedProcess().name());
        model.move(1);
        assertEquals("a", model.selectedProcess().name());
        model.move(-1);
        assertEquals(1, model.selectedIndex());
    }

    @Test
    void metricsUpdateFiguresAndProcessEventsMakeTheListStale() {
        MonitModel model = withTwo();
        assertFalse(model.takeStale());
        model.onEvent(
                json(
                        "{\"address\":\"jpm.events.metrics\",\"body\":{\"processes\":[{\"pm_id\":1,\"pid\":11,\"cpu\":12.5,\"memory\":2048}]}}"));
        double[] usage = model.usage(model.processes().get(1));
        assertEquals(12.5, usage[0]);
        assertEquals(2048, (long) usage[1]);
        model.onEvent(json("{\"address\":\"jpm.events.process\",\"body\":{\"pm_id\":0}}"));
        assertTrue(model.takeStale());
        assertFalse(model.takeStale());
    }

    /** A batch on jpm.events.log, as the LogAggregator publishes it ({@link io.jpm.protocol.LogLine}). */
    private static Json.Value batch(LogLine... lines) throws Exception {
        List<Object> list = new ArrayList<>();
        for (LogLine line : lines) {
            list.add(line.toMap());
        }
        return json(
                "{\"address\":\"jpm.events.log\",\"body\":" + Json.pretty(Map.of("host", "box", "lines", list)) + "}");
    }

    @Test
    void logLinesAreKeptPerProcess() throws Exception {
        MonitModel model = withTwo();
        model.onEvent(batch(
                new LogLine("a", 0, "out", "one", 1),
                new LogLine("a", 0, "err", "two", 2),
                new LogLine("b", 1, "out", "x", 3)));
        model.onEvent(batch(new LogLine("b", 1, "out", "y", 4), new LogLine("a", 0, "err", "three", 5)));
        assertEquals(List.of("one", "! two", "! three"), model.logs(0));
        assertEquals(List.of("x", "y"), model.logs(1));
        for (int i = 0; i < MonitModel.LOG_LINES + 5; i++) {
            model.onEvent(batch(new LogLine("b", 1, "out", "l" + i, i)));
        }
        assertEquals(MonitModel.LOG_LINES, model.logs(1).size());
    }
}
