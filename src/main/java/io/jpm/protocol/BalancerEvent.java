package io.jpm.protocol;

import io.vertx.core.json.JsonObject;

/**
 * Published on {@link Addresses#EVENTS_BALANCER} when the balancer's view of an app changes.
 *
 * <pre>{"app":"api","event":"ready","pm_id":3,"pid":4242,"port":41234,"detail":"in rotation (2 ready)",
 *  "time":1700000000000,"host":"box"}</pre>
 *
 * {@code event} is one of {@code listening} (public port open; pm_id/pid null, port public),
 * {@code closed}, {@code ready} (an instance joined the rotation), {@code not_ready} (it did not
 * accept within listen_timeout), {@code out} (left the rotation), {@code draining}, {@code drained},
 * {@code retry} (a connection to an instance failed before any byte and goes to another),
 * {@code no_instance} (a client waited for a ready instance in vain and was closed).
 */
public record BalancerEvent(String app, String event, Integer pmId, Integer pid, Integer port, String detail,
    long time, String host) {
  public JsonObject toJson() {
    return new JsonObject().put("app", app).put("event", event).put("pm_id", pmId).put("pid", pid)
        .put("port", port).put("detail", detail).put("time", time).put("host", host);
  }

  public static BalancerEvent fromJson(JsonObject json) {
    return new BalancerEvent(json.getString("app"), json.getString("event"), json.getInteger("pm_id"),
        json.getInteger("pid"), json.getInteger("port"), json.getString("detail"), json.getLong("time", 0L),
        json.getString("host"));
  }
}
