package io.jpm.protocol;

import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * God's reply on {@link Addresses#INTERNAL_GOD_RUN}: what Satan's rules need of one instance's
 * current run, so Satan never reads God's public, pm2-shaped description.
 *
 * <pre>{"pm_id":0,"app":"api","pid":1234,"status":"online","cwd":"/srv/api","env":{"NODE_ENV":"production"},
 *  "port":3000,"watchdog":{see config.WatchdogOptions#toJson}}</pre>
 *
 * {@code env} is the app's own environment (what an exec probe runs with); {@code port} is the
 * PORT the run was given (a balanced run's private port, increment_var's number, or the app's
 * env), null when it has none; {@code pid} is null when no process runs.
 */
public record RunFacts(int pmId, String app, Integer pid, String status, String cwd, Map<String, String> env,
    Integer port, JsonObject watchdog) {

  public JsonObject toJson() {
    JsonObject envJson = new JsonObject();
    env.forEach(envJson::put);
    return new JsonObject().put("pm_id", pmId).put("app", app).put("pid", pid).put("status", status)
        .put("cwd", cwd).put("env", envJson).put("port", port).put("watchdog", watchdog);
  }

  public static RunFacts fromJson(JsonObject json) {
    Map<String, String> env = new HashMap<>();
    json.getJsonObject("env", new JsonObject()).forEach(e -> env.put(e.getKey(), String.valueOf(e.getValue())));
    return new RunFacts(json.getInteger("pm_id"), json.getString("app"), json.getInteger("pid"),
        json.getString("status"), json.getString("cwd", "/"), env, json.getInteger("port"),
        json.getJsonObject("watchdog", new JsonObject()));
  }
}
