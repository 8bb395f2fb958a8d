package io.jpm.protocol;

import java.util.LinkedHashMap;
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
public record RunFacts(
        int pmId,
        String app,
        Integer pid,
        String status,
        String cwd,
        Map<String, String> env,
        Integer port,
        Map<String, Object> watchdog) {

    public Map<String, Object> toMap() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("pm_id", pmId);
        json.put("app", app);
        json.put("pid", pid);
        json.put("status", status);
        json.put("cwd", cwd);
        json.put("env", env);
        json.put("port", port);
        json.put("watchdog", watchdog);
        return json;
    }

    public static RunFacts from(Map<String, ?> json) {
        Fields f = Fields.of(json);
        return new RunFacts(
                f.integer("pm_id", -1),
                f.string("app"),
                f.integer("pid"),
                f.string("status"),
                f.string("cwd", "/"),
                f.texts("env"),
                f.integer("port"),
                f.object("watchdog").asMap());
    }
}
