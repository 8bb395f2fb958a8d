package io.jpm.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.BalancedAppSpec;
import io.jpm.protocol.UpstreamRequest;
import io.jpm.testkit.Eventually;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * HTTP mode's Netty relay ({@link RelayLane}) on the edges a plain GET does not reach: pipelined
 * requests, an HTTP/1.0 client of a chunked answer, an instance that closes instead of answering,
 * a client too slow for a large answer, and a 503 with no instance ready. The balancer verticle
 * alone, real sockets, instances written here.
 */
@ExtendWith(VertxExtension.class)
class HttpRelayTest {
    /** How long after the leave began a late request comes: past any wait a busy client would think short. */
    private static final long LATE_MS = 500;

    private final List<JsonObject> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void deploy(Vertx vertx, VertxTestContext test) {
        ClusterBalancerVerticleTest.deployBalancer(vertx, events).onComplete(test.succeedingThenComplete());
    }

    private static Future<JsonObject> send(Vertx vertx, String address, Object body) {
        return ClusterBalancerVerticleTest.send(vertx, address, body);
    }

    private static Future<Integer> open(Vertx vertx) {
        return send(
                        vertx,
                        Addresses.INTERNAL_BALANCER_OPEN,
                        new BalancedAppSpec("web", "127.0.0.1", 0, "http", 3000, false))
                .map(data -> data.getInteger("port"));
    }

    private static Future<JsonObject> join(Vertx vertx, int pid, int port) {
        return send(
                vertx, Addresses.INTERNAL_BALANCER_JOIN, new UpstreamRequest("web", pid, pid, port, 5000, false, 0));
    }

    /** Writes {@code text} on a raw connection to the public port and reads until the relay closes it. */
    private static Future<String> raw(Vertx vertx, int port, String text) {
        return vertx.createNetClient().connect(port, "127.0.0.1").compose(socket -> {
            Promise<String> all = Promise.promise();
            Buffer received = Buffer.buffer();
            socket.handler(received::appendBuffer);
            socket.closeHandler(v -> all.tryComplete(received.toString()));
            socket.write(text);
            return all.future();
        });
    }

    /** An instance that answers its path back, chunked when asked with {@code /chunked}. */
    private static Future<HttpServer> echoPath(Vertx vertx) {
        return vertx.createHttpServer()
                .requestHandler(req -> {
                    if (req.path().startsWith("/chunked")) {
                        req.response().setChunked(true).write("path=").compose(v -> req.response()
                                .end(req.path()));
                    } else {
                        req.response().end("path=" + req.path());
                    }
                })
                .listen(0, "127.0.0.1");
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrderAndAnHttp10ClientGetsAChunkedAnswerWhole(
            Vertx vertx, VertxTestContext test) {
        Future.all(open(vertx), echoPath(vertx))
                .compose(all -> {
                    int port = all.resultAt(0);
                    return join(vertx, 1, all.<HttpServer>resultAt(1).actualPort())
                            .compose(v -> raw(
                                    vertx,
                                    port,
                                    "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n"
                                            + "GET /c HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                            .compose(pipelined -> raw(vertx, port, "GET /chunked HTTP/1.0\r\n\r\n")
                                    .map(old -> List.of(pipelined, old)));
                })
                .onComplete(test.succeeding(answers -> test.verify(() -> {
                    String pipelined = answers.get(0);
                    int a = pipelined.indexOf("path=/a");
                    int b = pipelined.indexOf("path=/b");
                    int c = pipelined.indexOf("path=/c");
                    assertTrue(a > 0 && b > a && c > b, pipelined);
                    String old = answers.get(1);
                    assertTrue(old.endsWith("\r\n\r\npath=/chunked"), "raw body, no chunk sizes: " + old);
                    assertTrue(
                            !old.toLowerCase().contains("transfer-encoding")
                                    && old.toLowerCase().contains("connection: close"),
                            old);
                    test.completeNow();
                })));
    }

    @Test
    void aGetIsRetriedWhenAnInstanceClosesWithoutAnsweringAPostIsNot(Vertx vertx, VertxTestContext test) {
        // "a" accepts (so it is ready) but closes every connection once a request comes
        Future<NetServer> closer = vertx.createNetServer()
                .connectHandler(s -> s.handler(data -> s.close()))
                .listen(0, "127.0.0.1");
        Future<HttpServer> good = vertx.createHttpServer()
                .requestHandler(req -> req.response().end("b"))
                .listen(0, "127.0.0.1");
        HttpClient client = vertx.createHttpClient();
        Future.all(open(vertx), closer, good)
                .compose(all -> {
                    int port = all.resultAt(0);
                    return join(vertx, 1, all.<NetServer>resultAt(1).actualPort())
                            .compose(v ->
                                    join(vertx, 2, all.<HttpServer>resultAt(2).actualPort()))
                            .compose(v -> Future.all(List.of(
                                    get(client, port), get(client, port), get(client, port), get(client, port))))
                            .compose(gets -> post(client, port)
                                    .compose(p1 -> post(client, port).map(p2 -> List.of(gets.list(), p1, p2))));
                })
                .onComplete(test.succeeding(results -> test.verify(() -> {
                    assertEquals(List.of("200 b", "200 b", "200 b", "200 b"), results.get(0));
                    assertTrue(
                            events.stream()
                                    .anyMatch(e -> "retry".equals(e.getString("event")) && e.getInteger("pid") == 1),
                            events.toString());
                    // least busy, in turn: one of two POSTs went to "a", which closed: 502, not sent again
                    assertTrue(List.of(results.get(1), results.get(2)).contains("502"), results.toString());
                    test.completeNow();
                })));
    }

    private static Future<String> get(HttpClient client, int port) {
        return client.request(HttpMethod.GET, port, "127.0.0.1", "/")
                .compose(r -> r.send())
                .compose(r -> r.body().map(body -> r.statusCode() + " " + body));
    }

    private static Future<Object> post(HttpClient client, int port) {
        return client.request(HttpMethod.POST, port, "127.0.0.1", "/")
                .compose(r -> r.send("data"))
                .map(r -> (Object) (r.statusCode() == 502 ? "502" : r.statusCode() + ""));
    }

    @Test
    void aClientTooSlowForALargeAnswerStopsTheInstanceNotTheDaemonsMemory(Vertx vertx, VertxTestContext test) {
        // beyond what the kernel's buffers on two loopback connections hold (a few MB each way)
        long limit = 64L * 1024 * 1024;
        Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
        Promise<Long> instanceBlocked = Promise.promise();
        long[] written = {0};
        // writes whenever its connection drains; if the relay read it all (into memory) it never stops
        Future<HttpServer> big = vertx.createHttpServer()
                .requestHandler(req -> {
                    req.response().setChunked(true);
                    Runnable[] pump = new Runnable[1];
                    pump[0] = () -> {
                        if (instanceBlocked.future().isComplete()) {
                            req.response().end(); // the client reads again: the answer ends
                            return;
                        }
                        while (!req.response().writeQueueFull() && written[0] < limit) {
                            req.response().write(chunk);
                            written[0] += chunk.length();
                        }
                        if (written[0] >= limit) {
                            instanceBlocked.tryFail("the instance wrote " + limit
                                    + " bytes to a client that read none: no back-pressure");
                        } else {
                            req.response().drainHandler(v -> pump[0].run());
                        }
                    };
                    pump[0].run();
                    // blocked: no byte more written over three looks 50 ms apart
                    long[] last = {-1};
                    int[] still = {0};
                    vertx.setPeriodic(50, t -> {
                        still[0] = written[0] == last[0] ? still[0] + 1 : 0;
                        last[0] = written[0];
                        if (still[0] >= 3 || instanceBlocked.future().isComplete()) {
                            vertx.cancelTimer(t);
                            instanceBlocked.tryComplete(written[0]);
                        }
                    });
                })
                .listen(0, "127.0.0.1");
        Future.all(open(vertx), big)
                .compose(all -> {
                    int port = all.resultAt(0);
                    return join(vertx, 1, all.<HttpServer>resultAt(1).actualPort())
                            .compose(v -> vertx.createNetClient().connect(port, "127.0.0.1"))
                            .compose(socket -> {
                                Promise<Long> received = Promise.promise();
                                long[] bytes = {0};
                                socket.pause(); // reads nothing until the instance is blocked
                                socket.handler(data -> {
                                    bytes[0] += data.length();
                                    if (data.toString().endsWith("0\r\n\r\n")) {
                                        received.tryComplete(bytes[0]);
                                    }
                                });
                                socket.closeHandler(v -> received.tryFail("closed after " + bytes[0] + " bytes"));
                                socket.write("GET /big HTTP/1.1\r\nHost: x\r\n\r\n");
                                return instanceBlocked.future().compose(w -> {
                                    socket.resume(); // the instance's drain handler ends the answer once it can write
                                    // again
                                    return received.future();
                                });
                            });
                })
                .onComplete(test.succeeding(bytes -> test.verify(() -> {
                    assertTrue(
                            bytes > written[0],
                            "every byte the instance wrote came through (" + bytes + " of " + written[0] + ")");
                    test.completeNow();
                })));
    }

    @Test
    void withNoInstanceReadyTheClientGets503NamingTheAppAndKeepsItsConnection(Vertx vertx, VertxTestContext test) {
        open(vertx)
                .compose(port -> raw(
                        vertx,
                        port,
                        "GET / HTTP/1.1\r\nHost: x\r\n\r\nGET /again HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
                .onComplete(test.succeeding(answer -> test.verify(() -> {
                    assertTrue(answer.startsWith("HTTP/1.1 503"), answer);
                    assertTrue(answer.contains("no instance of 'web' is ready (waited 300 ms)"), answer);
                    assertEquals(
                            2,
                            answer.split("HTTP/1.1 503", -1).length - 1,
                            "both requests answered on one connection: " + answer);
                    test.completeNow();
                })));
    }
    /**
     * A client starved between its connect and its request while the daemon leaves (stop 73's
     * simulation: one request of a load through a port whose daemon was being updated ended without
     * an answer): its connection, accepted before the leave, waits for that first request, and the
     * request is answered.
     */
    @Test
    void aConnectionWhoseFirstRequestComesAfterTheLeaveBeganIsAnswered(Vertx vertx, VertxTestContext test) {
        echoBehindPort(vertx)
                .compose(port -> vertx.createNetClient()
                        .connect(port, "127.0.0.1")
                        .compose(socket -> {
                            Promise<String> answer = Promise.promise();
                            Buffer received = Buffer.buffer();
                            socket.handler(received::appendBuffer);
                            socket.closeHandler(v -> answer.tryComplete(received.toString()));
                            return vertx.executeBlocking(() -> awaitAccepted(port))
                                    .compose(v -> {
                                        // its reply comes once the connections ended: not awaited
                                        send(vertx, Addresses.INTERNAL_BALANCER_LEAVING, new JsonObject());
                                        Promise<Void> sent = Promise.promise();
                                        // the scenario, not a wait for a state: the request comes a while after the
                                        // leave
                                        vertx.setTimer(
                                                LATE_MS, t -> socket.write("GET /late HTTP/1.1\r\nHost: x\r\n\r\n")
                                                        .onComplete(sent));
                                        return sent.future().compose(w -> answer.future());
                                    });
                        }))
                .onComplete(test.succeeding(answer -> test.verify(() -> {
                    assertTrue(answer.startsWith("HTTP/1.1 200"), "answered: '" + answer + "'");
                    assertTrue(answer.endsWith("path=/late"), answer);
                    test.completeNow();
                })));
    }

    /**
     * A kept-alive client's next request that comes a while after the daemon began to leave (the last
     * simulation of stop 74's fix: two requests of ProxyPortKillIT's kept-alive load ended without an
     * answer, their connections closed as idle for 100 ms while the requests were on their way): answered,
     * with {@code Connection: close}, and the connection ends after it.
     */
    @Test
    void aKeptAliveConnectionsNextRequestAfterTheLeaveBeganIsAnsweredWithConnectionClose(
            Vertx vertx, VertxTestContext test) {
        echoBehindPort(vertx)
                .compose(port -> vertx.createNetClient()
                        .connect(port, "127.0.0.1")
                        .compose(socket -> {
                            Promise<Void> first = Promise.promise();
                            Promise<String> answer = Promise.promise();
                            Buffer received = Buffer.buffer();
                            socket.handler(data -> {
                                received.appendBuffer(data);
                                if (received.toString().contains("path=/first")) {
                                    first.tryComplete();
                                }
                            });
                            socket.closeHandler(v -> answer.tryComplete(received.toString()));
                            return socket.write("GET /first HTTP/1.1\r\nHost: x\r\n\r\n")
                                    .compose(v -> first.future())
                                    .compose(v -> {
                                        send(vertx, Addresses.INTERNAL_BALANCER_LEAVING, new JsonObject());
                                        Promise<Void> sent = Promise.promise();
                                        // the scenario, not a wait for a state: the request comes a while after the
                                        // leave
                                        vertx.setTimer(
                                                LATE_MS, t -> socket.write("GET /next HTTP/1.1\r\nHost: x\r\n\r\n")
                                                        .onComplete(sent));
                                        return sent.future().compose(w -> answer.future());
                                    });
                        }))
                .onComplete(test.succeeding(answer -> test.verify(() -> {
                    String next = answer.substring(answer.indexOf("path=/first") + "path=/first".length());
                    assertTrue(next.startsWith("HTTP/1.1 200"), "the next request answered: '" + answer + "'");
                    assertTrue(next.toLowerCase(Locale.ROOT).contains("connection: close"), answer);
                    assertTrue(next.endsWith("path=/next"), answer);
                    test.completeNow();
                })));
    }

    /** The public port, once an instance that answers with its request's path has joined it. */
    private Future<Integer> echoBehindPort(Vertx vertx) {
        return Future.all(open(vertx), echoPath(vertx))
                .compose(all ->
                        join(vertx, 1, all.<HttpServer>resultAt(1).actualPort()).map(v -> all.<Integer>resultAt(0)));
    }

    /**
     * Blocks until the public port's accept queues are empty (/proc/net/tcp's rx_queue of its listeners):
     * the relay holds the connection, which a leave then finds, rather than the kernel's queue.
     */
    private static Void awaitAccepted(int port) {
        String local = String.format(Locale.ROOT, ":%04X", port);
        Eventually.until("the connection accepted by the relay", Eventually.TIMEOUT, () -> {
            try {
                // the JDK's and Netty's sockets are IPv6 ones where the host has IPv6 (127.0.0.1 mapped)
                List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("/proc/net/tcp")));
                lines.addAll(Files.readAllLines(Path.of("/proc/net/tcp6")));
                boolean listening = false;
                for (String line : lines) {
                    String[] f = line.trim().split("\\s+");
                    if (f.length > 4 && f[1].endsWith(local) && f[3].equals("0A")) {
                        listening = true;
                        if (!f[4].endsWith(":00000000")) {
                            return false;
                        }
                    }
                }
                return listening;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return null;
    }
}
