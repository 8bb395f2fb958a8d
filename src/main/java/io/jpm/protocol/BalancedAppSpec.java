package io.jpm.protocol;

import io.vertx.core.json.JsonObject;

/**
 * God asks the balancer to own an app's public port.
 *
 * <pre>{"app":"api","host":"127.0.0.1","port":8080,"balance":"round-robin"}</pre>
 */
public record BalancedAppSpec(String app, String host, int port, String balance) {
  public JsonObject toJson() {
    return new JsonObject().put("app", app).put("host", host).put("port", port).put("balance", balance);
  }

  public static BalancedAppSpec fromJson(JsonObject json) {
    return new BalancedAppSpec(json.getString("app"), json.getString("host"), json.getInteger("port"),
        json.getString("balance"));
  }
}
