package io.jpm.protocol;

import io.vertx.core.json.JsonObject;

/**
 * One instance of a balanced app, as God tells the balancer about it: joining the rotation once
 * ready, or leaving it (draining its connections for up to {@code drain_ms}).
 *
 * <pre>{"app":"api","pm_id":3,"pid":4242,"port":41234,"listen_timeout_ms":3000,"health":false,"drain_ms":0}</pre>
 *
 * The pid identifies the instance: during a reload an app has an old and a new process side by side.
 */
public record UpstreamRequest(String app, int pmId, int pid, int port, long listenTimeoutMs, boolean health,
    long drainMs) {
  public JsonObject toJson() {
    return new JsonObject().put("app", app).put("pm_id", pmId).put("pid", pid).put("port", port)
        .put("listen_timeout_ms", listenTimeoutMs).put("health", health).put("drain_ms", drainMs);
  }

  public static UpstreamRequest fromJson(JsonObject json) {
    return new UpstreamRequest(json.getString("app"), json.getInteger("pm_id", -1), json.getInteger("pid", -1),
        json.getInteger("port", 0), json.getLong("listen_timeout_ms", 0L), json.getBoolean("health", false),
        json.getLong("drain_ms", 0L));
  }
}
