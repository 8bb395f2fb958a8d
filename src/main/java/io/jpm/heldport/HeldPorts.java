package io.jpm.heldport;

import io.jpm.balancer.PublicPorts;
import io.jpm.internals.HeldSocketTransport;
import io.jpm.launcher.ListeningSockets;
import io.jpm.process.ProcessLauncher.DescriptorKeeper;
import io.jpm.protocol.BlockingCall;
import io.netty.channel.Channel;
import io.vertx.core.spi.transport.Transport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The public ports of the TCP and HTTP modes as sockets jpm opens and its keeper holds, as nginx's
 * master holds its listening sockets while workers come and go: the daemon keeps one descriptor of
 * each (its queue), the keeper a duplicate (key {@code public:<host>|<port>}), and the frontend's
 * Vert.x server listens on a third (internals.HeldSocketTransport). A kill -9, an update or a renewal
 * ends the daemon but not the socket: connections made meanwhile wait in its queue, and the next
 * daemon, handed the socket by the keeper, serves them. Thread-safe: claimed off the event loop,
 * duplicated on it.
 */
public final class HeldPorts implements PublicPorts {
    private static final Logger LOG = Logger.getLogger("jpm.balancer");
    /** The keys the keeper holds the public ports under. */
    public static final String KEY_PREFIX = "public:";
    /** Netty's default for a server it binds (SOMAXCONN): the kernel caps it at net.core.somaxconn. */
    private static final int BACKLOG = 4096;

    /** One socket: this daemon's descriptor of it and the apps on it. */
    private record Held(int fd, Set<String> apps) {}

    private final DescriptorKeeper keeper;
    /** Handed over by the keeper, by key: not claimed yet. */
    private final Map<String, Integer> inherited;
    /** By key. */
    private final Map<String, Held> held = new HashMap<>();
    /** The servers Vert.x listens with on these sockets, for {@link #stopAccepting}. */
    private final Set<Channel> servers = ConcurrentHashMap.newKeySet();
    /** Whether Vert.x listens on these sockets (the epoll transport): with NIO it binds its own, and none is opened. */
    private volatile boolean used;

    /** @param inherited the {@code public:} sockets the keeper handed over, by key */
    public HeldPorts(DescriptorKeeper keeper, Map<String, Integer> inherited) {
        this.keeper = keeper;
        this.inherited = new HashMap<>(inherited);
    }

    /** Vert.x listens on these sockets from now on (internals.HeldSocketTransport is its transport). */
    void use() {
        used = true;
    }

    /** Vert.x's epoll transport ({@code epoll}) made to listen on these sockets, which from now on are opened. */
    public Transport listenThrough(Transport epoll) {
        use();
        return HeldSocketTransport.over(epoll, new HeldSocketTransport.Sockets() {
            @Override
            public int duplicate(String host, int port) {
                return HeldPorts.this.duplicate(host, port);
            }

            @Override
            public void listening(Channel server) {
                HeldPorts.this.listening(server);
            }
        });
    }

    /** {@code server} listens on one of these sockets (until it closes). */
    void listening(Channel server) {
        servers.add(server);
        server.closeFuture().addListener(f -> servers.remove(server));
    }

    /** Each server's reading turned off on its own loop: done once none is in the middle of an accept. */
    @Override
    public CompletionStage<Void> stopAccepting() {
        List<CompletableFuture<Void>> stopped = new ArrayList<>();
        for (Channel server : servers) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            server.eventLoop().execute(() -> {
                server.config().setAutoRead(false);
                done.complete(null);
            });
            stopped.add(done);
        }
        return CompletableFuture.allOf(stopped.toArray(CompletableFuture[]::new));
    }

    static String key(String host, int port) {
        return KEY_PREFIX + host + "|" + port;
    }

    @Override
    public synchronized void claim(String app, String host, int port) throws IOException {
        if (!used || port == 0) {
            return; // port 0 is a new pick at each start: nothing to carry over
        }
        BlockingCall.check("a bind of a public port");
        String key = key(host, port);
        Held socket = held.get(key);
        if (socket == null) {
            socket = new Held(takeOrOpen(key, host, port), new LinkedHashSet<>());
            held.put(key, socket);
        }
        socket.apps().add(app);
    }

    private int takeOrOpen(String key, String host, int port) throws IOException {
        Integer fd = inherited.remove(key);
        if (fd != null) {
            try {
                ListeningSockets.inherited(fd);
                LOG.info(() -> "public port " + host + ":" + port + " taken from the keeper (the previous daemon's)");
                return fd;
            } catch (IOException e) {
                LOG.warning(() -> "the keeper's " + key + ": " + e.getMessage() + "; a new socket is opened");
                keeper.release(key);
            }
        }
        int opened = ListeningSockets.open(host, port, BACKLOG);
        keeper.hold(key, opened);
        return opened;
    }

    @Override
    public synchronized void release(String app, String host, int port) {
        String key = key(host, port);
        Held socket = held.get(key);
        if (socket == null || !socket.apps().remove(app) || !socket.apps().isEmpty()) {
            return;
        }
        held.remove(key);
        ListeningSockets.close(socket.fd());
        keeper.release(key);
    }

    @Override
    public synchronized void closeUnclaimed() {
        inherited.forEach((key, fd) -> {
            ListeningSockets.close(fd);
            keeper.release(key);
            LOG.info(() -> "the keeper's " + key + ": no app of this daemon on it, closed");
        });
        inherited.clear();
    }

    /**
     * A descriptor of the socket on {@code host}:{@code port} for a Vert.x server to own (and close), or
     * -1 when jpm holds none there (Vert.x binds the port itself). Cheap: one fcntl, no wait.
     */
    synchronized int duplicate(String host, int port) {
        Held socket = held.get(key(host, port));
        if (socket == null) {
            return -1;
        }
        try {
            return ListeningSockets.duplicate(socket.fd());
        } catch (IOException e) {
            LOG.warning(() -> "public port " + host + ":" + port + ": " + e.getMessage() + "; Vert.x binds it");
            return -1;
        }
    }
}
