package io.jpm.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Published on {@link Addresses#EVENTS_HEALTH} by Satan when an instance's probe verdict changes.
 *
 * <pre>{"app":"api","pm_id":0,"pid":1234,"status":"unhealthy",
 *  "reason":"http /healthz: timed out after 1000 ms (3 in a row)","time":1700000000000,"host":"box"}</pre>
 *
 * The first verdict of a run is always published, so a balancer can hold an instance out of
 * rotation until its first {@code healthy}.
 */
public record HealthEvent(String app, int pmId, int pid, String status, String reason, long time, String host) {
    public static final String HEALTHY = "healthy";
    public static final String UNHEALTHY = "unhealthy";

    public Map<String, Object> toMap() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("app", app);
        json.put("pm_id", pmId);
        json.put("pid", pid);
        json.put("status", status);
        json.put("reason", reason);
        json.put("time", time);
        json.put("host", host);
        return json;
    }

    public static HealthEvent from(Map<String, ?> json) {
        Fields f = Fields.of(json);
        return new HealthEvent(
                f.string("app"),
                f.integer("pm_id", -1),
                f.integer("pid", 0),
                f.string("status"),
                f.string("reason"),
                f.whole("time", 0L),
                f.string("host"));
    }
}
