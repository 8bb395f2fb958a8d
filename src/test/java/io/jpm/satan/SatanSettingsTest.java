package io.jpm.satan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class SatanSettingsTest {
  @Test
  void defaultsWhenAbsent() {
    assertEquals(new SatanSettings(1000, 5000, 2000, 500), SatanSettings.from(null));
    assertEquals(SatanSettings.DEFAULTS, SatanSettings.from(new JsonObject()));
  }

  @Test
  void durationsAsTextOrMilliseconds() {
    SatanSettings s = SatanSettings.from(new JsonObject().put("sample_interval", "2s").put("ping_interval", 10000)
        .put("ping_timeout", "1s").put("stall_warning", "250ms"));
    assertEquals(new SatanSettings(2000, 10000, 1000, 250), s);
  }

  @Test
  void nonsenseKeepsTheDefault() {
    SatanSettings s = SatanSettings.from(new JsonObject().put("sample_interval", "often").put("ping_interval", 1));
    assertEquals(SatanSettings.DEFAULTS, s);
  }
}
