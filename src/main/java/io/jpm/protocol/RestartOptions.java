package io.jpm.protocol;

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

  public static RestartOptions from(Map<String, ?> json) {
    Fields f = Fields.of(json);
    String envName = f.string("env_name");
    boolean named = envName != null && !envName.isBlank();
    return new RestartOptions(f.bool("update_env", false) || named, f.texts("env"), named ? envName : null,
        Math.max(0, f.integer("parallel", 0)));
  }
}
