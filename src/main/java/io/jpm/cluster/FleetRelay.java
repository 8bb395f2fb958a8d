package io.jpm.cluster;

import io.jpm.verticle.RelayRoute;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.net.TrustOptions;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The way from one member's front to another member's instance of a fleet app (docs/CLUSTER.md, "One
 * port for the fleet"). Instances listen on loopback only; each member's daemon serves a relay on its
 * {@code relay_port}, with the event bus's mutual TLS (cluster.p12 or the user's PEM files: only a
 * member gets in), that takes an HTTP/1.1 {@code CONNECT 127.0.0.1:<port>} (RFC 9110's tunnel, no
 * protocol of jpm's own) to one of its own fleet instances and then carries the bytes both ways. A
 * front reaches a remote instance through a {@link #tunnel}: a listener on its own loopback whose
 * every connection is such a CONNECT, so the balancer treats the instance as one more loopback port.
 */
final class FleetRelay {
    private static final Logger LOG = Logger.getLogger("jpm.cluster");
    /** A CONNECT's head (or its answer) longer than this is no relay's: closed. */
    private static final int MAX_HEAD = 4096;

    private static final int CONNECT_TIMEOUT_MS = 2000;

    private final Vertx vertx;
    private final NetClient loopback;
    private final NetClient members;
    private NetServer server;
    /** The local instance ports a CONNECT may reach: this member's ready fleet instances. */
    private volatile Set<Integer> allowed = Set.of();
    /** The members' connections to this member's instances open now (an update waits for them). */
    private final java.util.concurrent.atomic.AtomicInteger open = new java.util.concurrent.atomic.AtomicInteger();

    /** The client side of the cluster's TLS for the balancer's own connections to other relays ({@link #route}). */
    private final Future<SslContext> memberTls;

    private FleetRelay(Vertx vertx, EventBusOptions tls) {
        this.vertx = vertx;
        KeyCertOptions key = tls.getKeyCertOptions().copy();
        TrustOptions trust = tls.getTrustOptions().copy();
        this.memberTls = vertx.executeBlocking(
                () -> SslContextBuilder.forClient()
                        .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                        // members show the cluster's certificate (or one its CA signed), not one naming their host
                        .endpointIdentificationAlgorithm(null)
                        .keyManager(key.getKeyManagerFactory(vertx))
                        .trustManager(trust.getTrustManagerFactory(vertx))
                        .build(),
                false);
        memberTls.onFailure(e -> LOG.warning(() -> "fleet relay: no TLS for the balancer's own connections ("
                + e.getMessage() + "): other members' instances are reached through a loopback listener"));
        this.loopback = vertx.createNetClient(
                new NetClientOptions().setConnectTimeout(CONNECT_TIMEOUT_MS).setTcpNoDelay(true));
        this.members = vertx.createNetClient(new NetClientOptions()
                .setConnectTimeout(CONNECT_TIMEOUT_MS)
                .setTcpNoDelay(true)
                .setSsl(true)
                .setSslEngineOptions(engine())
                // members show the cluster's certificate (or one its CA signed), not one naming their host
                .setHostnameVerificationAlgorithm("")
                .setKeyCertOptions(tls.getKeyCertOptions().copy())
                .setTrustOptions(tls.getTrustOptions().copy()));
    }

    /**
     * The relay on {@code host:port}, TLS with client authentication required as the event bus. A
     * port that cannot be bound is said in daemon.log: this member's fleet instances are then served
     * by its own front only.
     */
    static FleetRelay open(Vertx vertx, EventBusOptions tls, String host, int port) {
        FleetRelay relay = new FleetRelay(vertx, tls);
        NetServerOptions options = new NetServerOptions()
                .setTcpNoDelay(true)
                .setSsl(true)
                .setSslEngineOptions(engine())
                .setClientAuth(ClientAuth.REQUIRED)
                .setKeyCertOptions(tls.getKeyCertOptions().copy())
                .setTrustOptions(tls.getTrustOptions().copy());
        relay.server = vertx.createNetServer(options).connectHandler(relay::served);
        vertx.executeBlocking(() -> InetAddress.getByName(host).getHostAddress(), false)
                .compose(ip -> relay.server.listen(port, ip))
                .onSuccess(s -> LOG.info(() -> "fleet relay (TLS) on " + host + ":" + s.actualPort()))
                .onFailure(e -> LOG.warning(() -> "the fleet relay cannot listen on " + host + ":" + port + " ("
                        + e.getMessage() + "): other members' fronts do not reach this member's fleet instances"));
        return relay;
    }

    /**
     * BoringSSL (Netty's tcnative) where it loads: a relayed request's TLS costs a fraction of the
     * JDK's SSLEngine's (bench/fleet.sh); the JDK's elsewhere (another architecture), said once.
     */
    private static SSLEngineOptions engine() {
        if (OpenSSLEngineOptions.isAvailable()) {
            return new OpenSSLEngineOptions();
        }
        if (!saidJdk) {
            saidJdk = true;
            LOG.info("fleet relay: BoringSSL did not load here: the JDK's TLS");
        }
        return new JdkSSLEngineOptions();
    }

    private static volatile boolean saidJdk;

    void allow(Set<Integer> ports) {
        allowed = Set.copyOf(ports);
    }

    /** How many members' connections to this member's instances are open. */
    int open() {
        return open.get();
    }

    /**
     * A member's CONNECT to one of this member's fleet instances: 200 and the bytes both ways, or
     * refused. Before it, any number of {@code OPTIONS *} (RFC 9110's question to the server itself),
     * each answered 200: the other members' fronts ask so every {@code RelayWatch.ASK_EVERY_MS} to
     * know this member still answers, faster than the cluster's heartbeat says it is gone.
     */
    private void served(NetSocket member) {
        served(member, Buffer.buffer());
    }

    private void served(NetSocket member, Buffer before) {
        readHead(member, before, (head, rest) -> {
            if (head.startsWith("OPTIONS * ")) {
                member.write(Buffer.buffer(ANSWERING));
                served(member, rest);
                return;
            }
            int port = connectPort(head);
            if (port <= 0 || !allowed.contains(port)) {
                refuse(member, "403 Forbidden");
                return;
            }
            loopback.connect(port, "127.0.0.1").onComplete(ar -> {
                if (ar.failed()) {
                    refuse(member, "502 Bad Gateway");
                    return;
                }
                NetSocket instance = ar.result();
                member.write(Buffer.buffer("HTTP/1.1 200 Connection established\r\n\r\n"));
                if (rest.length() > 0) {
                    instance.write(rest);
                }
                open.incrementAndGet();
                instance.closeHandler(v -> open.decrementAndGet());
                join(member, instance);
            });
        });
    }

    /** {@code CONNECT 127.0.0.1:<port> HTTP/1.1}: the port, or -1 for anything else. */
    static int connectPort(String head) {
        String line = head.lines().findFirst().orElse("");
        String[] words = line.split(" ");
        if (words.length != 3 || !"CONNECT".equals(words[0]) || !words[1].startsWith("127.0.0.1:")) {
            return -1;
        }
        try {
            return Integer.parseInt(words[1].substring("127.0.0.1:".length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void refuse(NetSocket member, String status) {
        member.end(Buffer.buffer("HTTP/1.1 " + status + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"));
    }

    /**
     * How this member's HTTP relay reaches {@code port} on the member at {@code relay} ({@code host:port})
     * itself: its address resolved (on a worker) and the cluster's TLS; fails when either cannot be had.
     */
    Future<RelayRoute> route(String relay, int port) {
        int colon = relay.lastIndexOf(':');
        String host = relay.substring(0, colon);
        int relayPort = Integer.parseInt(relay.substring(colon + 1));
        return memberTls.compose(tls -> vertx.executeBlocking(
                () -> new RelayRoute(new InetSocketAddress(InetAddress.getByName(host), relayPort), port, tls), false));
    }

    /** A loopback listener whose connections each reach {@code port} on the member at {@code relay}. */
    Future<NetServer> tunnel(String relay, int port) {
        int colon = relay.lastIndexOf(':');
        String host = relay.substring(0, colon);
        int relayPort = Integer.parseInt(relay.substring(colon + 1));
        return vertx.createNetServer(new NetServerOptions().setTcpNoDelay(true))
                .connectHandler(front -> through(front, host, relayPort, port))
                .listen(0, "127.0.0.1");
    }

    private void through(NetSocket front, String host, int relayPort, int port) {
        front.pause();
        boolean[] closed = {false};
        front.closeHandler(v -> closed[0] = true);
        members.connect(relayPort, host).onComplete(ar -> {
            if (ar.failed()) {
                front.close();
                return;
            }
            NetSocket member = ar.result();
            if (closed[0]) {
                member.close();
                return;
            }
            member.write(
                    Buffer.buffer("CONNECT 127.0.0.1:" + port + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n"));
            readHead(member, (head, rest) -> {
                if (!head.startsWith("HTTP/1.1 200")) {
                    member.close();
                    front.close();
                    return;
                }
                if (rest.length() > 0) {
                    front.write(rest);
                }
                join(front, member);
            });
        });
    }

    /** Bytes both ways until either side ends; each side's end closes the other. */
    private static void join(NetSocket a, NetSocket b) {
        a.closeHandler(null);
        a.pipeTo(b);
        b.pipeTo(a);
    }

    private static final String ANSWERING = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";

    /** Reads an HTTP head (up to the empty line), then pauses the socket and hands the head and what came after it. */
    private static void readHead(NetSocket socket, HeadHandler then) {
        readHead(socket, Buffer.buffer(), then);
    }

    /** The same, {@code seen} already read (what came after the head before). */
    private static void readHead(NetSocket socket, Buffer seen, HeadHandler then) {
        if (seen.length() > 0 && headRead(socket, seen, then)) {
            return; // a head already whole in what was read before: the socket stays paused
        }
        boolean[] done = {false};
        socket.handler(chunk -> {
            if (!done[0]) {
                seen.appendBuffer(chunk);
                done[0] = headRead(socket, seen, then);
            }
        });
        socket.resume();
    }

    /** Whether {@code seen} ended the reading: a whole head handed on (socket paused), or one too long (closed). */
    private static boolean headRead(NetSocket socket, Buffer seen, HeadHandler then) {
        String text = seen.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            if (seen.length() > MAX_HEAD) {
                socket.close();
                return true;
            }
            return false;
        }
        socket.pause();
        socket.handler(null);
        then.head(text.substring(0, end), seen.getBuffer(end + 4, seen.length()));
        return true;
    }

    private interface HeadHandler {
        void head(String head, Buffer rest);
    }

    Future<Void> close() {
        return Future.join(
                        server == null ? Future.succeededFuture() : server.close(), loopback.close(), members.close())
                .mapEmpty();
    }
}
