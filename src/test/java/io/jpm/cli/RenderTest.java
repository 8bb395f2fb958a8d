package io.jpm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RenderTest {

  @Test
  void durationInPm2Words() {
    assertEquals("0s", Render.duration(0));
    assertEquals("0s", Render.duration(999));
    assertEquals("45s", Render.duration(45_000));
    assertEquals("59s", Render.duration(59_999));
    assertEquals("1m", Render.duration(60_000));
    assertEquals("12m", Render.duration(12 * 60_000 + 30_000));
    assertEquals("3h", Render.duration(3 * 3_600_000 + 59 * 60_000));
    assertEquals("1D", Render.duration(86_400_000));
    assertEquals("2D", Render.duration(2 * 86_400_000L + 5));
  }

  @Test
  void negativeDurationIsZero() {
    assertEquals("0s", Render.duration(-5_000));
  }

  @Test
  void bytes() {
    assertEquals("0b", Render.bytes(0));
    assertEquals("1023b", Render.bytes(1023));
    assertEquals("1.0kb", Render.bytes(1024));
    assertEquals("1.5kb", Render.bytes(1536));
    assertEquals("1.0mb", Render.bytes(1024 * 1024));
    assertEquals("42.3mb", Render.bytes((long) (42.3 * 1024 * 1024)));
    assertEquals("2.0gb", Render.bytes(2L * 1024 * 1024 * 1024));
  }

  @Test
  void boxWithHeader() {
    String box = Render.box(List.of("id", "name"), List.of(List.of("0", "api"), List.of("10", "worker")));
    assertEquals(String.join("\n",
        "┌────┬────────┐",
        "│ id │ name   │",
        "├────┼────────┤",
        "│ 0  │ api    │",
        "│ 10 │ worker │",
        "└────┴────────┘",
        ""), box);
  }

  @Test
  void boxWithoutHeaderIsAKeyValueTable() {
    String box = Render.box(null, List.of(List.of("status", "online"), List.of("pid", "42")));
    assertEquals(String.join("\n",
        "┌────────┬────────┐",
        "│ status │ online │",
        "│ pid    │ 42     │",
        "└────────┴────────┘",
        ""), box);
  }

  @Test
  void everyLineOfABoxHasTheSameWidth() {
    String box = Render.box(Render.COLUMNS, List.of(
        List.of("0", "a-very-long-application-name", "fork", "1234", "3h", "12", "online", "0%", "42.3mb")));
    List<String> lines = box.lines().toList();
    assertEquals(5, lines.size());
    for (String line : lines) {
      assertEquals(lines.get(0).length(), line.length(), line);
    }
    assertTrue(lines.get(1).contains("↺"), lines.get(1));
  }
}
