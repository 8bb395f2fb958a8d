package io.jpm.protocol;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One instance of a balanced app, as God tells the balancer about it: joining the rotation once
 * ready, or leaving it (draining its connections for up to {@code drain_ms}).
 *
 * <pre>{"app":"api","pm_id":3,"pid":4242,"port":41234,"listen_timeout_ms":3000,"health":false,"drain_ms":0}</pre>
 *
 * The pid identifies the instance: during a reload an app has an old and a new process side by side.
 * {@code node}, absent for this host's own instances, names the member that runs a fleet app's
 * instance reached through that member's daemon (docs/CLUSTER.md, "One port for the fleet"): its
 * {@code port} is then this host's loopback end of the way there, its {@code pid} its pid on
 * that host (the rotation keys it by node and pid: pids repeat across hosts), and its readiness is
 * its host's.
 */
public record UpstreamRequest(
        String app, int pmId, int pid, int port, long listenTimeoutMs, boolean health, long drainMs, String node) {
    /** One of this host's instances. */
    public UpstreamRequest(
            String app, int pmId, int pid, int port, long listenTimeoutMs, boolean health, long drainMs) {
        this(app, pmId, pid, port, listenTimeoutMs, health, drainMs, null);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("app", app);
        json.put("pm_id", pmId);
        json.put("pid", pid);
        json.put("port", port);
        json.put("listen_timeout_ms", listenTimeoutMs);
        json.put("health", health);
        json.put("drain_ms", drainMs);
        if (node != null) {
            json.put("node", node);
        }
        return json;
    }

    public static UpstreamRequest from(Map<String, ?> json) {
        Fields f = Fields.of(json);
        return new UpstreamRequest(
                f.string("app"),
                f.integer("pm_id", -1),
                f.integer("pid", -1),
                f.integer("port", 0),
                f.whole("listen_timeout_ms", 0L),
                f.bool("health", false),
                f.whole("drain_ms", 0L),
                f.string("node"));
    }
}
