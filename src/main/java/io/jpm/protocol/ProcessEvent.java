package io.jpm.protocol;

import io.vertx.core.json.JsonObject;

/**
 * Published on {@link Addresses#EVENTS_PROCESS} at every lifecycle transition.
 *
 * <pre>{"app":"api","pm_id":0,"pid":1234,"from":"online","to":"waiting restart",
 *  "reason":"exited with code 1","exit_code":1,"signal":null,"time":1700000000000,"host":"box"}</pre>
 *
 * {@code from} is null for a process that did not exist before; {@code pid} is null when none
 * runs; {@code signal} names the signal that ended the process when jpm knows it (e.g. SIGKILL).
 */
public record ProcessEvent(
    String app,
    int pmId,
    Integer pid,
    String from,
    String to,
    String reason,
    Integer exitCode,
    String signal,
    long time,
    String host) {

  public JsonObject toJson() {
    return new JsonObject()
        .put("app", app)
        .put("pm_id", pmId)
        .put("pid", pid)
        .put("from", from)
        .put("to", to)
        .put("reason", reason)
        .put("exit_code", exitCode)
        .put("signal", signal)
        .put("time", time)
        .put("host", host);
  }

  public static ProcessEvent fromJson(JsonObject json) {
    return new ProcessEvent(
        json.getString("app"),
        json.getInteger("pm_id"),
        json.getInteger("pid"),
        json.getString("from"),
        json.getString("to"),
        json.getString("reason"),
        json.getInteger("exit_code"),
        json.getString("signal"),
        json.getLong("time"),
        json.getString("host"));
  }
}
