package io.jpm.balancer;

import io.jpm.internals.SocketInternals;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.net.NetSocket;
import java.util.function.LongConsumer;

/**
 * TCP mode's byte path between a client connection and its instance connection, at the Netty level,
 * under Vert.x's own handler. Measured (docs/BENCHMARKS.md): through {@code NetSocket.pipeTo} each
 * chunk is copied from Netty's pooled direct buffer into a heap {@code Buffer}, goes through the pipe's
 * future per write and a flush per write, then is copied back to a direct buffer to be written. Here
 * the pooled buffer read from one channel is handed to the other as is, and the other is flushed once
 * per read burst ({@code channelReadComplete}), not once per chunk.
 *
 * <p>Back-pressure is Netty's: when the receiving channel's outbound buffer passes its high-water mark
 * the sending channel stops reading (autoRead off) until the receiver is writable again. Vert.x's
 * handler still sees connect, close and errors (the close handlers release the instance), only the
 * data no longer goes through it. Both channels must be on one event loop (a verticle's connections
 * are): every field here is touched on that loop only.
 *
 * <p>Vert.x internal: {@code SocketInternals.handlerContext}, the only way to a socket's Netty
 * channel; should a socket have none, {@link #link} says false and TCP mode falls back to pipeTo, slower
 * and silent (SocketInternalsTest fails if it goes).
 */
final class ChannelRelay extends ChannelDuplexHandler {
    private static final String NAME = "jpm-relay";

    private final Channel peer;
    private final LongConsumer counter;
    private boolean pendingFlush;

    private ChannelRelay(Channel peer, LongConsumer counter) {
        this.peer = peer;
        this.counter = counter;
    }

    /**
     * Relays bytes both ways between two connected sockets, counting them; false (and nothing changed)
     * when they are not two Netty channels on one event loop, so the caller falls back to pipeTo.
     */
    static boolean link(NetSocket client, NetSocket server, LongConsumer clientToServer, LongConsumer serverToClient) {
        ChannelHandlerContext cctx = SocketInternals.handlerContext(client);
        ChannelHandlerContext sctx = SocketInternals.handlerContext(server);
        if (cctx == null || sctx == null) {
            return false;
        }
        if (cctx.channel().eventLoop() != sctx.channel().eventLoop()
                || !cctx.channel().eventLoop().inEventLoop()) {
            return false;
        }
        cctx.pipeline().addBefore(cctx.name(), NAME, new ChannelRelay(sctx.channel(), clientToServer));
        sctx.pipeline().addBefore(sctx.name(), NAME, new ChannelRelay(cctx.channel(), serverToClient));
        return true;
    }

    /**
     * The same between two channels on one event loop whose handlers named by {@code a} and {@code b}
     * are about to leave (the HTTP relay's upgrade): each relay goes right after them.
     */
    static void insertAfter(ChannelHandlerContext a, ChannelHandlerContext b, LongConsumer aToB, LongConsumer bToA) {
        a.pipeline().addAfter(a.name(), NAME, new ChannelRelay(b.channel(), aToB));
        b.pipeline().addAfter(b.name(), NAME, new ChannelRelay(a.channel(), bToA));
    }

    /** Holds a freshly accepted client: nothing is read from it until {@link #start}. */
    static void hold(NetSocket client) {
        ChannelHandlerContext context = SocketInternals.handlerContext(client);
        if (context != null) {
            context.channel().config().setAutoRead(false);
        }
    }

    /** Starts reading a client held by {@link #hold} (its bytes then flow through the relay). */
    static void start(NetSocket client) {
        ChannelHandlerContext context = SocketInternals.handlerContext(client);
        if (context != null) {
            context.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf buf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        counter.accept(buf.readableBytes());
        // a write to a closed peer fails its void promise and releases the buffer
        peer.write(buf, peer.voidPromise());
        pendingFlush = true;
        if (!peer.isWritable()) {
            // reading stops before the flush: a flush that drains the peer at once turns reading back on
            // (channelWritabilityChanged below), which must not be undone after it
            ctx.channel().config().setAutoRead(false);
            flushPeer();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushPeer();
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // this channel drained below its low-water mark: the peer that fills it may read again
        if (ctx.channel().isWritable() && peer.isActive()) {
            peer.config().setAutoRead(true);
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // the peer still gets what was read before the close (e.g. the instance's last answer), then closes
        if (peer.isActive()) {
            pendingFlush = false;
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
        ctx.fireChannelInactive();
    }

    private void flushPeer() {
        if (pendingFlush) {
            pendingFlush = false;
            peer.flush();
        }
    }
}
