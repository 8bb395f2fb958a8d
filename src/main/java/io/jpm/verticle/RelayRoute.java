package io.jpm.verticle;

import io.jpm.protocol.UpstreamRequest;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;

/**
 * How this host's HTTP relay reaches another member's instance of a fleet app itself: a TLS
 * connection (the cluster's mutual TLS, {@code tls}) to that member's fleet relay at {@code relay},
 * then {@code CONNECT 127.0.0.1:<instancePort>} (docs/CLUSTER.md, "One port for the fleet"). The
 * cluster side hands it to the balancer with the instance's join ({@link Join}), by reference: it
 * never leaves the daemon. Without it a remote instance is reached through a loopback listener of the
 * cluster side's, one more pair of socket hops each way for every request (bench/fleet.sh).
 */
public record RelayRoute(InetSocketAddress relay, int instancePort, SslContext tls) {
    /** {@code jpm.internal.balancer.join} for another member's instance, with its route. */
    public record Join(UpstreamRequest request, RelayRoute route) {}
}
