package io.jpm.protocol;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * {@code jpm start}: either a script with its options in pm2's names, or an ecosystem file.
 *
 * <pre>
 * {"apps":[{"script":"worker.py","name":"w","instances":2,"args":["--queue","jobs"]}],
 *  "file":null, "cwd":"/where/the/cli/ran", "env":{...client env...}, "force":false,
 *  "only":["api"], "env_name":"production"}
 * </pre>
 *
 * {@code env_name} merges each app's {@code env_<name>} over its {@code env} ({@code --env}).
 * {@code action} is what a file's apps that already run go through: {@code "restart"} (start,
 * startOrRestart, restart of a file) or {@code "reload"} (startOrReload, reload of a file); either
 * way they take the file's options and env as it reads now, and the apps that do not run start;
 * {@code parallel} (pm2's --parallel) restarts at most that many of them at a time (0: all at once).
 * With {@code file} set, {@code apps} is ignored and the daemon reads the file itself. Options
 * are validated by the daemon, once, into typed app configs.
 */
public record StartRequest(
    JsonArray apps, String file, String cwd, Map<String, String> env, boolean force, JsonArray only,
    String envName, String action, int parallel) {
  public static final String RESTART = "restart";
  public static final String RELOAD = "reload";


  public JsonObject toJson() {
    return new JsonObject()
        .put("apps", apps)
        .put("file", file)
        .put("cwd", cwd)
        .put("env", new JsonObject(Map.copyOf(env).entrySet().stream()
            .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> (Object) e.getValue()))))
        .put("force", force)
        .put("only", only)
        .put("env_name", envName)
        .put("action", action)
        .put("parallel", parallel);
  }

  public static StartRequest fromJson(JsonObject json) {
    String cwd = json.getString("cwd");
    if (cwd == null) {
      throw new JpmException(JpmError.INVALID_ARGUMENT, "start request has no cwd");
    }
    JsonObject env = json.getJsonObject("env", new JsonObject());
    Map<String, String> envMap = new java.util.LinkedHashMap<>();
    env.forEach(e -> envMap.put(e.getKey(), String.valueOf(e.getValue())));
    return new StartRequest(
        json.getJsonArray("apps", new JsonArray()),
        json.getString("file"),
        cwd,
        envMap,
        json.getBoolean("force", false),
        json.getJsonArray("only", new JsonArray()),
        json.getString("env_name"),
        action(json.getString("action", RESTART)),
        Math.max(0, json.getInteger("parallel", 0)));
  }

  private static String action(String action) {
    if (!RESTART.equals(action) && !RELOAD.equals(action)) {
      throw new JpmException(JpmError.INVALID_ARGUMENT, "start: action must be restart or reload, got '" + action + "'");
    }
    return action;
  }
}
