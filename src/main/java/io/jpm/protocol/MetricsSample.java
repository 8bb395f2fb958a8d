package io.jpm.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Published on {@link Addresses#EVENTS_METRICS} every sampling period.
 *
 * <pre>{"host":"box","time":1700000000000,
 *  "processes":[{"pm_id":0,"pid":1234,"cpu":1.5,"memory":12345678}]}</pre>
 *
 * cpu is percent of one core over the last period; memory is resident bytes of the whole process
 * group.
 */
public record MetricsSample(String host, long time, List<Usage> processes) {

  /** One instance's usage. */
  public record Usage(int pmId, int pid, double cpu, long memory) {
    public JsonObject toJson() {
      return new JsonObject().put("pm_id", pmId).put("pid", pid).put("cpu", cpu).put("memory", memory);
    }

    public static Usage fromJson(JsonObject json) {
      return new Usage(json.getInteger("pm_id"), json.getInteger("pid"), json.getDouble("cpu"), json.getLong("memory"));
    }
  }

  public JsonObject toJson() {
    JsonArray array = new JsonArray();
    processes.forEach(u -> array.add(u.toJson()));
    return new JsonObject().put("host", host).put("time", time).put("processes", array);
  }

  public static MetricsSample fromJson(JsonObject json) {
    List<Usage> usages = json.getJsonArray("processes", new JsonArray()).stream()
        .map(o -> Usage.fromJson((JsonObject) o)).toList();
    return new MetricsSample(json.getString("host"), json.getLong("time"), usages);
  }
}
