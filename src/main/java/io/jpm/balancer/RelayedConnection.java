package io.jpm.balancer;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * One client connection of the HTTP relay, in its pipeline after Netty's HttpServerCodec: each
 * request goes to the ready instance with the fewest requests in flight ({@link BalancedApp}), over
 * a kept-alive connection of this lane ({@link InstancePool}); the parsed head (headers edited in
 * place, {@link ForwardedHeaders.Hop}) and the body's buffers are written to it as they are, and its
 * answer comes back the same way ({@link InstanceConnection} calls {@link #fromInstance}).
 *
 * <p>As in {@link HttpForward}: a request is retried on another instance when the connection fails
 * before it was sent, and, when it is body-less and idempotent, when the instance closes before
 * answering; with no instance ready within the app's wait, the client gets 503 naming the app; an
 * upgrade the instance accepts (101) becomes a byte tunnel ({@link ChannelRelay}), one request in
 * flight for as long as it is open. What the client sends before its turn (a body while an instance
 * is sought, a pipelined request) waits in {@link #queued}, and the client is not read meanwhile;
 * either side that cannot write fast enough stops the other's reading (autoRead), as TCP mode does.
 * On the connection's event loop only.
 *
 * <p>Longer than this project's ~300 lines on purpose: one connection's states (waiting for an instance,
 * relaying, tunnelling, draining) and the events between them read best in one place; what could stand
 * alone already does (the choice of instance, one exchange's bookkeeping, the instance side, the headers).
 */
final class RelayedConnection extends ChannelInboundHandlerAdapter implements InstanceChoice.Outcome {
    static final String NAME = "jpm-http-relay";
    private final InstancePool pool;
    private final InstanceChoice choice;
    private final ArrayDeque<HttpObject> queued = new ArrayDeque<>(4);
    private ChannelHandlerContext ctx;
    private ForwardedHeaders.Hop hop;
    private RelayExchange current;
    private boolean draining;
    /** The daemon is leaving: the answer in flight is this connection's last. */
    private boolean leaving;

    private boolean flushInstance;
    private boolean flushClient;

    RelayedConnection(InstancePool pool, InstanceChoice choice) {
        this.pool = pool;
        this.choice = choice;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.hop = new ForwardedHeaders.Hop(ctx.channel().remoteAddress());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpObject object) {
            queued.add(object);
            drain();
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flushInstance();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        RelayExchange ex = current;
        if (ex != null && ex.instance != null && ctx.channel().isWritable()) {
            ex.instance.channel.config().setAutoRead(true); // the client takes the answer again
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        queued.forEach(ReferenceCountUtil::release);
        queued.clear();
        RelayExchange ex = current;
        current = null;
        if (ex != null) {
            ex.abandoned = true;
            ex.release();
            dropInstance(ex);
        }
        ctx.fireChannelInactive(); // Vert.x's handler: the socket's close
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close(); // a reset, a write to a closed peer: the close cleans up
    }

    /**
     * The daemon is leaving for the next one: each answer from now on says {@code Connection: close} and the
     * connection closes once it is written, so a client's next request goes to a new connection, which waits
     * in the port's queue for the next daemon instead of dying with this one. An answer whose head went out
     * promising more keeps the connection for one more request. A connection idle now is not closed: its
     * client's next request may be on its way (a client that sends request after request, or one starved
     * between its connect and its send, on a busy machine for seconds), and a close then fails it with a
     * reset or an end without an answer, which most clients do not retry. It waits for that request, answered
     * with {@code Connection: close}, until the leave's grace ends and the server's shutdown closes it.
     */
    void leave() {
        leaving = true;
        RelayExchange ex = current;
        if (ex != null && !ex.answerStarted) {
            ex.clientKeepAlive = false;
        }
    }

    /** Hands on what the client sent, in order, as far as the exchange in progress lets. */
    private void drain() {
        if (draining) {
            return;
        }
        draining = true;
        try {
            HttpObject next;
            while ((next = queued.peek()) != null && accept(next)) {
                queued.poll();
            }
        } finally {
            draining = false;
        }
        RelayExchange ex = current;
        // read on unless something waits, an upgrade awaits its answer, or the instance is full
        ctx.channel()
                .config()
                .setAutoRead(queued.isEmpty()
                        && !(ex != null && ex.upgrade && ex.requestEnded)
                        && !(ex != null && ex.instance != null && !ex.instance.channel.isWritable()));
    }

    /** False when {@code object} must wait (an exchange in progress, no instance yet). */
    private boolean accept(HttpObject object) {
        if (object instanceof HttpRequest request) {
            if (current != null) {
                return false;
            }
            begin(request);
            return true;
        }
        HttpContent content = (HttpContent) object;
        RelayExchange ex = current;
        boolean last = content instanceof LastHttpContent;
        if (ex == null || ex.bodyless || ex.answerEnded) {
            // nothing to carry (sent with the head already), or answered already: dropped
            content.release();
        } else if (!ex.sent || ex.instance == null) {
            return false; // an instance is being sought
        } else {
            ex.bytesIn += content.content().readableBytes();
            ex.instance.channel.write(content, ex.instance.channel.voidPromise());
            flushInstance = true;
        }
        if (last && ex != null) {
            ex.requestEnded = true;
            if (ex.answerEnded) {
                finish(ex);
            }
        }
        return true;
    }

    private void begin(HttpRequest request) {
        if (request.decoderResult().isFailure()) {
            RelayExchange bad = new RelayExchange(request, false);
            bad.clientKeepAlive = false; // what follows cannot be parsed either
            current = bad;
            ReferenceCountUtil.release(request);
            refused(
                    bad,
                    HttpResponseStatus.BAD_REQUEST,
                    "bad request: " + request.decoderResult().cause().getMessage());
            return;
        }
        boolean upgrade = ForwardedHeaders.isUpgrade(request.headers());
        RelayExchange ex = new RelayExchange(request, upgrade);
        ex.clientKeepAlive &= !leaving; // its answer is the connection's last
        ex.cookieSticky = choice.stickyByCookie();
        // the sticky key, read only when the app is sticky: its cookie's instance, or the client's address
        ex.client =
                ex.cookieSticky ? StickyCookie.read(request.headers().getAll(HttpHeaderNames.COOKIE)) : hop.client();
        hop.editRequest(request.headers(), upgrade);
        request.setProtocolVersion(HttpVersion.HTTP_1_1); // the instance always gets 1.1, kept alive
        current = ex;
        choice.pick(ex, this);
    }

    @Override
    public void connected(RelayExchange ex, InstanceConnection instance) {
        ex.instance = instance;
        instance.owner = this;
        instance.channel.config().setAutoRead(ctx.channel().isWritable());
        instance.channel.write(ex.request, instance.channel.voidPromise());
        if (ex.bodyless) { // whole: written again as is if a retry needs it
            instance.channel.write(LastHttpContent.EMPTY_LAST_CONTENT, instance.channel.voidPromise());
        }
        ex.sent = true;
        flushInstance = true;
    }

    /** Part of the instance's answer: relayed to the client as it is (its head edited in place). */
    void fromInstance(InstanceConnection instance, Object msg) {
        RelayExchange ex = current;
        if (ex == null
                || ex.instance != instance
                || !(msg instanceof HttpObject)
                || (msg instanceof DecoderResultProvider r && r.decoderResult().isFailure())) {
            ReferenceCountUtil.release(msg); // a broken answer: the client's connection cannot be trusted either
            instance.channel.close();
            return;
        }
        if (msg instanceof HttpResponse response) {
            ex.answerStarted = true;
            int status = response.status().code();
            ex.tunnel = status == 101 && ex.upgrade;
            ex.informational = status < 200 && !ex.tunnel;
            if (ex.tunnel || ex.informational) {
                ForwardedHeaders.editResponse(response.headers(), ex.tunnel);
            } else {
                ex.frame(response);
            }
        }
        boolean last = msg instanceof LastHttpContent;
        if (msg instanceof HttpContent content) {
            ex.bytesOut += content.content().readableBytes();
        }
        ctx.write(msg, ctx.voidPromise());
        flushClient = true;
        if (last && ex.informational) {
            ex.informational = false; // the final answer follows
        } else if (last && ex.tunnel) {
            ctx.flush();
            tunnelOpened();
            UpgradeTunnel.open(ctx, instance, ex.upstream);
        } else if (last) {
            answerEnded(ex);
        } else if (!ctx.channel().isWritable()) {
            // stop reading the instance before the flush: a flush that drains at once turns it back on
            instance.channel.config().setAutoRead(false);
            flushToClient();
        }
    }

    /** The tunnel owns both connections from now on (and counts the request in flight until it closes). */
    private void tunnelOpened() {
        current = null;
        queued.forEach(ReferenceCountUtil::release);
        queued.clear();
    }

    private void answerEnded(RelayExchange ex) {
        ex.answerEnded = true;
        ex.release();
        InstanceConnection instance = ex.instance;
        ex.instance = null;
        instance.owner = null;
        if (ex.requestEnded && ex.instanceKeepAlive) {
            pool.offer(instance);
        } else {
            instance.channel.close(); // it answered before the whole request was written, or it closes
        }
        if (ex.requestEnded) {
            finish(ex);
        }
    }

    private void finish(RelayExchange ex) {
        current = null;
        if (!ex.clientKeepAlive) {
            flushClient = false;
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        flushToClient();
        drain(); // a pipelined request that waited: on its way now
        flushInstance();
    }

    /** Whether {@code instance} carries this client's request, one that may be sent again, with no answer begun. */
    boolean waitsResendable(InstanceConnection instance) {
        RelayExchange ex = current;
        return ex != null && ex.instance == instance && ex.retryable && !ex.answerStarted;
    }

    /** The instance's connection closed while it carried this client's request. */
    void instanceClosed(InstanceConnection instance) {
        RelayExchange ex = current;
        if (ex == null || ex.instance != instance) {
            return;
        }
        ex.instance = null;
        instance.owner = null;
        if (ex.answerStarted) {
            ex.release();
            ctx.close(); // part of an answer is out: the client cannot be told otherwise
        } else if (ex.retryable) {
            choice.resend(ex, this);
            settled();
        } else {
            ex.release();
            refused(ex, HttpResponseStatus.BAD_GATEWAY, "instance failed: connection closed before an answer");
            drain();
        }
    }

    void instanceWritabilityChanged() {
        drain(); // reading the client again if it waited for the instance's buffer
    }

    void flushToClient() {
        if (flushClient) {
            flushClient = false;
            ctx.flush();
        }
    }

    private void flushInstance() {
        RelayExchange ex = current;
        if (flushInstance && ex != null && ex.instance != null) {
            flushInstance = false;
            ex.instance.channel.flush();
        }
    }

    /** jpm's own answer (503, 502, 400): plain text; the request's body, if any is still coming, is dropped. */
    @Override
    public void refused(RelayExchange ex, HttpResponseStatus status, String text) {
        dropInstance(ex);
        if (ex.answerStarted) {
            ctx.close();
            return;
        }
        ex.answerStarted = true;
        ex.answerEnded = true;
        HttpResponse response = RelayExchange.plainAnswer(status, text, !ex.clientKeepAlive);
        ctx.write(response, ctx.voidPromise());
        flushClient = true;
        if (ex.requestEnded || !ex.clientKeepAlive) {
            finish(ex);
        }
        flushToClient();
    }

    private void dropInstance(RelayExchange ex) {
        InstanceConnection instance = ex.instance;
        if (instance != null) {
            ex.instance = null;
            instance.owner = null;
            instance.channel.close();
        }
    }

    @Override
    public void settled() {
        drain();
        flushInstance();
    }
}
