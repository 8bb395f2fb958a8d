package io.jpm.internals;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.spi.transport.Transport;
import java.net.SocketAddress;
import java.util.concurrent.ThreadFactory;

/**
 * Vert.x's epoll transport, but a server whose address is one of {@link Sockets} listens on that
 * socket instead of binding one of its own (heldport.HeldPorts: the balancer's public ports, which the
 * keeper holds across daemons). Why internal: Vert.x has no public way to listen on a socket it did not
 * bind, so this leans on how its NetServer binds (checked on Vert.x 5.0.10 with Netty 4.2.12, and
 * pinned by HeldSocketTransportTest and heldport.HeldPortsTest, which fail if an upgrade changes it):
 *
 * <ul>
 *   <li>{@code NetServerImpl.bind} calls {@link #configure(NetServerOptions, boolean, ServerBootstrap)}
 *       and then, on the same thread and at once, {@link #serverChannelFactory}: the options say which
 *       address is being bound, the factory does not, so the first hands the socket to the second
 *       through a thread-local. (Setting the bootstrap's factory in configure would make Netty throw
 *       "channelFactory set already" when Vert.x sets its own.)
 *   <li>Netty's public {@code EpollServerSocketChannel(int fd)} wraps a listening socket as an active
 *       channel (its address read from the socket), so once registered it accepts; but the bootstrap
 *       still binds it, and a second bind(2) fails (EINVAL): {@link AlreadyBound}, first in its
 *       pipeline, answers that bind as done.
 * </ul>
 *
 * Every other call goes to Vert.x's own epoll transport. Only with epoll: NIO cannot wrap a descriptor.
 */
public final class HeldSocketTransport implements Transport {
    /** The listening sockets a server may be handed, by the address it binds. */
    public interface Sockets {
        /** A duplicate of the socket held for {@code host:port}, -1 when none is (Vert.x binds it then). */
        int duplicate(String host, int port);

        /** {@code server} listens on one of them from now on (until it closes). */
        void listening(Channel server);
    }

    private final Transport epoll;
    private final Sockets ports;
    /** The socket configure() found for the server being bound, for serverChannelFactory() right after. */
    private final ThreadLocal<Integer> next = new ThreadLocal<>();

    private HeldSocketTransport(Transport epoll, Sockets ports) {
        this.epoll = epoll;
        this.ports = ports;
    }

    /** {@code epoll} (Vert.x's own) listening on the held sockets from now on. */
    public static Transport over(Transport epoll, Sockets ports) {
        return new HeldSocketTransport(epoll, ports);
    }

    @Override
    public void configure(NetServerOptions options, boolean domainSocket, ServerBootstrap bootstrap) {
        epoll.configure(options, domainSocket, bootstrap);
        int fd = domainSocket ? -1 : ports.duplicate(options.getHost(), options.getPort());
        if (fd >= 0) {
            next.set(fd);
        } else {
            next.remove();
        }
    }

    @Override
    public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
        Integer fd = next.get();
        next.remove();
        if (fd == null || domainSocket) {
            return epoll.serverChannelFactory(domainSocket);
        }
        return () -> {
            EpollServerSocketChannel channel = new EpollServerSocketChannel(fd);
            channel.pipeline().addFirst(AlreadyBound.NAME, new AlreadyBound());
            ports.listening(channel);
            return channel;
        };
    }

    /** The bootstrap's bind of a socket that listens already: done, with nothing to do. */
    static final class AlreadyBound extends ChannelOutboundHandlerAdapter {
        static final String NAME = "jpm-already-bound";

        @Override
        public void bind(ChannelHandlerContext ctx, SocketAddress localAddress, ChannelPromise promise) {
            ctx.pipeline().remove(this);
            promise.setSuccess();
        }
    }

    // what follows is Vert.x's epoll transport as it is

    @Override
    public boolean supportsDomainSockets() {
        return epoll.supportsDomainSockets();
    }

    @Override
    public boolean supportFileRegion() {
        return epoll.supportFileRegion();
    }

    @Override
    public boolean isAvailable() {
        return epoll.isAvailable();
    }

    @Override
    public Throwable unavailabilityCause() {
        return epoll.unavailabilityCause();
    }

    @Override
    public SocketAddress convert(io.vertx.core.net.SocketAddress address) {
        return epoll.convert(address);
    }

    @Override
    public io.vertx.core.net.SocketAddress convert(SocketAddress address) {
        return epoll.convert(address);
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
        return epoll.ioHandlerFactory();
    }

    @Override
    public EventLoopGroup eventLoopGroup(int type, int threads, ThreadFactory factory, int ioRatio) {
        return epoll.eventLoopGroup(type, threads, factory, ioRatio);
    }

    @Override
    public DatagramChannel datagramChannel() {
        return epoll.datagramChannel();
    }

    @Override
    public DatagramChannel datagramChannel(InternetProtocolFamily family) {
        return epoll.datagramChannel(family);
    }

    @Override
    public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
        return epoll.channelFactory(domainSocket);
    }

    @Override
    public void configure(DatagramChannel channel, DatagramSocketOptions options) {
        epoll.configure(channel, options);
    }

    @Override
    public void configure(
            ClientOptionsBase options,
            int connectTimeout,
            boolean domainSocket,
            io.netty.bootstrap.Bootstrap bootstrap) {
        epoll.configure(options, connectTimeout, domainSocket, bootstrap);
    }
}
