package io.jpm.balancer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.BalancedAppSpec;
import io.jpm.protocol.UpstreamRequest;
import io.jpm.verticle.LocalRecordCodec;
import io.vertx.core.AsyncResult;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The balancer verticle alone on a real event bus, with real sockets: instances are tiny servers
 * that answer their own name, and God's messages are sent by the test.
 */
@ExtendWith(VertxExtension.class)
class ClusterBalancerVerticleTest {
    private final List<JsonObject> events = new CopyOnWriteArrayList<>();
    /** Who listens on an instance's port, as the balancer is told (PortListenerTest reads the real one). */
    private static volatile PortListener.Holder listener = PortListener.Holder.INSTANCE;

    @BeforeEach
    void deploy(Vertx vertx, VertxTestContext test) {
        listener = PortListener.Holder.INSTANCE;
        deployBalancer(vertx, events).onComplete(test.succeedingThenComplete());
    }

    /** The balancer verticle with a 300 ms queue timeout; its events collected in {@code events}. */
    static Future<String> deployBalancer(Vertx vertx, List<JsonObject> events) {
        LocalRecordCodec.registerAll(vertx.eventBus()); // as the daemon does: God hands the balancer records
        vertx.eventBus().<JsonObject>consumer(Addresses.EVENTS_BALANCER, m -> events.add(m.body()));
        JsonObject config =
                new JsonObject().put("host", "test").put("balancer", new JsonObject().put("queue_timeout_ms", 300));
        return vertx.deployVerticle(
                new ClusterBalancerVerticle((port, pid) -> listener), new DeploymentOptions().setConfig(config));
    }

    /** An "instance": a server on a free port that answers every connection with its name. */
    private static Future<NetServer> instance(Vertx vertx, String name) {
        return vertx.createNetServer()
                .connectHandler(s -> s.end(Buffer.buffer(name)))
                .listen(0, "127.0.0.1");
    }

    static Future<JsonObject> send(Vertx vertx, String address, Object body) {
        return vertx.eventBus().<JsonObject>request(address, body).map(m -> m.body()
                .getJsonObject("data"));
    }

    private static Future<Integer> open(Vertx vertx, String app) {
        return send(
                        vertx,
                        Addresses.INTERNAL_BALANCER_OPEN,
                        new BalancedAppSpec(app, "127.0.0.1", 0, "round-robin", 3000, false))
                .map(data -> data.getInteger("port"));
    }

    private static Future<JsonObject> join(
            Vertx vertx, String app, int pid, int port, boolean health, long listenTimeoutMs) {
        return send(
                vertx,
                Addresses.INTERNAL_BALANCER_JOIN,
                new UpstreamRequest(app, pid, pid, port, listenTimeoutMs, health, 0));
    }

    /** App api's public port, and its instances a (pm_id 1) and b (pm_id 2). */
    private record Two(int port, NetServer a, NetServer b) {}

    /** App api opened, instances a and b joined: both ready. */
    private static Future<Two> twoReady(Vertx vertx) {
        return Future.all(open(vertx, "api"), instance(vertx, "a"), instance(vertx, "b"))
                .compose(all -> {
                    Two two = new Two(all.resultAt(0), all.resultAt(1), all.resultAt(2));
                    return Future.all(
                                    join(vertx, "api", 1, two.a().actualPort(), false, 5000),
                                    join(vertx, "api", 2, two.b().actualPort(), false, 5000))
                            .map(two);
                });
    }

    /** Connects to the public port and reads everything until the balancer or the instance closes. */
    private static Future<String> fetch(Vertx vertx, int port) {
        return vertx.createNetClient().connect(port, "127.0.0.1").compose(socket -> {
            Promise<String> all = Promise.promise();
            Buffer received = Buffer.buffer();
            socket.handler(received::appendBuffer);
            socket.closeHandler(v -> all.tryComplete(received.toString()));
            return all.future();
        });
    }

    @Test
    void spreadsConnectionsOverReadyInstancesAndCountsThem(Vertx vertx, VertxTestContext test) {
        twoReady(vertx)
                .compose(two -> {
                    int port = two.port();
                    return fetch(vertx, port)
                            .compose(first -> fetch(vertx, port).map(second -> first + second))
                            .compose(both -> send(vertx, Addresses.INTERNAL_BALANCER_STATS, new JsonObject())
                                    .map(stats -> {
                                        test.verify(() -> {
                                            assertEquals("ab", both);
                                            assertEquals(
                                                    1, stats.getJsonObject("1").getLong("served"));
                                            assertEquals(
                                                    1, stats.getJsonObject("2").getLong("bytes_out"));
                                            assertEquals(
                                                    "ready",
                                                    stats.getJsonObject("2").getString("state"));
                                        });
                                        return null;
                                    }));
                })
                .onComplete(test.succeedingThenComplete());
    }

    @Test
    void aConnectionToAnInstanceThatStoppedAcceptingGoesToAnotherBeforeAnyByte(Vertx vertx, VertxTestContext test) {
        twoReady(vertx)
                .compose(two -> {
                    int port = two.port();
                    return two.a()
                            .close()
                            .compose(v -> Future.all(fetch(vertx, port), fetch(vertx, port), fetch(vertx, port)))
                            .map(answers -> {
                                test.verify(() -> {
                                    assertEquals(List.of("b", "b", "b"), answers.list());
                                    assertTrue(
                                            events.stream()
                                                    .anyMatch(e -> "retry".equals(e.getString("event"))
                                                            && e.getInteger("pid") == 1),
                                            events.toString());
                                });
                                return null;
                            });
                })
                .onComplete(test.succeedingThenComplete());
    }

    @Test
    void withAHealthProbeAnInstanceIsReadyOnlyAfterItsFirstHealthyVerdict(Vertx vertx, VertxTestContext test) {
        Future.all(open(vertx, "api"), instance(vertx, "a"))
                .compose(all -> {
                    NetServer a = all.resultAt(1);
                    Future<JsonObject> joined = join(vertx, "api", 7, a.actualPort(), true, 30_000);
                    // the port accepts at once, yet the instance must wait for the verdict
                    return probingUntilHealthy(
                                    vertx,
                                    test,
                                    "7",
                                    new JsonObject().put("app", "api").put("pm_id", 7))
                            .compose(v -> joined)
                            .compose(v -> fetch(vertx, all.resultAt(0)));
                })
                .onComplete(answers(test, "a"));
    }

    @Test
    void aVerdictOnAReloadsOldRunDoesNotMakeTheNewRunOfThatPmIdReady(Vertx vertx, VertxTestContext test) {
        Future.all(open(vertx, "api"), instance(vertx, "new"))
                .compose(all -> {
                    NetServer fresh = all.resultAt(1);
                    // pm_id 7's new run (pid 71) joins while its old run (pid 70) still has the pm_id's probe verdicts
                    Future<JsonObject> joined = send(
                            vertx,
                            Addresses.INTERNAL_BALANCER_JOIN,
                            new UpstreamRequest("api", 7, 71, fresh.actualPort(), 30_000, true, 0));
                    healthy(
                            vertx,
                            new JsonObject().put("app", "api").put("pm_id", 7).put("pid", 70));
                    return probingUntilHealthy(
                                    vertx,
                                    test,
                                    "71",
                                    new JsonObject()
                                            .put("app", "api")
                                            .put("pm_id", 7)
                                            .put("pid", 71))
                            .compose(v -> joined)
                            .compose(v -> fetch(vertx, all.resultAt(0)));
                })
                .onComplete(answers(test, "new"));
    }

    /**
     * The instance's port is held by a socket bound but never listening: connecting to it is refused,
     * and no other process can take the port meanwhile (a port closed before the probe could be
     * reused by anything on the machine and answer it).
     */
    @Test
    void anInstanceThatNeverAcceptsFailsItsJoinAfterListenTimeout(Vertx vertx, VertxTestContext test)
            throws IOException {
        Socket reserved = new Socket();
        reserved.bind(new InetSocketAddress("127.0.0.1", 0));
        open(vertx, "api")
                .compose(port -> join(vertx, "api", 9, reserved.getLocalPort(), false, 200))
                .onComplete(ar -> closeQuietly(reserved))
                .onComplete(test.failing(e -> test.verify(() -> {
                    assertEquals(15, ((ReplyException) e).failureCode());
                    assertTrue(e.getMessage().contains("not ready within listen_timeout 200 ms"), e.getMessage());
                    // what the probes found: an app that refused, not a daemon that never tried
                    assertTrue(
                            e.getMessage()
                                    .matches("(?s).*never accepted; \\d+ attempts, the last: connection refused\\).*"),
                            e.getMessage());
                    test.completeNow();
                })));
    }

    /**
     * The private port accepts, but another process holds its listener (it took the port before the
     * instance could bind it): the instance is not put in rotation, the balancer says why once, and
     * the join fails at listen_timeout naming it. Before, any listener made the instance ready.
     */
    @Test
    void anInstanceWhosePortAnotherProcessListensOnIsNotReady(Vertx vertx, VertxTestContext test) {
        listener = PortListener.Holder.ANOTHER;
        Future.all(open(vertx, "api"), instance(vertx, "someone else"))
                .compose(
                        all -> join(vertx, "api", 11, all.<NetServer>resultAt(1).actualPort(), false, 500))
                .onComplete(test.failing(e -> test.verify(() -> {
                    assertTrue(e.getMessage().contains("another process listens there"), e.getMessage());
                    List<JsonObject> taken = events.stream()
                            .filter(ev -> "port_taken".equals(ev.getString("event")))
                            .toList();
                    assertEquals(1, taken.size(), events.toString());
                    assertTrue(taken.get(0).getString("detail").contains("not pid 11"), taken.toString());
                    test.completeNow();
                })));
    }

    /**
     * Another member's instance of a fleet app (a join with its node): ready at once, its host
     * having admitted it (its loopback end is the daemon's own listener, never the instance's), and
     * served; the stats name its node.
     */
    @Test
    void anotherMembersInstanceIsReadyAtOnceAndServed(Vertx vertx, VertxTestContext test) {
        listener = PortListener.Holder.ANOTHER;
        Future.all(open(vertx, "api"), instance(vertx, "remote"))
                .compose(all -> send(
                                vertx,
                                Addresses.INTERNAL_BALANCER_JOIN,
                                new UpstreamRequest(
                                        "api", 4, 7, all.<NetServer>resultAt(1).actualPort(), 500, false, 0, "web-2"))
                        .compose(v -> fetch(vertx, all.<Integer>resultAt(0))))
                .compose(answer -> send(vertx, Addresses.INTERNAL_BALANCER_STATS, new JsonObject())
                        .map(stats -> {
                            test.verify(() -> {
                                assertEquals("remote", answer);
                                assertEquals(
                                        "web-2", stats.getJsonObject("web-2/7").getString("node"));
                                assertEquals(4, stats.getJsonObject("web-2/7").getInteger("pm_id"));
                            });
                            return null;
                        }))
                .onComplete(test.succeedingThenComplete());
    }

    /**
     * Asserts that the balancer's stats show the instance {@code id} still probing, then publishes the
     * healthy verdict on {@code run}.
     */
    private static Future<Void> probingUntilHealthy(Vertx vertx, VertxTestContext test, String id, JsonObject run) {
        return send(vertx, Addresses.INTERNAL_BALANCER_STATS, new JsonObject()).map(stats -> {
            test.verify(() -> assertEquals("probing", stats.getJsonObject(id).getString("state")));
            healthy(vertx, run);
            return null;
        });
    }

    /** Completes the test once the client read {@code expected} through the balancer. */
    private static Handler<AsyncResult<String>> answers(VertxTestContext test, String expected) {
        return test.succeeding(answer -> test.verify(() -> {
            assertEquals(expected, answer);
            test.completeNow();
        }));
    }

    /**
     * App api opened with {@code instance} joined as pm_id (and pid) {@code id}; a client connected
     * through the balancer, once the balancer counts its connection.
     */
    private static Future<NetSocket> clientThrough(Vertx vertx, Future<NetServer> instance, int id) {
        return Future.all(open(vertx, "api"), instance).compose(all -> {
            int port = all.resultAt(0);
            NetServer server = all.resultAt(1);
            return join(vertx, "api", id, server.actualPort(), false, 5000)
                    .compose(v -> vertx.createNetClient().connect(port, "127.0.0.1"))
                    .compose(client -> connected(vertx, id).map(client));
        });
    }

    /** Publishes Satan's healthy verdict on the run {@code run} names (app, pm_id, and pid when given). */
    private static void healthy(Vertx vertx, JsonObject run) {
        vertx.eventBus()
                .publish(Addresses.EVENTS_HEALTH, run.put("status", "healthy").put("reason", "200 OK"));
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the test is over
        }
    }

    @Test
    void withNoInstanceReadyAClientWaitsUpToTheBoundThenIsClosed(Vertx vertx, VertxTestContext test) {
        open(vertx, "api")
                .compose(port -> fetch(vertx, port))
                .onComplete(test.succeeding(answer -> test.verify(() -> {
                    assertEquals("", answer);
                    assertTrue(
                            events.stream().anyMatch(e -> "no_instance".equals(e.getString("event"))),
                            events.toString());
                    test.completeNow();
                })));
    }

    @Test
    void leavingDrainsOpenConnectionsFirst(Vertx vertx, VertxTestContext test) {
        // an instance that keeps its connections open until told (the readiness probe's too)
        List<NetSocket> held = new CopyOnWriteArrayList<>();
        Future<NetServer> holder =
                vertx.createNetServer().connectHandler(held::add).listen(0, "127.0.0.1");
        clientThrough(vertx, holder, 3)
                .compose(client -> {
                    Future<JsonObject> left = send(
                            vertx,
                            Addresses.INTERNAL_BALANCER_LEAVE,
                            new UpstreamRequest("api", 3, 3, 0, 0, false, 30_000));
                    // the drain ends when the instance closes its last connection, not before
                    vertx.setPeriodic(20, t -> {
                        if (events.stream().anyMatch(e -> "draining".equals(e.getString("event")))) {
                            vertx.cancelTimer(t);
                            test.verify(() -> assertTrue(!left.isComplete(), "still draining"));
                            held.forEach(NetSocket::close);
                        }
                    });
                    return left;
                })
                .onComplete(test.succeeding(data -> test.verify(() -> {
                    assertEquals(true, data.getBoolean("drained"));
                    assertTrue(
                            events.stream().anyMatch(e -> "drained".equals(e.getString("event"))), events.toString());
                    test.completeNow();
                })));
    }

    @Test
    void tcpModeStopsReadingAClientWhoseInstanceDoesNotReadThenRelaysEveryByteBothWays(
            Vertx vertx, VertxTestContext test) {
        // an echo instance that reads nothing until told: what the client sends must pile up in the
        // kernel's buffers (the balancer stops reading it), not in the balancer's memory
        long limit = 128L * 1024 * 1024;
        List<NetSocket> held = new CopyOnWriteArrayList<>();
        Future<NetServer> echo = vertx.createNetServer()
                .connectHandler(s -> {
                    s.pause();
                    held.add(s);
                    s.handler(data -> {
                        s.write(data);
                        if (s.writeQueueFull()) {
                            s.pause();
                            s.drainHandler(v -> s.resume());
                        }
                    });
                })
                .listen(0, "127.0.0.1");
        Buffer chunk = Buffer.buffer(new byte[64 * 1024]);
        for (int i = 0; i < chunk.length(); i++) {
            chunk.setByte(i, (byte) i);
        }
        clientThrough(vertx, echo, 7)
                .compose(client -> {
                    Promise<Long> pushedBack = Promise.promise();
                    Promise<Long> echoed = Promise.promise();
                    long[] sent = {0};
                    long[] received = {0};
                    boolean[] order = {true};
                    client.handler(data -> {
                        for (int i = 0; i < data.length(); i++) {
                            order[0] &= data.getByte(i) == (byte) ((received[0] + i) % chunk.length());
                        }
                        received[0] += data.length();
                        if (pushedBack.future().isComplete() && received[0] == sent[0]) {
                            echoed.tryComplete(received[0]);
                        }
                    });
                    // the client writes whenever its socket drains: without back-pressure the balancer
                    // would read (and hold) all of it; with it, the balancer's count of bytes read from the
                    // client stops moving while the client's queue stays full
                    Runnable[] pump = new Runnable[1];
                    pump[0] = () -> {
                        while (!pushedBack.future().isComplete() && !client.writeQueueFull() && sent[0] < limit) {
                            client.write(chunk);
                            sent[0] += chunk.length();
                        }
                        if (sent[0] >= limit) {
                            pushedBack.tryFail("the client sent " + limit
                                    + " bytes to an instance that read none: no back-pressure");
                        } else {
                            client.drainHandler(v -> pump[0].run());
                        }
                    };
                    pump[0].run();
                    long[] lastRead = {-1};
                    int[] still = {0};
                    vertx.setPeriodic(50, t -> send(vertx, Addresses.INTERNAL_BALANCER_STATS, new JsonObject())
                            .onSuccess(stats -> {
                                long read = stats.getJsonObject("7").getLong("bytes_in");
                                still[0] = read == lastRead[0] && client.writeQueueFull() ? still[0] + 1 : 0;
                                lastRead[0] = read;
                                if (pushedBack.future().isComplete() || still[0] >= 3) {
                                    vertx.cancelTimer(t);
                                    pushedBack.tryComplete(sent[0]);
                                }
                            }));
                    return pushedBack
                            .future()
                            .compose(total -> {
                                held.forEach(NetSocket::resume);
                                return echoed.future();
                            })
                            .compose(total -> send(vertx, Addresses.INTERNAL_BALANCER_STATS, new JsonObject())
                                    .map(stats -> {
                                        test.verify(() -> {
                                            assertTrue(order[0], "bytes came back in order");
                                            assertEquals(sent[0], (long) total);
                                            assertEquals(
                                                    sent[0],
                                                    stats.getJsonObject("7").getLong("bytes_in"));
                                            assertEquals(
                                                    sent[0],
                                                    stats.getJsonObject("7").getLong("bytes_out"));
                                        });
                                        return null;
                                    }));
                })
                .onComplete(test.succeedingThenComplete());
    }

    @Test
    void httpModeRelaysBodiesBothWaysSmallAndLargeChunkedAndKnownLength(Vertx vertx, VertxTestContext test) {
        Buffer big = Buffer.buffer();
        for (int i = 0; i < 100_000; i++) {
            big.appendString("0123456789");
        }
        // an HTTP instance: POST echoes the body (chunked back), GET /big sends 1 MB with a length,
        // GET / a small answer, and it names the hop-by-hop headers it saw
        Future<HttpServer> upstream = vertx.createHttpServer()
                .requestHandler(req -> {
                    if (req.method() == HttpMethod.POST) {
                        req.body().onSuccess(body -> req.response()
                                .setChunked(true)
                                .end(Buffer.buffer("echo:").appendBuffer(body)));
                    } else if (req.path().equals("/big")) {
                        req.response().end(big);
                    } else {
                        req.response()
                                .putHeader("X-Saw-Forwarded-For", String.valueOf(req.getHeader("X-Forwarded-For")))
                                .putHeader("X-Saw-Keep-Alive", String.valueOf(req.getHeader("Keep-Alive")))
                                .end("small");
                    }
                })
                .listen(0, "127.0.0.1");
        Future<Integer> opened = send(
                        vertx,
                        Addresses.INTERNAL_BALANCER_OPEN,
                        new BalancedAppSpec("web", "127.0.0.1", 0, "http", 3000, false))
                .map(data -> data.getInteger("port"));
        HttpClient client = vertx.createHttpClient();
        Future.all(opened, upstream)
                .compose(all -> {
                    int port = all.resultAt(0);
                    HttpServer h = all.resultAt(1);
                    return join(vertx, "web", 5, h.actualPort(), false, 5000)
                            .compose(v -> client.request(HttpMethod.POST, port, "127.0.0.1", "/echo")
                                    .compose(r -> r.send(big))
                                    .compose(r -> r.body()))
                            .compose(echo -> client.request(HttpMethod.GET, port, "127.0.0.1", "/big")
                                    .compose(r -> r.send())
                                    .compose(r -> r.body())
                                    .map(body -> List.of(echo, body)))
                            .compose(two -> client.request(HttpMethod.GET, port, "127.0.0.1", "/")
                                    .compose(r -> r.putHeader("Keep-Alive", "timeout=5")
                                            .send())
                                    .compose(r -> r.body().map(body -> {
                                        test.verify(() -> {
                                            assertEquals(Buffer.buffer("echo:").appendBuffer(big), two.get(0));
                                            assertEquals(big, two.get(1));
                                            assertEquals("small", body.toString());
                                            assertEquals("127.0.0.1", r.getHeader("X-Saw-Forwarded-For"));
                                            assertEquals(
                                                    "null",
                                                    r.getHeader("X-Saw-Keep-Alive"),
                                                    "a hop-by-hop header is not forwarded");
                                        });
                                        return null;
                                    })));
                })
                .onComplete(test.succeedingThenComplete());
    }

    /** Polls the stats until the balancer holds one open connection to {@code pid}. */
    private static Future<Void> connected(Vertx vertx, int pid) {
        return send(vertx, Addresses.INTERNAL_BALANCER_STATS, new JsonObject()).compose(stats -> {
            JsonObject s = stats.getJsonObject(Integer.toString(pid));
            if (s != null && s.getLong("connections") == 1) {
                return Future.succeededFuture();
            }
            Promise<Void> later = Promise.promise();
            vertx.setTimer(20, t -> connected(vertx, pid).onComplete(later));
            return later.future();
        });
    }
}
