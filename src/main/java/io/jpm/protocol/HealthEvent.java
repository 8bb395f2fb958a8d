package io.jpm.protocol;

import io.vertx.core.json.JsonObject;

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

  public JsonObject toJson() {
    return new JsonObject().put("app", app).put("pm_id", pmId).put("pid", pid).put("status", status)
        .put("reason", reason).put("time", time).put("host", host);
  }

  public static HealthEvent fromJson(JsonObject json) {
    return new HealthEvent(json.getString("app"), json.getInteger("pm_id"), json.getInteger("pid", 0),
        json.getString("status"), json.getString("reason"), json.getLong("time", 0L), json.getString("host"));
  }
}
