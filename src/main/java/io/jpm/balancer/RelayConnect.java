package io.jpm.balancer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The start of a connection to another member's instance over its fleet relay (a {@code RelayRoute}):
 * once TLS is up, {@code CONNECT 127.0.0.1:<port>}, then the relay's answer read up to its empty line.
 * A {@code 200} hands the connection on ({@code done} with null: from then on its bytes are the
 * instance's); anything else, a close, or no answer within the timeout ends it ({@code done} with why).
 * On the connection's event loop only.
 */
final class RelayConnect extends ChannelInboundHandlerAdapter {
    static final String NAME = "jpm-relay-connect";
    /** An answer longer than this is no relay's. */
    private static final int MAX_HEAD = 4096;

    private final int port;
    private final long timeoutMs;
    private final Consumer<Throwable> done;
    private ByteBuf head;
    private ScheduledFuture<?> timeout;
    private boolean finished;

    RelayConnect(int port, long timeoutMs, Consumer<Throwable> done) {
        this.port = port;
        this.timeoutMs = timeoutMs;
        this.done = done;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timeout = ctx.executor()
                .schedule(
                        () -> fail(ctx, "no answer from the fleet relay within " + timeoutMs + " ms"),
                        timeoutMs,
                        TimeUnit.MILLISECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (!handshake.isSuccess()) {
                fail(ctx, "TLS with the fleet relay: " + handshake.cause().getMessage());
                return;
            }
            String connect = "CONNECT 127.0.0.1:" + port + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n";
            ctx.writeAndFlush(Unpooled.copiedBuffer(connect, StandardCharsets.ISO_8859_1));
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf chunk = (ByteBuf) msg;
        if (finished) {
            ctx.fireChannelRead(chunk);
            return;
        }
        if (head == null) {
            head = ctx.alloc().buffer();
        }
        head.writeBytes(chunk);
        chunk.release();
        int end = ByteBufUtil.indexOf(END, head);
        if (end < 0) {
            if (head.readableBytes() > MAX_HEAD) {
                fail(ctx, "the fleet relay's answer is too long");
            }
            return;
        }
        String status = head.toString(head.readerIndex(), Math.min(end, 64), StandardCharsets.ISO_8859_1);
        if (!status.startsWith("HTTP/1.1 200")) {
            fail(ctx, "the fleet relay answered " + status.lines().findFirst().orElse(""));
            return;
        }
        head.skipBytes(end - head.readerIndex() + END.readableBytes());
        ByteBuf rest = head;
        head = null;
        finished = true;
        timeout.cancel(false);
        done.accept(null);
        ctx.pipeline().remove(this);
        if (rest.isReadable()) {
            ctx.fireChannelRead(rest);
        } else {
            rest.release();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        fail(ctx, "the fleet relay closed the connection");
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, "the fleet relay: " + cause.getMessage());
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (head != null) {
            head.release();
            head = null;
        }
    }

    private void fail(ChannelHandlerContext ctx, String why) {
        if (finished) {
            return;
        }
        finished = true;
        if (timeout != null) {
            timeout.cancel(false);
        }
        ctx.close();
        done.accept(new java.io.IOException(why));
    }

    private static final ByteBuf END =
            Unpooled.unreleasableBuffer(Unpooled.copiedBuffer("\r\n\r\n", StandardCharsets.ISO_8859_1));
}
