package io.jpm.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * God asks the balancer to own an app's public port.
 *
 * <pre>{"app":"api","host":"127.0.0.1","port":8080,"balance":"round-robin","listen_timeout_ms":3000,"proxy_protocol":false,"prefer":"local","sticky":"ip"}</pre>
 *
 * {@code listen_timeout_ms} also bounds how long a client waits when no instance is ready;
 * {@code proxy_protocol} (TCP modes) sends a PROXY protocol v2 header to the instance first;
 * {@code prefer} ({@code "local"}) and {@code sticky} ({@code "ip"}), absent when
 * not set, are the app's options of those names (docs/CONFIG.md).
 */
public record BalancedAppSpec(
        String app,
        String host,
        int port,
        String balance,
        long listenTimeoutMs,
        boolean proxyProtocol,
        String prefer,
        String sticky) {
    public BalancedAppSpec(
            String app, String host, int port, String balance, long listenTimeoutMs, boolean proxyProtocol) {
        this(app, host, port, balance, listenTimeoutMs, proxyProtocol, null, null);
    }

    /** pm2's default listen_timeout, for a spec that does not carry one. */
    public static final long DEFAULT_LISTEN_TIMEOUT_MS = AppOption.LISTEN_TIMEOUT.longDefault();

    public Map<String, Object> toMap() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("app", app);
        json.put("host", host);
        json.put("port", port);
        json.put("balance", balance);
        json.put("listen_timeout_ms", listenTimeoutMs);
        json.put("proxy_protocol", proxyProtocol);
        if (prefer != null) {
            json.put("prefer", prefer);
        }
        if (sticky != null) {
            json.put("sticky", sticky);
        }
        return json;
    }

    public static BalancedAppSpec from(Map<String, ?> json) {
        Fields f = Fields.of(json);
        return new BalancedAppSpec(
                f.string("app"),
                f.string("host"),
                f.integer("port", 0),
                f.string("balance"),
                f.whole("listen_timeout_ms", DEFAULT_LISTEN_TIMEOUT_MS),
                f.bool("proxy_protocol", AppOption.PROXY_PROTOCOL.booleanDefault()),
                f.string("prefer"),
                f.string("sticky"));
    }
}
