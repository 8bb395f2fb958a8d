package io.jpm.protocol;

import io.vertx.core.json.JsonObject;

/**
 * Published on {@link Addresses#EVENTS_PROCESS} at every lifecycle transition.
 *
 * <pre>{"app":"api","pm_id":0,"pid":1234,"from":"online","to":"waiting restart",
 *  "reason":"exited with code 1","exit_code":1,"signal":null,"time":1700000000000,"host":"box","old_run":false}</pre>
 *
 * {@code from} is null for a process that did not exist before; {@code pid} is null when none
 * runs; {@code signal} names the signal that ended the process when jpm knows it (e.g. SIGKILL).
 * {@code old_run} is true on the events of a run a rolling reload is replacing (pm2's
 * {@code _old_<pm_id>}): the pm_id already belongs to the new run, so a subscriber that keeps state
 * by pm_id leaves these out (docs/PROTOCOL.md, "Reload").
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
    String host,
    boolean oldRun) {
  /** The {@code to} of the event that ends an instance's life: it left the process table. */
  public static final String DELETED = "deleted";

  public ProcessEvent(String app, int pmId, Integer pid, String from, String to, String reason, Integer exitCode,
      String signal, long time, String host) {
    this(app, pmId, pid, from, to, reason, exitCode, signal, time, host, false);
  }

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
        .put("host", host)
        .put("old_run", oldRun);
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
        json.getString("host"),
        json.getBoolean("old_run", false));
  }
}
