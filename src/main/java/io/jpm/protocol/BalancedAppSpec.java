package io.jpm.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * God asks the balancer to own an app's public port.
 *
 * <pre>{"app":"api","host":"127.0.0.1","port":8080,"balance":"round-robin"}</pre>
 */
public record BalancedAppSpec(String app, String host, int port, String balance) {
  public Map<String, Object> toMap() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("app", app);
    json.put("host", host);
    json.put("port", port);
    json.put("balance", balance);
    return json;
  }

  public static BalancedAppSpec from(Map<String, ?> json) {
    Fields f = Fields.of(json);
    return new BalancedAppSpec(f.string("app"), f.string("host"), f.integer("port", 0), f.string("balance"));
  }
}
