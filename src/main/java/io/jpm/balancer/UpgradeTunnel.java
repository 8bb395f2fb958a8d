package io.jpm.balancer;

import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.Future;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.NetSocket;

/**
 * HTTP mode's upgrades (a WebSocket handshake, or any {@code Connection: Upgrade}): the request goes
 * to an instance as a tunnel request; when the instance answers 101, its answer (with its
 * {@code Upgrade}, {@code Sec-WebSocket-Accept}, ...) goes to the client and both connections become
 * raw byte pipes, each way with back-pressure, until either side closes. Any other answer is relayed
 * as a normal one. The instance counts the tunnel as one request in flight for as long as it is open,
 * so a reload's drain waits for it (up to its drain time). Both paths: Vert.x's ({@link #send},
 * {@link #open(HttpServerRequest, HttpClientResponse, Upstream)}) and the relay's.
 */
final class UpgradeTunnel {
    private UpgradeTunnel() {}

    /** Sends the handshake; the client's bytes that came with it follow (rare: clients wait for the 101). */
    static Future<HttpClientResponse> send(HttpServerRequest request, HttpClientRequest outbound) {
        Future<HttpClientResponse> answer = outbound.connect();
        request.handler(outbound::write);
        request.endHandler(v -> outbound.end());
        request.resume();
        return answer;
    }

    /** The instance said 101: the client gets the same, then bytes flow both ways. */
    static void open(HttpServerRequest request, HttpClientResponse inbound, Upstream upstream) {
        HttpServerResponse response = request.response();
        response.setStatusCode(101).setStatusMessage(inbound.statusMessage());
        response.headers().addAll(inbound.headers());
        NetSocket server = inbound.netSocket();
        request.toNetSocket().onComplete((client, failed) -> {
            if (failed != null) {
                server.close();
                upstream.release();
                return;
            }
            Runnable release = once(upstream::release);
            client.closeHandler(v -> {
                server.close();
                release.run();
            });
            server.closeHandler(v -> {
                client.close();
                release.run();
            });
            server.pipeTo(new CountingWriteStream(client, upstream.bytesOut::add));
            client.pipeTo(new CountingWriteStream(server, upstream.bytesIn::add));
        });
    }

    /**
     * The HTTP relay's tunnel: the instance's 101 has been written to the client. Both pipelines drop
     * their HTTP handlers and become a {@link ChannelRelay} byte pipe; the bytes a codec still held
     * (what followed the 101 in the same read) go through it as it is removed.
     */
    static void open(ChannelHandlerContext client, InstanceConnection instance, Upstream upstream) {
        instance.owner = null;
        ChannelRelay.insertAfter(client, instance.context, upstream.bytesIn::add, upstream.bytesOut::add);
        client.pipeline().remove(client.handler());
        client.pipeline().remove(RelayLane.CODEC);
        instance.channel.pipeline().remove(instance);
        instance.channel.pipeline().remove(InstancePool.CODEC);
        Runnable release = once(upstream::release);
        client.channel().closeFuture().addListener(f -> release.run());
        instance.channel.closeFuture().addListener(f -> release.run());
        client.channel().config().setAutoRead(true);
        instance.channel.config().setAutoRead(true);
    }

    private static Runnable once(Runnable action) {
        boolean[] done = new boolean[1];
        return () -> {
            if (!done[0]) {
                done[0] = true;
                action.run();
            }
        };
    }
}
