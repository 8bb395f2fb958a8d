package io.jpm.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Names the processes a command acts on, as pm2 does: an id, a name, {@code all}, a
 * {@code /regex/} over names, or an ecosystem file (its apps' names), several at once.
 *
 * <pre>{"targets":["api","3","/^worker-/"], "cwd":"/where/the/cli/ran"}</pre>
 */
public record TargetRequest(List<String> targets, String cwd) {
  public JsonObject toJson() {
    return new JsonObject().put("targets", new JsonArray(List.copyOf(targets))).put("cwd", cwd);
  }

  public static TargetRequest fromJson(JsonObject json) {
    JsonArray array = json.getJsonArray("targets", new JsonArray());
    List<String> targets = array.stream().map(String::valueOf).toList();
    if (targets.isEmpty()) {
      throw new JpmException(JpmError.INVALID_ARGUMENT, "no process named: give an id, a name or all");
    }
    return new TargetRequest(targets, json.getString("cwd", System.getProperty("user.dir")));
  }
}
