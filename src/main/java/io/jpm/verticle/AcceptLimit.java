package io.jpm.verticle;

import io.jpm.internals.SocketInternals;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.MaxMessagesRecvByteBufAllocator;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.util.logging.Logger;

/**
 * A door's listening socket stops accepting while it holds {@code max} connections, and accepts again
 * once one has closed: what it has not accepted waits in the kernel's accept queue (bounded by the
 * listen backlog, and costing the daemon no descriptor), not in the daemon.
 *
 * <p>Why: Vert.x accepts on a thread of its own (the acceptor loop) and hands each connection to the
 * door's event loop as a task. A client that opens connections faster than that loop can take them
 * (a churn of non-blocking connects, each closed a moment later) has the acceptor take ~10,000 a
 * second against the loop's ~7,000 (bench/churn.sh): the accepted ones queue on the loop,
 * unregistered, so nothing reads the end of those the client has closed (14,000 sockets in
 * CLOSE_WAIT, 15,400 descriptors, the heap full and the loop's own timers 5 s late). The door's cap
 * ({@link ConnectionCap}) only sees a connection once the loop runs its handler, too late to bound
 * that queue; this bounds it where the connections come in.
 *
 * <p>Counted from accept to close on the acceptor's loop (Netty's {@code autoRead} on the listening
 * channel: no read of it, so no accept(2), while off). Netty sees the limit after each accept, so it
 * may take one more (a close that turns reading on again can start two reads); NIO, which accepts a
 * batch before it hands any on, is made to accept one at a time. Well inside a door's slack ({@link #SLACK}). Vert.x does not expose the listening channel:
 * it is read from its server's internals (io.jpm.internals.SocketInternals); where they
 * are not as expected the door runs without this limit and says so once.
 */
public final class AcceptLimit {
    private static final Logger LOG = Logger.getLogger("jpm.doors");
    static final String NAME = "jpm-accept-limit";
    /**
     * Connections a door may have accepted beyond its {@code max_connections}: newcomers on their way
     * to its cap, which then makes room by closing the oldest that showed no token ({@link ConnectionCap}).
     */
    public static final int SLACK = 32;

    private AcceptLimit() {}

    /**
     * Limits {@code server} (a listening NetServer or HttpServer) to {@code limit} connections at once;
     * false when its listening channel could not be reached (logged, naming the {@code door}).
     */
    public static boolean apply(Object server, int limit, String door) {
        Channel listening;
        try {
            listening = listeningChannel(server);
        } catch (ReflectiveOperationException | RuntimeException e) {
            listening = null;
        }
        if (listening == null) {
            LOG.warning(() -> door + ": cannot reach the listening socket of this Vert.x (not 5.0.10?): it accepts"
                    + " connections as fast as they come, not at most " + limit + " at once");
            return false;
        }
        if (listening instanceof NioServerSocketChannel
                && listening.config().getRecvByteBufAllocator() instanceof MaxMessagesRecvByteBufAllocator batch) {
            // NIO accepts a whole batch (16) before the first reaches the counter: one at a time instead
            batch.maxMessagesPerRead(1);
        }
        listening.pipeline().addFirst(NAME, new Counter(limit));
        return true;
    }

    /** Connections open now on a limited server: for tests. */
    static int open(Object server) throws ReflectiveOperationException {
        ChannelHandler counter = listeningChannel(server).pipeline().get(NAME);
        return counter == null ? -1 : ((Counter) counter).open;
    }

    /** The listening channel of a Vert.x server, or null when it is not listening. */
    private static Channel listeningChannel(Object server) throws ReflectiveOperationException {
        return SocketInternals.listeningChannel(server);
    }

    /** On the listening channel's pipeline, ahead of Netty's acceptor: every message read is a new connection. */
    private static final class Counter extends ChannelInboundHandlerAdapter {
        private final int max;
        /** Changed on the listening channel's loop only (read by tests from theirs). */
        private volatile int open;

        Counter(int max) {
            this.max = max;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel connection) {
                open++;
                Channel listening = ctx.channel();
                // the connection closes on its own loop: counted off on the listening one's
                connection.closeFuture().addListener(f -> listening.eventLoop().execute(() -> closed(listening)));
                if (open >= max) {
                    listening.config().setAutoRead(false);
                }
            }
            ctx.fireChannelRead(msg);
        }

        private void closed(Channel listening) {
            open--;
            if (open < max && !listening.config().isAutoRead()) {
                listening.config().setAutoRead(true);
            }
        }

        @Override
        public boolean isSharable() {
            return false;
        }
    }
}
