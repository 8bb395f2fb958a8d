package io.jpm.protocol;

import java.util.Map;

/**
 * pm2's {@code --update-env} on {@code restart}/{@code reload}, read from the same body as the
 * {@link TargetRequest}: {@code {"update_env":true,"env":{...client env...},"env_name":"production"}}.
 * Without it an app keeps the environment it was started with (pm2's immutable env); with it, or
 * with {@code env_name}, the app is re-read with the client's environment and its declared env.
 * {@code "parallel": n} (pm2's {@code --parallel}) restarts at most n instances at a time; 0, or
 * none, restarts them all at once. {@code "listen_timeout": "20s"} (pm2's {@code --listen-timeout},
 * milliseconds or a duration) becomes the apps' listen_timeout from this restart or reload on, as
 * pm2 keeps it; null leaves it.
 */
public record RestartOptions(
        boolean updateEnv, Map<String, String> env, String envName, int parallel, String listenTimeout) {
    public static final RestartOptions KEEP_ENV = new RestartOptions(false, Map.of(), null, 0, null);

    public RestartOptions(boolean updateEnv, Map<String, String> env, String envName, int parallel) {
        this(updateEnv, env, envName, parallel, null);
    }

    public static RestartOptions from(Map<String, ?> json) {
        Fields f = Fields.of(json);
        String envName = f.string("env_name");
        boolean named = envName != null && !envName.isBlank();
        Object listenTimeout = f.get(AppOption.LISTEN_TIMEOUT.key);
        return new RestartOptions(
                f.bool("update_env", false) || named,
                f.texts("env"),
                named ? envName : null,
                Math.max(0, f.integer("parallel", 0)),
                listenTimeout == null ? null : text(listenTimeout));
    }

    /** A number as its digits (5000, not 5000.0 when a JSON client sent it as a double), else as written. */
    private static String text(Object value) {
        return value instanceof Number n && n.doubleValue() == n.longValue()
                ? Long.toString(n.longValue())
                : value.toString();
    }
}
