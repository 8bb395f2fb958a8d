package io.jpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MonitModelTest {
  private static Json.Value json(String text) {
    try {
      return Json.parse(text.getBytes(StandardCharsets.UTF_8));
    } catch (java.io.IOException e) {
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
    assertEquals("a", model.selectedProcess().path("name").asText());
    model.move(1);
    assertEquals("b", model.selectedProcess().path("name").asText());
    model.move(1);
    assertEquals("a", model.selectedProcess().path("name").asText());
    model.move(-1);
    assertEquals(1, model.selectedIndex());
  }

  @Test
  void metricsUpdateFiguresAndProcessEventsMakeTheListStale() {
    MonitModel model = withTwo();
    assertFalse(model.takeStale());
    model.onEvent(json("{\"address\":\"jpm.events.metrics\",\"body\":{\"processes\":[{\"pm_id\":1,\"pid\":11,\"cpu\":12.5,\"memory\":2048}]}}"));
    double[] usage = model.usage(model.processes().get(1));
    assertEquals(12.5, usage[0]);
    assertEquals(2048, (long) usage[1]);
    model.onEvent(json("{\"address\":\"jpm.events.process\",\"body\":{\"pm_id\":0}}"));
    assertTrue(model.takeStale());
    assertFalse(model.takeStale());
  }

  @Test
  void logLinesInEveryShapeAreKeptPerProcess() {
    MonitModel model = withTwo();
    model.onEvent(json("{\"address\":\"jpm.events.log\",\"body\":{\"pm_id\":0,\"stream\":\"stdout\",\"line\":\"one\"}}"));
    model.onEvent(json("{\"address\":\"jpm.events.log\",\"body\":[{\"pm_id\":0,\"stream\":\"stderr\",\"line\":\"two\"}]}"));
    model.onEvent(json("{\"address\":\"jpm.events.log\",\"body\":{\"pm_id\":1,\"stream\":\"stdout\",\"lines\":[\"x\",\"y\"]}}"));
    model.onEvent(json("{\"address\":\"jpm.events.log\",\"body\":{\"host\":\"box\",\"lines\":[{\"app\":\"a\",\"pm_id\":0,"
        + "\"stream\":\"err\",\"line\":\"three\",\"time\":1}]}}"));
    assertEquals(List.of("one", "! two", "! three"), model.logs(0));
    assertEquals(List.of("x", "y"), model.logs(1));
    for (int i = 0; i < MonitModel.LOG_LINES + 5; i++) {
      model.onEvent(json("{\"address\":\"jpm.events.log\",\"body\":{\"pm_id\":1,\"line\":\"l" + i + "\"}}"));
    }
    assertEquals(MonitModel.LOG_LINES, model.logs(1).size());
  }
}
