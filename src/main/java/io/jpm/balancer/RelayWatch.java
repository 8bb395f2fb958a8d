package io.jpm.balancer;

import io.jpm.verticle.RelayRoute;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.ReferenceCountUtil;
import io.vertx.core.spi.transport.Transport;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Whether each other member whose instances this front routes to still answers (docs/CLUSTER.md, "A
 * host lost"): its fleet relay is asked {@code OPTIONS *} every {@value #ASK_EVERY_MS} ms over one
 * kept TLS connection, the way a request takes. The cluster's heartbeat drops a member whose link is
 * cut only after its bound (10 s by default), and a requests sent there meanwhile wait for nothing;
 * a relay silent for {@value #SILENT_AFTER_MS} ms takes its member's instances out of this front's
 * rotation at once (their requests in flight that may be sent again go elsewhere), and its next
 * answer puts them back. A relay that answers anything (an older member refuses the question with
 * 403) answers. On one event loop (the balancer's), so nothing here is locked.
 */
final class RelayWatch {
    static final long ASK_EVERY_MS = 250;
    /**
     * Silence past this is a member cut off or stopped: four questions unanswered. A loaded machine
     * answers within it (its event loops take milliseconds), and a wrong verdict costs little: the
     * member's instances are out of this front's rotation until the next answer.
     */
    static final long SILENT_AFTER_MS = 1000;

    private static final long ASK_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(ASK_EVERY_MS);
    private static final long SILENT_AFTER_NANOS = TimeUnit.MILLISECONDS.toNanos(SILENT_AFTER_MS);
    /** A question (or a handshake) unanswered this long: its connection is dropped for a new one. */
    private static final long NEW_CONNECTION_AFTER_NANOS = TimeUnit.SECONDS.toNanos(5);

    /** What a relay's verdict changes: its member's instances out of rotation, or back. */
    interface Verdict {
        void answering(InetSocketAddress relay, boolean answering);
    }

    /** One relay watched: the upstreams reached through it, its connection and when it last answered. */
    private static final class Watched {
        final InetSocketAddress relay;
        final Set<Upstream> users = new HashSet<>();
        RelayRoute route;
        Channel channel;
        long lastAnswer;
        /** When the question on the way was sent; 0 when none is. */
        long asked;

        boolean silent;

        Watched(InetSocketAddress relay, long now) {
            this.relay = relay;
            this.lastAnswer = now; // just joined from the cluster's own map: answering until it says otherwise
        }
    }

    private final Bootstrap bootstrap;
    private final EventLoop loop;
    private final Verdict verdict;
    private final Predicate<Upstream> inRotation;
    private final Map<InetSocketAddress, Watched> watched = new HashMap<>();
    private ScheduledFuture<?> ticks;
    private long lastTick;

    /** @param inRotation whether an upstream is still in its app's rotation (one that is not is no longer watched) */
    RelayWatch(Transport transport, EventLoop loop, Verdict verdict, Predicate<Upstream> inRotation) {
        this.loop = loop;
        this.verdict = verdict;
        this.inRotation = inRotation;
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channelFactory(transport.channelFactory(false))
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) SILENT_AFTER_MS);
    }

    /** Another member's instance reached over {@code upstream.route}: its relay watched while it is in rotation. */
    void watch(Upstream upstream) {
        RelayRoute route = upstream.route;
        if (route == null) {
            return;
        }
        Watched w = watched.computeIfAbsent(route.relay(), r -> new Watched(r, System.nanoTime()));
        w.route = route;
        w.users.add(upstream);
        if (ticks == null) {
            lastTick = System.nanoTime();
            ticks = loop.scheduleAtFixedRate(this::tick, 0, ASK_EVERY_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** Whether {@code relay}'s last verdict was silence (a new instance of its member joins out of rotation). */
    boolean silent(InetSocketAddress relay) {
        Watched w = watched.get(relay);
        return w != null && w.silent;
    }

    void close() {
        if (ticks != null) {
            ticks.cancel(false);
            ticks = null;
        }
        watched.values().forEach(w -> close(w));
        watched.clear();
    }

    private void tick() {
        long now = System.nanoTime();
        // this loop itself was held up (a pause of this JVM): the answers may be unread, not missing
        boolean late = now - lastTick > 3 * ASK_EVERY_NANOS;
        lastTick = now;
        for (Iterator<Watched> all = watched.values().iterator(); all.hasNext(); ) {
            Watched w = all.next();
            w.users.removeIf(inRotation.negate());
            if (w.users.isEmpty()) {
                close(w);
                all.remove();
                continue;
            }
            if (late) {
                w.lastAnswer = Math.max(w.lastAnswer, now - ASK_EVERY_NANOS);
                w.asked = 0;
            }
            look(w, now);
        }
        if (watched.isEmpty() && ticks != null) {
            ticks.cancel(false);
            ticks = null;
        }
    }

    private void look(Watched w, long now) {
        if (!w.silent && now - w.lastAnswer > SILENT_AFTER_NANOS) {
            w.silent = true;
            verdict.answering(w.relay, false);
        }
        if (w.channel == null) {
            connect(w, now);
        } else if (w.channel.isActive() && w.asked == 0) {
            ask(w, now);
        } else if (w.asked != 0 && now - w.asked > NEW_CONNECTION_AFTER_NANOS) {
            // a connection across a link cut long enough may hang on after the link is back (TCP's
            // retransmissions back off): a new one. Not sooner: on a loaded machine a TLS handshake
            // can take more than a second, and one cut short each time would never answer
            close(w);
        }
    }

    private void connect(Watched w, long now) {
        RelayRoute route = w.route;
        Channel channel = bootstrap
                .clone()
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline()
                                .addLast(
                                        route.tls().newHandler(ch.alloc(), w.relay.getHostString(), w.relay.getPort()));
                        ch.pipeline().addLast(new HttpClientCodec());
                        ch.pipeline().addLast(new Answers(w));
                    }
                })
                .connect(w.relay)
                .addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess() && w.channel == f.channel()) {
                        w.channel = null; // refused or timed out: tried again at the next tick
                        w.asked = 0;
                    }
                })
                .channel();
        w.channel = channel;
        w.asked = now; // the handshake counts as the first question; the second follows it
    }

    private void ask(Watched w, long now) {
        DefaultFullHttpRequest question = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.OPTIONS, "*");
        question.headers()
                .set(HttpHeaderNames.HOST, w.relay.getHostString() + ":" + w.relay.getPort())
                .set(HttpHeaderNames.CONTENT_LENGTH, 0);
        w.asked = now;
        w.channel.writeAndFlush(question);
    }

    private void answered(Watched w) {
        w.lastAnswer = System.nanoTime();
        w.asked = 0;
        if (w.silent) {
            w.silent = false;
            verdict.answering(w.relay, true);
        }
    }

    private static void close(Watched w) {
        if (w.channel != null) {
            w.channel.close();
            w.channel = null;
        }
        w.asked = 0;
    }

    /** The relay's side of one watched connection: each whole answer counts; a close makes way for a new one. */
    private final class Answers extends ChannelInboundHandlerAdapter {
        private final Watched w;

        Answers(Watched w) {
            this.w = w;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof SslHandshakeCompletionEvent done && done.isSuccess() && w.channel == ctx.channel()) {
                ask(w, System.nanoTime());
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            boolean whole = msg instanceof LastHttpContent;
            ReferenceCountUtil.release(msg);
            if (whole && w.channel == ctx.channel()) {
                answered(w);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (w.channel == ctx.channel()) {
                w.channel = null; // asked again on a new connection at the next tick
                w.asked = 0;
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
