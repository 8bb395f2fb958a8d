package io.jpm.balancer;

import io.jpm.verticle.SharedPortExit;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * HTTP mode ({@code balance: "http"}): an HTTP/1.1 reverse proxy (the request path is
 * {@link HttpForward}). It runs one lane per Vert.x event loop: a server on the public port and a
 * client with its own pool of kept-alive connections to the instances, both on that loop. Inside one
 * Vert.x, servers on the same host:port share the socket and the acceptor spreads the connections
 * over their loops, so the proxy uses every core the daemon has instead of one, and a request never
 * crosses from one loop to another (its upstream connection belongs to the loop that took it). What
 * the lanes share, the rotation and the counts, is thread-safe ({@link BalancedApp}).
 */
final class HttpFrontend implements Frontend {
  private final Vertx vertx;
  private final BalancedApp app;
  private final Supplier<HttpClient> clients;
  private final List<Lane> lanes = new ArrayList<>();
  private static final java.util.concurrent.atomic.AtomicInteger RANDOM_PORT_KEYS = new java.util.concurrent.atomic.AtomicInteger();

  /** One event loop's share: its context, its server, its client. */
  private record Lane(ContextInternal context, HttpServer server, HttpClient client) {}

  /** @param clients makes one upstream client per lane (each keeps its own pool) */
  HttpFrontend(Vertx vertx, BalancedApp app, Supplier<HttpClient> clients) {
    this.vertx = vertx;
    this.app = app;
    this.clients = clients;
  }

  @Override
  public Future<Integer> listen() {
    VertxInternal internal = (VertxInternal) vertx;
    for (EventExecutor loop : internal.nettyEventLoopGroup()) {
      ContextInternal context = internal.contextBuilder().withThreadingModel(ThreadingModel.EVENT_LOOP)
          .withEventLoop((EventLoop) loop).build();
      HttpClient client = clients.get();
      // HTTP/1.1 only: no h2c upgrade by the frontend itself (an instance gets HTTP/1.1 either way,
      // and a client's "Upgrade: h2c" offer is simply not taken, as nginx does)
      HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(app.host).setPort(app.port)
          .setTcpNoDelay(true).setReuseAddress(true).setHttp2ClearTextEnabled(false));
      server.requestHandler(new HttpForward(app, client));
      lanes.add(new Lane(context, server, client));
    }
    // port 0 (tests) asks for any free port: Vert.x shares one random port between servers that
    // listen on the same negative number, so each frontend takes a number of its own
    int port = app.port != 0 ? app.port : -RANDOM_PORT_KEYS.incrementAndGet();
    List<Future<Integer>> bound = new ArrayList<>();
    for (Lane lane : lanes) {
      bound.add(listen(lane, port));
    }
    return Future.all(bound).map(all -> all.<Integer>resultAt(0));
  }

  /** A server's handler runs on the context it listened from: each lane listens on its own. */
  private Future<Integer> listen(Lane lane, int port) {
    Promise<Integer> bound = Promise.promise();
    // listen(port) alone would bind every interface (Vert.x's default host), whatever the options say
    lane.context.runOnContext(v -> lane.server.listen(port, app.host).map(HttpServer::actualPort).onComplete(bound));
    return bound.future();
  }

  @Override
  public Future<Void> close() {
    return onEachLane(lane -> lane.server.close().eventually(() -> lane.client.close()));
  }

  @Override
  public Future<Void> shutdown(long graceMs) {
    // the public port stays open (shared with the successor): each lane leaves it without dropping a client
    return onEachLane(lane -> SharedPortExit.shutdown(vertx, lane.server,
        () -> lane.server.shutdown(graceMs, TimeUnit.MILLISECONDS)).eventually(() -> lane.client.close()));
  }

  private Future<Void> onEachLane(java.util.function.Function<Lane, Future<Void>> action) {
    List<Future<Void>> done = new ArrayList<>();
    for (Lane lane : lanes) {
      Promise<Void> promise = Promise.promise();
      lane.context.runOnContext(v -> action.apply(lane).onComplete(promise));
      done.add(promise.future());
    }
    return Future.join(done).mapEmpty();
  }
}
