package io.jpm.cli.render;

import io.jpm.cli.transport.Json;
import java.util.ArrayList;
import java.util.List;

/** describe's rows for a balanced app: the proxy's counters, or socket mode's sockets and connections. */
final class BalancerRows {
  private BalancerRows() {}

  static List<List<String>> of(Json.Value b) {
    List<List<String>> rows = new ArrayList<>();
    if ("socket".equals(b.path("balance").asText())) {
      List<String> sockets = new ArrayList<>();
      for (Json.Value s : b.path("sockets")) {
        sockets.add(s.asText());
      }
      rows.add(List.of("balancer", "socket (shared by the instances)" + (b.path("public_port").isNull() ? ""
          : ", port " + b.path("public_port").asText())));
      rows.add(List.of("shared sockets", sockets.isEmpty() ? "none open yet" : String.join(", ", sockets)));
      List<String> others = new ArrayList<>();
      for (Json.Value app : b.path("shared_with")) {
        others.add(app.asText());
      }
      if (!others.isEmpty()) {
        rows.add(List.of("shared with apps", String.join(", ", others)));
      }
      if (b.has("connections")) {
        rows.add(List.of("connections", b.path("connections").asText() + " open on this instance"));
      }
      return rows;
    }
    rows.add(List.of("balancer", b.path("balance").asText() + " on " + b.path("public_host").asText() + ":"
        + b.path("public_port").asText() + (b.path("private_port").isNull() ? "" : " -> " + b.path("private_port").asText())));
    rows.add(List.of("rotation", b.path("state").asText()));
    rows.add(List.of("connections", b.path("connections").asText() + " open, " + b.path("served").asText() + " served, "
        + b.path("per_minute").asText("0") + " in the last minute" + ("http".equals(b.path("balance").asText()) ? " (requests)" : "")));
    rows.add(List.of("bytes in / out", Render.bytes(b.path("bytes_in").asLong()) + " / " + Render.bytes(b.path("bytes_out").asLong())));
    return rows;
  }
}
