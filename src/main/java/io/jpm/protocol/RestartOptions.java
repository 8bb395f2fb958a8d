package io.jpm.protocol;

import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * pm2's {@code --update-env} on {@code restart}/{@code reload}, read from the same body as the
 * {@link TargetRequest}: {@code {"update_env":true,"env":{...client env...},"env_name":"production"}}.
 * Without it an app keeps the environment it was started with (pm2's immutable env); with it, or
 * with {@code env_name}, the app is re-read with the client's environment and its declared env.
 * {@code "parallel": n} (pm2's {@code --parallel}) restarts at most n instances at a time; 0, or
 * none, restarts them all at once.
 */
public record RestartOptions(boolean updateEnv, Map<String, String> env, String envName, int parallel) {
  public static final RestartOptions KEEP_ENV = new RestartOptions(false, Map.of(), null, 0);

  public static RestartOptions fromJson(JsonObject json) {
    String envName = json.getString("env_name");
    boolean update = json.getBoolean("update_env", false) || (envName != null && !envName.isBlank());
    Map<String, String> env = new LinkedHashMap<>();
    json.getJsonObject("env", new JsonObject()).forEach(e -> env.put(e.getKey(), String.valueOf(e.getValue())));
    return new RestartOptions(update, env, envName == null || envName.isBlank() ? null : envName,
        Math.max(0, json.getInteger("parallel", 0)));
  }
}
