package io.jpm.bridge;

import io.jpm.config.DoorLimits;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmError;
import io.jpm.verticle.AcceptLimit;
import io.jpm.verticle.ConnectionCap;
import io.jpm.verticle.FollowTotals;
import io.jpm.verticle.LocalBus;
import io.jpm.verticle.RefusalLog;
import io.jpm.verticle.ServerTls;
import io.jpm.verticle.TokenGuard;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The daemon's event-bus door: the Vert.x TCP event-bus bridge's protocol on loopback. Inbound frames
 * may reach {@code jpm.cmd.*} and {@code jpm.query.*}, outbound only {@code jpm.events.*} (plus
 * replies); a connection authenticates with a token in {@code headers.token}
 * (io.jpm.verticle.ConnectionAuth), which is checked here and stripped before the message reaches the
 * bus; on the owner's Unix socket ({@code cliSocket}, JPM_HOME/jpm.sock) no token is needed.
 *
 * <p>Each connection's frames are read by a {@link FrameGuard} and reach the bus through its
 * {@link BusSession}: parsed once, replies encoded straight to bytes. It was the
 * vertx-tcp-eventbus-bridge library behind the guard, over an inner Unix socket; that path parsed
 * every frame twice, cost four socket operations and two descriptors more per request and
 * connection, and encoded each reply to a String before its bytes (2/3 of the daemon's CPU for a
 * jlist of 1,000 apps; docs/BENCHMARKS.md, "list() under load").
 *
 * <p>Config: {@code {"host":"127.0.0.1","port":0,"cliSocket":"/path/jpm.sock",
 * "token":"...","readOnlyToken":"...","limits":{jpm.json's bridge section},"tls":{"key":"/path.pem","cert":"/path.pem"}}}
 * (tls optional: {@link ServerTls}); the port actually bound is in {@link #port()} once started. The TCP
 * port holds at most {@code max_connections}; the CLI's Unix socket is not counted (docs/SECURITY.md says why).
 *
 * <p>What each frame may reach, and its token, is {@link FrameRules}'s.
 */
public final class BridgeVerticle extends VerticleBase {
    private static final Logger LOG = Logger.getLogger("jpm.bridge");
    /** How long a stop waits for the clients' connections to end after the last frames. */
    private static final long CLIENTS_CLOSE_MS = 1000;
    /** Connections the owner's socket holds at once, a descriptor each: more wait in the kernel's queue. */
    static final int OWNER_CONNECTIONS = 512;

    private NetServer guardServer;
    /** The public port's own event loop (null until it listens). */
    private PublicLoop publicLoop;

    private NetServer cliServer;
    private DoorLimits limits;
    private final RefusalLog refusals = new RefusalLog(LOG, "bridge");
    /** The clients' connections open now, each read by its FrameGuard. */
    private final Map<NetSocket, FrameGuard> clients = new ConcurrentHashMap<>();
    /** Set when stopping: completes once every client's connection has ended. */
    private volatile Promise<Void> allClosed;

    private TokenGuard guard;
    private FrameRules rules;
    private volatile int port;
    private volatile Integer portTaken;
    private volatile String ownerSocket;
    /** Run first on the public port's thread (the daemon lowers its priority there). */
    private final Runnable onPublicLoopThread;

    /** @param onPublicLoopThread run first on the public port's own thread (PublicLoop) */
    public BridgeVerticle(Runnable onPublicLoopThread) {
        this.onPublicLoopThread = onPublicLoopThread;
    }

    public BridgeVerticle() {
        this(() -> {});
    }
    /**
     * Connections registered for live log lines (the LogAggregator builds them only while any are)
     * and for other hosts' events (the cluster switch relays them only while any are).
     */
    private final FollowerCounts followers = new FollowerCounts(this::followersChanged);

    public int port() {
        return port;
    }

    /** The configured port when it was taken and a free one was chosen instead, else null. */
    public Integer portTaken() {
        return portTaken;
    }

    /** The owner's Unix socket once it listens (daemon.json's {@code socket}), else null. */
    public String ownerSocket() {
        return ownerSocket;
    }

    @Override
    public Future<?> start() {
        guard = new TokenGuard(config().getString("token"), config().getString("readOnlyToken"));
        limits = DoorLimits.from(config().getJsonObject("limits"));
        String host = config().getString("host", "127.0.0.1");
        rules = new FrameRules(guard, refusals, followers);
        ConnectionCap<NetSocket> cap = new ConnectionCap<>(limits.maxConnections(), ConnectionCap.afterReads(vertx));
        return listen(host, config().getInteger("port", 0), cap, 5)
                .compose(p -> listenForOwner(config().getString("cliSocket")));
    }

    /**
     * The owner's door: a Unix socket in JPM_HOME that only the daemon's user can open (0600 in the 0700
     * home), where every connection is admin without a token (the file permissions are the credential,
     * as for pm2's rpc.sock), with the same guard but outside the TCP port's connection cap, so a local
     * user who fills that cap never locks the operator's {@code jpm} out (the CLI tries this socket
     * first). A socket that cannot be had costs one line and leaves the TCP port, with its tokens.
     */
    private Future<Void> listenForOwner(String path) {
        if (path == null) {
            return Future.succeededFuture();
        }
        String adminToken = config().getString("token");
        NetServer server = vertx.createNetServer();
        server.connectHandler(client -> accept(client, null, adminToken));
        // bind() makes the file itself and never follows a link: a link or file planted at the path
        // (only the owner can, in the 0700 home) makes it fail, and the daemon removed any at start
        return server.listen(SocketAddress.domainSocketAddress(path))
                .map(s -> {
                    cliServer = s;
                    // not the TCP port's cap (nothing here is evicted), but a bound all the same: a
                    // client of the owner's that churns connections costs at most this many at once
                    AcceptLimit.apply(s, OWNER_CONNECTIONS, "bridge (" + path + ")");
                    ownerSocket = path;
                    SocketFile.ownerOnly(Path.of(path));
                    return (Void) null;
                })
                .recover(err -> {
                    LOG.warning(() -> "bridge: no Unix socket at " + path + " (" + err.getMessage()
                            + "): clients connect to the TCP port with a token");
                    return Future.succeededFuture();
                });
    }

    /**
     * Listens on the configured port, or on a free one when it is 0 (chosen first so daemon.json can
     * tell it, and chosen again should another process take it in between). A configured port that
     * is taken (another daemon's, another program's) costs one line, and a free port is taken
     * instead: daemon.json tells which, and {@code bridgePortTaken} the one that was wanted.
     */
    private Future<Integer> listen(String host, int configured, ConnectionCap<NetSocket> cap, int attempts) {
        int chosen;
        try {
            chosen = configured != 0 ? configured : freePort(host);
        } catch (IOException e) {
            return Future.failedFuture("bridge: cannot listen on " + host + ": " + e.getMessage());
        }
        // TLS, when jpm.json's bridge section has a key and cert: the guard then reads decrypted frames
        NetServer server = vertx.createNetServer(
                ServerTls.apply(new NetServerOptions().setHost(host).setPort(chosen), config()));
        server.connectHandler(client -> accept(client, cap, null));
        // the port listens from an event loop of its own: a flood of hostile connections then queues
        // there, not ahead of jpm.sock's frames or God's replies
        if (publicLoop == null) {
            publicLoop = PublicLoop.start(vertx, onPublicLoopThread);
        }
        Promise<NetServer> listening = Promise.promise();
        publicLoop.context().runOnContext(v -> server.listen().onComplete(listening));
        return listening
                .future()
                .map(s -> {
                    guardServer = s;
                    AcceptLimit.apply(s, limits.maxConnections() + AcceptLimit.SLACK, "bridge");
                    port = chosen;
                    return chosen;
                })
                .recover(err -> {
                    if (configured == 0 && attempts > 1) {
                        return listen(host, configured, cap, attempts - 1);
                    }
                    if (configured != 0 && inUse(err)) {
                        portTaken = configured;
                        LOG.warning(
                                () -> "bridge: port " + configured + " on " + host + " is taken (" + err.getMessage()
                                        + "): listening on a free port instead (daemon.json's bridgePort; jpm.json bridge.port"
                                        + " or JPM_BRIDGE_PORT choose another)");
                        return listen(host, 0, cap, attempts);
                    }
                    return Future.failedFuture(
                            "bridge: cannot listen on " + host + ":" + chosen + ": " + err.getMessage());
                });
    }

    private static boolean inUse(Throwable err) {
        return err instanceof BindException
                || err.getMessage() != null && err.getMessage().contains("Address already in use");
    }

    /** A new client's connection: counted against the cap (none on the CLI's socket), then guarded. */
    private void accept(NetSocket client, ConnectionCap<NetSocket> cap, String ownerToken) {
        if (cap != null && !cap.admit(client, () -> evict(client))) {
            refusals.refused(
                    () -> "bridge: refused a connection from " + client.remoteAddress() + ": " + limits.maxConnections()
                            + " authenticated connections are open (jpm.json bridge.max_connections)");
            client.close();
            return;
        }
        Door door = new Door(
                vertx,
                guard,
                limits,
                refusals,
                rules,
                c -> {
                    if (cap != null) {
                        cap.authenticated(c);
                    }
                },
                c -> {
                    if (cap != null) {
                        cap.closed(c);
                    }
                    clientClosed(c);
                },
                ownerToken);
        clients.put(client, FrameGuard.join(client, door));
    }

    /**
     * The oldest connection without a valid token makes room for newer ones past the cap. Its err is
     * UNAVAILABLE (try a new connection), not FORBIDDEN: a client whose token was still on its way
     * (written late by a process waiting for a core) reads it as the answer to that token, and must
     * not take it for its token refused and go on over a connection that is closing.
     */
    private void evict(NetSocket client) {
        FrameGuard frames = clients.get(client);
        if (frames != null) {
            frames.refuseAndClose(
                    "closed: " + limits.maxConnections() + " connections are open (jpm.json bridge.max_connections)"
                            + " and this one has shown no valid token",
                    JpmError.UNAVAILABLE);
        }
    }

    private static int freePort(String host) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }

    private void followersChanged(String address, int count) {
        if (Addresses.EVENTS_METRICS.equals(address)) {
            // Satan reads /proc each second only while someone follows the figures
            vertx.eventBus()
                    .publish(
                            Addresses.INTERNAL_METRICS_FOLLOWERS,
                            new JsonObject().put("count", count).put("source", "bridge"),
                            LocalBus.only());
        } else if (Addresses.EVENTS_LOG.equals(address)) {
            vertx.eventBus()
                    .publish(
                            Addresses.INTERNAL_LOGS_LISTENERS,
                            new JsonObject().put("count", count).put("source", "bridge"),
                            LocalBus.only());
        } else {
            vertx.eventBus()
                    .publish(
                            Addresses.INTERNAL_CLUSTER_FOLLOWS,
                            new JsonObject()
                                    .put("address", address)
                                    .put("count", count)
                                    .put("source", FollowTotals.DEFAULT_SOURCE),
                            LocalBus.only());
        }
    }

    private void clientClosed(NetSocket client) {
        clients.remove(client);
        if (clients.isEmpty() && allClosed != null) {
            allClosed.tryComplete();
        }
    }

    /**
     * Each client's connection ends after what was written to it (the events of the apps' stops, when
     * the daemon stops), and only then (or after {@link #CLIENTS_CLOSE_MS}) the doors close, which
     * would cut them.
     */
    @Override
    public Future<?> stop() {
        allClosed = Promise.promise();
        List.copyOf(clients.values()).forEach(FrameGuard::end);
        if (clients.isEmpty()) {
            allClosed.tryComplete();
        }
        long timer = vertx.setTimer(CLIENTS_CLOSE_MS, t -> allClosed.tryComplete());
        return allClosed
                .future()
                .onComplete(v -> vertx.cancelTimer(timer))
                .transform(ar -> cliServer == null ? Future.<Void>succeededFuture() : cliServer.close())
                .andThen(ar -> SocketFile.remove(ownerSocket))
                .transform(ar -> guardServer == null ? Future.<Void>succeededFuture() : guardServer.close())
                .transform(ar -> publicLoop == null ? Future.<Void>succeededFuture() : publicLoop.close());
    }
}
