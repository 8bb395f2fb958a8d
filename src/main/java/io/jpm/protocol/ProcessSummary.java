package io.jpm.protocol;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a command on processes replies, one per instance it acted on (start, stop, restart, reload,
 * delete, reset, scale, sendSignal, send): {@code {"pm_id":0,"name":"api","status":"online","pid":1234}};
 * {@code pid} is null when none runs.
 */
public record ProcessSummary(int pmId, String name, String status, Integer pid) {
  public Map<String, Object> toMap() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("pm_id", pmId);
    json.put("name", name);
    json.put("status", status);
    json.put("pid", pid);
    return json;
  }

  public static ProcessSummary from(Map<String, ?> json) {
    Fields f = Fields.of(json);
    return new ProcessSummary(f.integer("pm_id", -1), f.string("name"), f.string("status"), f.integer("pid"));
  }

  /** A reply's data: an array of summaries. */
  @SuppressWarnings("unchecked")
  public static List<ProcessSummary> listFrom(List<?> data) {
    return data.stream().filter(Map.class::isInstance).map(o -> from((Map<String, ?>) o)).toList();
  }
}
