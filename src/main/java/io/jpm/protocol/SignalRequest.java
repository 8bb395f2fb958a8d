package io.jpm.protocol;

import io.vertx.core.json.JsonObject;

/**
 * {@code jpm sendSignal SIGUSR2 api}: a signal name or number, delivered to each target's process
 * group. <pre>{"signal":"SIGUSR2","target":{"targets":["api"],"cwd":"/"}}</pre>
 */
public record SignalRequest(String signal, TargetRequest target) {
  public JsonObject toJson() {
    return new JsonObject().put("signal", signal).put("target", target.toJson());
  }

  public static SignalRequest fromJson(JsonObject json) {
    String signal = json.getString("signal");
    if (signal == null || signal.isBlank()) {
      throw new JpmException(JpmError.INVALID_ARGUMENT, "sendSignal needs a signal, e.g. SIGUSR2");
    }
    return new SignalRequest(signal, TargetRequest.fromJson(json.getJsonObject("target", new JsonObject())));
  }
}
