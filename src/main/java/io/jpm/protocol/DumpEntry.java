package io.jpm.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One app as JPM_HOME/dump.json keeps it: the options it was read from (paths resolved), the whole
 * environment it runs with, where it came from, and its running processes (so a daemon that
 * replaces a SIGKILLed one can find and stop the leftovers).
 *
 * <pre>
 * {"name":"api","source":{"script":"/srv/api.py",...},"env":{"PATH":..},
 *  "file":"/srv/ecosystem.json","env_name":"production",
 *  "processes":[{"pm_id":0,"pid":4242,"start_ticks":123456}]}
 * </pre>
 */
public record DumpEntry(String name, JsonObject source, Map<String, String> env, String file, String envName,
    List<Running> processes) {

  /** One running process: its pid is its process-group id; start_ticks from /proc (0 = unknown). */
  public record Running(int pmId, int pid, long startTicks) {
    JsonObject toJson() {
      return new JsonObject().put("pm_id", pmId).put("pid", pid).put("start_ticks", startTicks);
    }
  }

  public JsonObject toJson() {
    JsonObject envJson = new JsonObject();
    env.forEach(envJson::put);
    JsonArray running = new JsonArray();
    processes.forEach(p -> running.add(p.toJson()));
    return new JsonObject().put("name", name).put("source", source).put("env", envJson)
        .put("file", file).put("env_name", envName).put("processes", running);
  }

  public static DumpEntry fromJson(JsonObject json) {
    String name = json.getString("name");
    JsonObject source = json.getJsonObject("source");
    if (name == null || source == null) {
      throw new IllegalArgumentException("a dump entry needs a name and a source");
    }
    Map<String, String> env = new LinkedHashMap<>();
    json.getJsonObject("env", new JsonObject()).forEach(e -> env.put(e.getKey(), String.valueOf(e.getValue())));
    List<Running> running = json.getJsonArray("processes", new JsonArray()).stream()
        .map(JsonObject.class::cast)
        .map(p -> new Running(p.getInteger("pm_id", -1), p.getInteger("pid", 0), p.getLong("start_ticks", 0L)))
        .toList();
    return new DumpEntry(name, source, env, json.getString("file"), json.getString("env_name"), running);
  }

  public DumpEntry withProcesses(List<Running> now) {
    return new DumpEntry(name, source, env, file, envName, now);
  }
}
