package io.jpm.internals;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.Future;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.core.net.NetSocket;
import java.lang.reflect.Field;

/** The Netty channels under Vert.x's sockets and servers (checked on Vert.x 5.0.10). */
public final class SocketInternals {
    private SocketInternals() {}

    /**
     * The Netty handler context of Vert.x's handler on a socket's channel, null when the socket is no
     * NetSocketInternal. Why: the balancer relays bytes and HTTP on Netty's pipeline directly, and
     * holds a fresh client's reads; the caller falls back to the public API on null.
     */
    public static ChannelHandlerContext handlerContext(NetSocket socket) {
        return socket instanceof NetSocketInternal s ? s.channelHandlerContext() : null;
    }

    /**
     * The listening channel of a Vert.x NetServer or HttpServer, null when it is not listening.
     * Why: a door stops accepting at its cap (verticle.AcceptLimit) and Vert.x does not expose the
     * channel; read from its fields {@code tcpServer} (an HttpServer's NetServer),
     * {@code actualServer} and {@code bindFuture}.
     */
    @SuppressWarnings("unchecked")
    public static Channel listeningChannel(Object server) throws ReflectiveOperationException {
        Object net = server;
        Field tcp = findField(server.getClass(), "tcpServer");
        if (tcp != null) {
            net = tcp.get(server);
        }
        Object actual = net == null ? null : field(net, "actualServer");
        Future<Channel> bound = actual == null ? null : (Future<Channel>) field(actual, "bindFuture");
        return bound != null && bound.succeeded() ? bound.result() : null;
    }

    private static Object field(Object o, String name) throws ReflectiveOperationException {
        Field f = findField(o.getClass(), name);
        if (f == null) {
            throw new NoSuchFieldException(o.getClass().getName() + "." + name);
        }
        return f.get(o);
    }

    private static Field findField(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException e) {
                // the superclass may have it
            }
        }
        return null;
    }
}
