package io.jpm.bridge;

import io.jpm.internals.ContextInternals;
import io.jpm.internals.ThreadInternals;
import io.jpm.internals.VertxInternals;
import io.netty.channel.EventLoopGroup;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.spi.transport.Transport;
import java.util.concurrent.TimeUnit;

/**
 * An event loop of its own for the bridge's public TCP port, one thread that no verticle shares. On
 * the daemon's shared loops (two on a 2-core machine) the port's loop was God's or the owner's door's:
 * a local user churning connections at the port then queued the owner's `jpm ls` over jpm.sock behind
 * thousands of accepts and closes a second (its list's round trip 5 -> 57 ms, p50). On a thread of its
 * own the kernel's scheduler shares the cores between that work and the owner's, and a woken God or
 * jpm.sock loop, idle most of the time, runs first. Built on the daemon's own transport (epoll or
 * NIO) through Vert.x's internal API (io.jpm.internals): its public one gives a server no loop but the shared ones.
 */
final class PublicLoop {
    /** A Vert.x thread, so that Vert.x tracks the contexts it runs (timers, the current context). */
    static final String THREAD = "vert.x-eventloop-public-port";

    private final EventLoopGroup group;
    private final Context context;

    private PublicLoop(EventLoopGroup group, Context context) {
        this.group = group;
        this.context = context;
    }

    /** @param atStart run first on the loop's thread */
    static PublicLoop start(Vertx vertx, Runnable atStart) {
        EventLoopGroup group = VertxInternals.transport(vertx)
                .eventLoopGroup(
                        Transport.IO_EVENT_LOOP_GROUP,
                        1,
                        task -> ThreadInternals.eventLoopThread(
                                () -> {
                                    atStart.run();
                                    task.run();
                                },
                                THREAD,
                                2),
                        // Vert.x's own share of a loop's time for I/O against its tasks
                        50);
        return new PublicLoop(group, ContextInternals.onLoop(vertx, group.next()));
    }

    /** The context whose loop serves the port: a server listened from it handles its connections there. */
    Context context() {
        return context;
    }

    /** Ends the loop's thread once the port is closed. */
    Future<Void> close() {
        Promise<Void> done = Promise.promise();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).addListener(f -> done.tryComplete());
        return done.future();
    }
}
