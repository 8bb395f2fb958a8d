package io.jpm.internals;

import io.netty.channel.EventLoopGroup;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.internal.VertxBootstrap;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.spi.ExecutorServiceFactory;
import io.vertx.core.spi.VertxThreadFactory;
import io.vertx.core.spi.transport.Transport;
import java.lang.ref.Cleaner;

/** What jpm reaches of a Vert.x instance beyond the public {@link Vertx} (checked on Vert.x 5.0.10). */
public final class VertxInternals {
    private VertxInternals() {}

    /**
     * A Vert.x built as {@code Vertx.vertx(options)} builds it, with the given pools and threads.
     * Why: {@code Vertx.builder()} takes no executor or thread factory, and without them idle worker
     * threads never end (daemon.IdleEndingPools) and the hang check cannot see the threads.
     */
    public static Vertx create(
            VertxOptions options, Transport transport, ExecutorServiceFactory pools, VertxThreadFactory threads) {
        return VertxBootstrap.create()
                .options(options)
                .transport(transport)
                .executorServiceFactory(pools)
                .threadFactory(threads)
                .init()
                .vertx();
    }

    /**
     * Stops Vert.x's blocked-thread checker. Why: it wakes a thread of its own every second, the hang
     * check measures the same (daemon.HangWatch), and no public API closes it.
     */
    public static void closeBlockedThreadChecker(Vertx vertx) {
        ((VertxInternal) vertx).blockedThreadChecker().close();
    }

    /** Vert.x's own Cleaner. Why: a collection is seen through it without a Cleaner thread more (daemon.CollectionWatch). */
    public static Cleaner cleaner(Vertx vertx) {
        return ((VertxInternal) vertx).cleaner();
    }

    /** The Netty event loops. Why: no public API lists them, and the balancer puts a lane on each, the daemon a quiet timer. */
    public static EventLoopGroup eventLoops(Vertx vertx) {
        return ((VertxInternal) vertx).nettyEventLoopGroup();
    }

    /** The acceptor's Netty loop group. Why: the hang check runs there, where no verticle does. */
    public static EventLoopGroup acceptorLoops(Vertx vertx) {
        return ((VertxInternal) vertx).acceptorEventLoopGroup();
    }

    /**
     * Vert.x's network transport (epoll or NIO). Why: the HTTP relay's instance connections and the
     * bridge's own loop are made with it, on Netty directly.
     */
    public static Transport transport(Vertx vertx) {
        return ((VertxInternal) vertx).transport();
    }
}
