package io.jpm.balancer;

import io.jpm.verticle.RelayRoute;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.util.NetUtil;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.spi.transport.Transport;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One lane's kept-alive connections to the instances (HTTP relay), on the lane's event loop only, so
 * nothing here is locked. Connections are made with Vert.x's transport (epoll, or NIO with
 * {@code JPM_NATIVE_TRANSPORT=0}) on that loop. The most recently used idle one is reused first, so
 * the others age and are closed by the sweep: an idle connection is dropped after
 * {@link #IDLE_NANOS}, before a typical app's own keep-alive timeout (Node: 5 s) can close it under a
 * request.
 */
final class InstancePool {
    static final String CODEC = "jpm-instance-codec";
    private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(2);
    /** Idle connections kept per instance; more in flight at once are made and closed after use. */
    private static final int MAX_IDLE = 128;

    private static final int CONNECT_TIMEOUT_MS = 2000;
    /** Another member's relay: its TLS handshake and its answer to the CONNECT, on a loaded host too. */
    private static final int RELAY_ANSWER_MS = 5000;

    private final Bootstrap bootstrap;
    private final EventLoop loop;
    private final Map<Upstream, ArrayDeque<InstanceConnection>> idle = new HashMap<>();
    /** Every open connection of another member's instance, idle or carrying a request ({@link #closeAll}). */
    private final Map<Upstream, Set<InstanceConnection>> remote = new HashMap<>();

    private final ScheduledFuture<?> sweep;
    private boolean closed;

    InstancePool(Transport transport, EventLoop loop) {
        this.loop = loop;
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channelFactory(transport.channelFactory(false))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        channel.pipeline().addLast(CODEC, new HttpClientCodec());
                    }
                });
        this.sweep = loop.scheduleAtFixedRate(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    /** An idle connection to {@code upstream} still open and fresh, or null. */
    InstanceConnection takeIdle(Upstream upstream) {
        ArrayDeque<InstanceConnection> free = idle.get(upstream);
        if (free == null) {
            return null;
        }
        long now = System.nanoTime();
        InstanceConnection connection;
        while ((connection = free.pollLast()) != null) {
            if (connection.channel.isActive() && now - connection.idleSince < IDLE_NANOS) {
                return connection;
            }
            connection.channel.close();
        }
        return null;
    }

    /**
     * A new connection to {@code upstream}; {@code done} runs on this loop with it or the failure.
     * Another member's instance with a {@link RelayRoute} is reached over TLS to that member's relay.
     */
    void connect(Upstream upstream, BiConsumer<InstanceConnection, Throwable> done) {
        RelayRoute route = upstream.route;
        if (route != null) {
            connect(upstream, route, done);
            return;
        }
        ChannelFuture connecting = bootstrap.connect(new InetSocketAddress(NetUtil.LOCALHOST4, upstream.port));
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                done.accept(null, f.cause());
                return;
            }
            InstanceConnection connection = new InstanceConnection(connecting.channel(), upstream, this);
            connecting.channel().pipeline().addLast(InstanceConnection.NAME, connection);
            done.accept(connection, null);
        });
    }

    private void connect(Upstream upstream, RelayRoute route, BiConsumer<InstanceConnection, Throwable> done) {
        Channel[] made = new Channel[1];
        RelayConnect start = new RelayConnect(route.instancePort(), RELAY_ANSWER_MS, failure -> {
            if (failure != null) {
                done.accept(null, failure);
                return;
            }
            Channel channel = made[0];
            InstanceConnection connection = new InstanceConnection(channel, upstream, this);
            remote.computeIfAbsent(upstream, u -> new HashSet<>()).add(connection);
            channel.pipeline().addLast(CODEC, new HttpClientCodec());
            channel.pipeline().addLast(InstanceConnection.NAME, connection);
            done.accept(connection, null);
        });
        ChannelFuture connecting = bootstrap
                .clone()
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel channel) {
                        InetSocketAddress relay = route.relay();
                        channel.pipeline()
                                .addLast(route.tls()
                                        .newHandler(channel.alloc(), relay.getHostString(), relay.getPort()));
                        channel.pipeline().addLast(RelayConnect.NAME, start);
                    }
                })
                .connect(route.relay());
        made[0] = connecting.channel();
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                done.accept(null, f.cause());
            }
        });
    }

    /** A connection done with its exchange and fit for another: kept, unless there are enough. */
    void offer(InstanceConnection connection) {
        ArrayDeque<InstanceConnection> free = idle.computeIfAbsent(connection.upstream, u -> new ArrayDeque<>());
        if (closed || free.size() >= MAX_IDLE || connection.upstream.state() == Upstream.State.GONE) {
            connection.channel.close();
            return;
        }
        connection.idleSince = System.nanoTime();
        connection.channel.config().setAutoRead(true); // an idle connection's close is seen at once
        free.addLast(connection);
    }

    /** A connection closed: out of the idle ones if it was there. */
    void forget(InstanceConnection connection) {
        ArrayDeque<InstanceConnection> free = idle.get(connection.upstream);
        if (free != null) {
            free.remove(connection);
        }
        Set<InstanceConnection> open = remote.get(connection.upstream);
        if (open != null && open.remove(connection) && open.isEmpty()) {
            remote.remove(connection.upstream);
        }
    }

    /** Closes every connection to {@code upstream} (another member's, cut off): their requests go elsewhere. */
    void closeAll(Upstream upstream) {
        Set<InstanceConnection> open = remote.remove(upstream);
        if (open != null) {
            List.copyOf(open).forEach(c -> c.channel.close());
        }
    }

    /**
     * Closes the connections to {@code upstream} (another member's, silent) that carry a request which
     * may be sent again and has no answer begun: those requests go to another instance. The rest stay.
     */
    void closeWaiting(Upstream upstream) {
        Set<InstanceConnection> open = remote.get(upstream);
        if (open != null) {
            List.copyOf(open).stream()
                    .filter(c -> c.owner != null && c.owner.waitsResendable(c))
                    .forEach(c -> c.channel.close());
        }
    }

    private void sweep() {
        long now = System.nanoTime();
        for (Iterator<ArrayDeque<InstanceConnection>> all = idle.values().iterator(); all.hasNext(); ) {
            ArrayDeque<InstanceConnection> free = all.next();
            InstanceConnection oldest;
            while ((oldest = free.peekFirst()) != null && now - oldest.idleSince >= IDLE_NANOS) {
                free.pollFirst().channel.close();
            }
            if (free.isEmpty()) {
                all.remove(); // an instance that left has no entry left behind
            }
        }
    }

    /** Closes every idle connection and stops the sweep (the lane is closing). */
    Future<Void> close() {
        Promise<Void> done = Promise.promise();
        loop.execute(() -> {
            closed = true;
            sweep.cancel(false);
            idle.values().forEach(free -> free.forEach(c -> c.channel.close()));
            idle.clear();
            done.complete();
        });
        return done.future();
    }
}
