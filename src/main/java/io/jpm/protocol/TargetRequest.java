package io.jpm.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names the processes a command acts on, as pm2 does: an id, a name, {@code all}, a
 * {@code /regex/} over names, a script path, or an ecosystem file (its apps' names), several at once.
 *
 * <pre>{"targets":["api","3","/^worker-/"], "cwd":"/where/the/cli/ran", "env":{...}}</pre>
 *
 * {@code env} is the client's environment, sent when a target is an ecosystem file: a JavaScript
 * file may name its apps from {@code process.env}.
 */
public record TargetRequest(List<String> targets, String cwd, Map<String, String> env) {
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("targets", new JsonArray(List.copyOf(targets))).put("cwd", cwd);
    if (!env.isEmpty()) {
      JsonObject e = new JsonObject();
      env.forEach(e::put);
      json.put("env", e);
    }
    return json;
  }

  public static TargetRequest fromJson(JsonObject json) {
    JsonArray array = json.getJsonArray("targets", new JsonArray());
    List<String> targets = array.stream().map(String::valueOf).toList();
    if (targets.isEmpty()) {
      throw new JpmException(JpmError.INVALID_ARGUMENT, "no process named: give an id, a name or all");
    }
    Map<String, String> env = new LinkedHashMap<>();
    // a describe query's "env" is its with-environment flag (a boolean), not an environment
    if (json.getValue("env") instanceof JsonObject given) {
      given.forEach(e -> env.put(e.getKey(), String.valueOf(e.getValue())));
    }
    return new TargetRequest(targets, json.getString("cwd", System.getProperty("user.dir")), env);
  }
}
