package io.jpm.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.BalancedAppSpec;
import io.jpm.protocol.UpstreamRequest;
import io.jpm.verticle.RelayRoute;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.File;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Another member's instance joined with a {@link RelayRoute}: the HTTP relay reaches it over TLS to
 * that member's relay and a CONNECT (a stand-in relay here, TLS on a key made by openssl), not through
 * the loopback port the join names (none listens there); a relay that refuses the CONNECT sends the
 * request to another instance. The balancer verticle alone, real sockets.
 */
@ExtendWith(VertxExtension.class)
class RelayRouteTest {
    private final List<JsonObject> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void deploy(Vertx vertx, VertxTestContext test) {
        ClusterBalancerVerticleTest.deployBalancer(vertx, events).onComplete(test.succeedingThenComplete());
    }

    /**
     * A relay as a member serves one: TLS, {@code OPTIONS *} answered 200 (the front's {@link RelayWatch}
     * asks), {@code CONNECT 127.0.0.1:<port>}, 200 and the bytes both ways when {@code allowed}, 403
     * otherwise; counts the CONNECTs it took.
     */
    private static Future<NetServer> relay(Vertx vertx, Path keys, boolean allowed, AtomicInteger connects) {
        return vertx.createNetServer(tls(keys))
                .connectHandler(member -> heads(member, () -> true, text -> {
                    connects.incrementAndGet();
                    int port = Integer.parseInt(text.substring("CONNECT 127.0.0.1:".length(), text.indexOf(' ', 8)));
                    if (!allowed) {
                        member.end(Buffer.buffer("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"));
                        return;
                    }
                    vertx.createNetClient().connect(port, "127.0.0.1").onSuccess(instance -> {
                        member.write(Buffer.buffer("HTTP/1.1 200 Connection established\r\n\r\n"));
                        pipe(member, instance);
                    });
                }))
                .listen(0, "127.0.0.1");
    }

    /**
     * Reads a member's heads: each {@code OPTIONS *} answered 200 while {@code answering} (and left
     * unanswered when not), the first other one (a CONNECT) handed to {@code connect}, the socket paused.
     */
    private static void heads(NetSocket member, BooleanSupplier answering, Consumer<String> connect) {
        StringBuilder seen = new StringBuilder();
        member.handler(chunk -> {
            seen.append(chunk.toString(StandardCharsets.ISO_8859_1));
            int end;
            while ((end = seen.indexOf("\r\n\r\n")) >= 0) {
                String head = seen.substring(0, end);
                seen.delete(0, end + 4);
                if (!head.startsWith("OPTIONS * ")) {
                    member.handler(null);
                    member.pause();
                    connect.accept(head);
                    return;
                }
                if (answering.getAsBoolean()) {
                    member.write(Buffer.buffer("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
                }
            }
        });
    }

    /** A stand-in relay's TLS: the key and certificate {@link #keys} made. */
    private static NetServerOptions tls(Path keys) {
        return new NetServerOptions()
                .setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions()
                        .setKeyPath(keys.resolve("relay.key").toString())
                        .setCertPath(keys.resolve("relay.crt").toString()));
    }

    private static void pipe(NetSocket a, NetSocket b) {
        a.pipeTo(b);
        b.pipeTo(a);
    }

    private static RelayRoute route(Path keys, NetServer relay, int instancePort) {
        try {
            return new RelayRoute(
                    new InetSocketAddress("127.0.0.1", relay.actualPort()),
                    instancePort,
                    SslContextBuilder.forClient()
                            .trustManager(InsecureTrustManagerFactory.INSTANCE)
                            .endpointIdentificationAlgorithm(null)
                            .build());
        } catch (javax.net.ssl.SSLException e) {
            throw new AssertionError(e);
        }
    }

    /** This host's own instance pid 2 on {@code port}, joined. */
    private static Future<JsonObject> joinLocal(Vertx vertx, int port) {
        return ClusterBalancerVerticleTest.send(
                vertx, Addresses.INTERNAL_BALANCER_JOIN, new UpstreamRequest("web", 2, 2, port, 5000, false, 0));
    }

    private static Future<JsonObject> joinRemote(Vertx vertx, int pid, RelayRoute route) {
        // port 1: nothing of this host listens there; only the route leads to the instance
        UpstreamRequest request = new UpstreamRequest("web", pid, pid, 1, 5000, false, 0, "web-2");
        return ClusterBalancerVerticleTest.send(
                vertx, Addresses.INTERNAL_BALANCER_JOIN, new RelayRoute.Join(request, route));
    }

    private static Future<Integer> open(Vertx vertx) {
        return ClusterBalancerVerticleTest.send(
                        vertx,
                        Addresses.INTERNAL_BALANCER_OPEN,
                        new BalancedAppSpec("web", "127.0.0.1", 0, "http", 3000, false))
                .map(data -> data.getInteger("port"));
    }

    private static Future<String> get(HttpClient client, int port) {
        return client.request(HttpMethod.GET, port, "127.0.0.1", "/x")
                .compose(r -> r.send())
                .compose(r -> r.body().map(body -> r.statusCode() + " " + body));
    }

    @Test
    void requestsGoOverTheRouteAndARefusedConnectGoesToAnotherInstance(Vertx vertx, VertxTestContext test)
            throws Exception {
        Path keys = keys();
        AtomicInteger taken = new AtomicInteger();
        AtomicInteger refused = new AtomicInteger();
        HttpClient client = vertx.createHttpClient();
        Future<HttpServer> remote = vertx.createHttpServer()
                .requestHandler(req -> req.response().end("remote " + req.path()))
                .listen(0, "127.0.0.1");
        Future.all(open(vertx), remote, relay(vertx, keys, true, taken), relay(vertx, keys, false, refused))
                .compose(all -> {
                    int port = all.resultAt(0);
                    int instance = all.<HttpServer>resultAt(1).actualPort();
                    return joinRemote(vertx, 7, route(keys, all.resultAt(2), instance))
                            .compose(v -> get(client, port))
                            .compose(first -> get(client, port).map(second -> List.of(first, second)))
                            // a second member whose relay refuses: its share goes to the first
                            .compose(two -> joinRemote(vertx, 8, route(keys, all.resultAt(3), instance))
                                    .compose(v -> Future.all(
                                            List.of(get(client, port), get(client, port), get(client, port))))
                                    .map(more -> List.of(two, more.list())));
                })
                .onComplete(test.succeeding(results -> test.verify(() -> {
                    assertEquals(List.of("200 remote /x", "200 remote /x"), results.get(0));
                    assertEquals(List.of("200 remote /x", "200 remote /x", "200 remote /x"), results.get(1));
                    assertTrue(taken.get() >= 1, "the route's relay took the CONNECT");
                    assertTrue(refused.get() >= 1, "the refusing relay was tried: " + events);
                    assertTrue(
                            events.stream()
                                    .anyMatch(e -> "retry".equals(e.getString("event")) && e.getInteger("pid") == 8),
                            events.toString());
                    test.completeNow();
                })));
    }

    /**
     * A member the cluster dropped (its link cut): its relay took the CONNECT and then nothing comes
     * back. Its leave with no drain closes the connection under the GET sent there, which goes to
     * another instance and is answered, not left waiting.
     */
    @Test
    void aGetInFlightToAMemberDroppedGoesToAnotherInstance(Vertx vertx, VertxTestContext test) throws Exception {
        Path keys = keys();
        AtomicInteger taken = new AtomicInteger();
        HttpClient client = vertx.createHttpClient();
        Future<HttpServer> local = vertx.createHttpServer()
                .requestHandler(req -> req.response().end("local " + req.path()))
                .listen(0, "127.0.0.1");
        Future.all(open(vertx), local, blackHole(vertx, keys, taken))
                .compose(all -> {
                    int port = all.resultAt(0);
                    RelayRoute cut = route(keys, all.resultAt(2), 9);
                    return joinRemote(vertx, 7, cut).compose(v -> {
                        Future<String> inFlight = get(client, port);
                        // once the GET is on its way to the member, another instance and the member's leave
                        return waitFor(vertx, () -> taken.get() > 0)
                                .compose(w -> joinLocal(
                                        vertx, all.<HttpServer>resultAt(1).actualPort()))
                                .compose(w -> ClusterBalancerVerticleTest.send(
                                        vertx,
                                        Addresses.INTERNAL_BALANCER_LEAVE,
                                        new UpstreamRequest("web", 7, 7, 1, 0, false, 0, "web-2")))
                                .compose(w -> inFlight);
                    });
                })
                .onComplete(test.succeeding(answer -> test.verify(() -> {
                    assertEquals("200 local /x", answer);
                    test.completeNow();
                })));
    }

    /** A relay whose member is cut off: it answers the CONNECT, then never a byte more. */
    private static Future<NetServer> blackHole(Vertx vertx, Path keys, AtomicInteger connects) {
        return silencing(vertx, keys, () -> true, connects, new AtomicInteger());
    }

    /**
     * A relay whose member falls silent when {@code answering} turns false: its questions are answered
     * only while it is true; a CONNECT is answered 200 (counted), then its requests are read and never
     * answered; {@code closed} counts the CONNECTed connections closed by the front.
     */
    private static Future<NetServer> silencing(
            Vertx vertx, Path keys, BooleanSupplier answering, AtomicInteger connects, AtomicInteger closed) {
        return vertx.createNetServer(tls(keys))
                .connectHandler(member -> heads(member, answering, connect -> {
                    member.write(Buffer.buffer("HTTP/1.1 200 Connection established\r\n\r\n"));
                    connects.incrementAndGet();
                    member.closeHandler(v -> closed.incrementAndGet());
                    member.handler(request -> {}); // read, never answered
                    member.resume();
                }))
                .listen(0, "127.0.0.1");
    }

    /**
     * A member whose relay stops answering (its link cut, its daemon stopped) while the cluster still
     * counts it in: after {@link RelayWatch#SILENT_AFTER_MS} its instance leaves the rotation, a GET
     * waiting there is answered by another instance, a POST waiting there is left to wait (the member
     * may only be slow); once the relay answers again the instance is back. No leave was sent.
     */
    @Test
    void aMemberWhoseRelayFallsSilentLeavesTheRotationUntilItAnswers(Vertx vertx, VertxTestContext test)
            throws Exception {
        Path keys = keys();
        AtomicBoolean answering = new AtomicBoolean(true);
        AtomicInteger taken = new AtomicInteger();
        AtomicInteger closed = new AtomicInteger();
        HttpClient client = vertx.createHttpClient();
        Future<HttpServer> local = vertx.createHttpServer()
                .requestHandler(req -> req.response().end("local " + req.path()))
                .listen(0, "127.0.0.1");
        Future.all(open(vertx), local, silencing(vertx, keys, answering::get, taken, closed))
                .compose(all -> {
                    int port = all.resultAt(0);
                    RelayRoute route = route(keys, all.resultAt(2), 9);
                    return joinRemote(vertx, 7, route).compose(v -> {
                        Future<String> get = get(client, port);
                        client.request(HttpMethod.POST, port, "127.0.0.1", "/y").compose(r -> r.send("a body"));
                        return waitFor(vertx, () -> taken.get() >= 2)
                                .compose(w -> joinLocal(
                                        vertx, all.<HttpServer>resultAt(1).actualPort()))
                                .compose(w -> {
                                    answering.set(false);
                                    return get;
                                })
                                .compose(answer -> {
                                    int closedThen = closed.get();
                                    answering.set(true);
                                    return waitFor(vertx, () -> events.stream()
                                                    .filter(e ->
                                                            Integer.valueOf(7).equals(e.getInteger("pid"))
                                                                    && !"retry".equals(e.getString("event")))
                                                    .map(e -> e.getString("event"))
                                                    .toList()
                                                    .equals(List.of("ready", "out", "ready")))
                                            .map(w -> List.of(answer, String.valueOf(closedThen)));
                                });
                    });
                })
                .onComplete(test.succeeding(results -> test.verify(() -> {
                    assertEquals("200 local /x", results.get(0), events.toString());
                    assertEquals("1", results.get(1), "only the GET's connection was closed, not the POST's");
                    assertTrue(
                            events.stream()
                                    .anyMatch(e -> "out".equals(e.getString("event"))
                                            && e.getString("detail", "").contains("relay answered nothing")),
                            events.toString());
                    test.completeNow();
                })));
    }

    private static Future<Void> waitFor(Vertx vertx, java.util.function.BooleanSupplier done) {
        io.vertx.core.Promise<Void> promise = io.vertx.core.Promise.promise();
        vertx.setPeriodic(10, t -> {
            if (done.getAsBoolean()) {
                vertx.cancelTimer(t);
                promise.tryComplete();
            }
        });
        return promise.future();
    }

    /** A key and a self-signed certificate for the stand-in relay. */
    private static Path keys() throws Exception {
        Path dir = Files.createTempDirectory("jpm-route-tls-");
        Process p = new ProcessBuilder(
                        "openssl",
                        "req",
                        "-x509",
                        "-newkey",
                        "ec",
                        "-pkeyopt",
                        "ec_paramgen_curve:P-256",
                        "-nodes",
                        "-days",
                        "2",
                        "-subj",
                        "/CN=relay",
                        "-keyout",
                        "relay.key",
                        "-out",
                        "relay.crt")
                .directory(new File(dir.toString()))
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        return dir;
    }
}
