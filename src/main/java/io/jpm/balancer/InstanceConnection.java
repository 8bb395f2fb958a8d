package io.jpm.balancer;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * The HTTP relay's end of one kept-alive connection to an instance: what the instance sends goes to
 * the {@link RelayedConnection} whose request it answers ({@link #owner}), or, while the connection
 * is idle in its {@link InstancePool}, nowhere: an answer nobody asked for closes it. On its lane's
 * event loop only.
 */
final class InstanceConnection extends ChannelInboundHandlerAdapter {
    static final String NAME = "jpm-instance";

    final Channel channel;
    final Upstream upstream;
    private final InstancePool pool;
    /** The client connection whose request this one carries; null while idle. */
    RelayedConnection owner;
    /** When it went back to the pool (System.nanoTime). */
    long idleSince;

    ChannelHandlerContext context;

    InstanceConnection(Channel channel, Upstream upstream, InstancePool pool) {
        this.channel = channel;
        this.upstream = upstream;
        this.pool = pool;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        context = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (owner != null) {
            owner.fromInstance(this, msg);
        } else {
            ReferenceCountUtil.release(msg);
            ctx.close();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (owner != null) {
            owner.flushToClient();
        }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (owner != null) {
            owner.instanceWritabilityChanged();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pool.forget(this);
        if (owner != null) {
            owner.instanceClosed(this);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset or a bad answer: the close above tells the owner
    }
}
