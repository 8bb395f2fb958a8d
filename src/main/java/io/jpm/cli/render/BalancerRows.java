package io.jpm.cli.render;

import io.jpm.protocol.ProcessViewBalancer;
import java.util.ArrayList;
import java.util.List;

/** describe's rows for a balanced app: the proxy's counters, or socket mode's sockets and connections. */
final class BalancerRows {
    private BalancerRows() {}

    static List<List<String>> of(ProcessViewBalancer balancer) {
        List<List<String>> rows = new ArrayList<>();
        if (balancer instanceof ProcessViewBalancer.Socket b) {
            rows.add(List.of(
                    "balancer",
                    "socket (shared by the instances)" + (b.publicPort() == null ? "" : ", port " + b.publicPort())));
            rows.add(List.of(
                    "shared sockets", b.sockets().isEmpty() ? "none open yet" : String.join(", ", b.sockets())));
            if (!b.sharedWith().isEmpty()) {
                rows.add(List.of("shared with apps", String.join(", ", b.sharedWith())));
            }
            if (b.connections() != null) {
                rows.add(List.of("connections", b.connections() + " open on this instance"));
            }
            return rows;
        }
        ProcessViewBalancer.Proxy b = (ProcessViewBalancer.Proxy) balancer;
        rows.add(List.of(
                "balancer",
                Render.text(b.balance()) + " on " + Render.text(b.publicHost()) + ":" + Render.text(b.publicPort())
                        + (b.privatePort() == null ? "" : " -> " + b.privatePort())));
        rows.add(List.of("rotation", Render.text(b.state())));
        rows.add(List.of(
                "connections",
                b.connections() + " open, " + b.served() + " served, " + b.perMinute() + " in the last minute"
                        + ("http".equals(b.balance()) ? " (requests)" : "")));
        rows.add(List.of("bytes in / out", Render.bytes(b.bytesIn()) + " / " + Render.bytes(b.bytesOut())));
        return rows;
    }
}
