package io.jpm.protocol;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code jpm stop|restart|reload|delete|reset <targets>}: the {@link TargetRequest}, with
 * {@link RestartOptions} for restart and reload, pm2's watch switch, and the app options given on
 * the command line.
 *
 * <pre>{"targets":["api"],"cwd":"/srv","env":{..},"update_env":true,"env_name":"production","parallel":2,
 *  "watch_toggle":true,"listen_timeout":"20s","options":{"interpreter_args":"--max-old-space-size=100","cron_restart":"0 3 * * *"}}</pre>
 *
 * {@code watch_toggle} ({@code restart --watch}) turns an app's watching on or off, as pm2's does;
 * {@code watch_off} ({@code stop --watch}) turns it off. {@code listen_timeout} ({@code restart|reload
 * --listen-timeout}) is the apps' listen_timeout from now on (see {@link RestartOptions}).
 * {@code options} (restart and reload: pm2's other start flags, by its ecosystem option names)
 * change each target app's options from its next run on, as pm2 merges them into the app's
 * settings; none or {} changes nothing.
 */
public record ActionRequest(
        TargetRequest target,
        boolean updateEnv,
        String envName,
        int parallel,
        Watch watch,
        String listenTimeout,
        Map<String, Object> options) {
    /** What a verb's {@code --watch} does to the apps' watching. */
    public enum Watch {
        KEEP,
        TOGGLE,
        OFF
    }

    public ActionRequest {
        options = options == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /** The targets only, nothing else changed. */
    public static ActionRequest of(TargetRequest target) {
        return new ActionRequest(target, false, null, 0, Watch.KEEP);
    }

    public ActionRequest(TargetRequest target, boolean updateEnv, String envName, int parallel, Watch watch) {
        this(target, updateEnv, envName, parallel, watch, null, Map.of());
    }

    public RestartOptions restartOptions() {
        return RestartOptions.from(toMap());
    }

    public Map<String, Object> toMap() {
        Map<String, Object> json = target.toMap();
        if (updateEnv || envName != null) {
            json.put("update_env", true);
            json.put("env_name", envName);
        }
        if (parallel > 0) {
            json.put("parallel", parallel);
        }
        if (watch == Watch.TOGGLE) {
            json.put("watch_toggle", true);
        } else if (watch == Watch.OFF) {
            json.put("watch_off", true);
        }
        if (listenTimeout != null) {
            json.put(AppOption.LISTEN_TIMEOUT.key, listenTimeout);
        }
        if (!options.isEmpty()) {
            json.put("options", options);
        }
        return json;
    }

    public static ActionRequest from(Map<String, ?> json) {
        Fields f = Fields.of(json);
        Watch watch =
                f.bool("watch_off", false) ? Watch.OFF : f.bool("watch_toggle", false) ? Watch.TOGGLE : Watch.KEEP;
        RestartOptions options = RestartOptions.from(json);
        return new ActionRequest(
                TargetRequest.from(json),
                options.updateEnv(),
                options.envName(),
                options.parallel(),
                watch,
                options.listenTimeout(),
                f.object("options").asMap());
    }
}
