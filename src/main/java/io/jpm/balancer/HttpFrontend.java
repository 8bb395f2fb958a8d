package io.jpm.balancer;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.EventExecutor;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * HTTP mode ({@code balance: "http"}): an HTTP/1.1 reverse proxy on Vert.x's HttpServer and
 * HttpClient. It runs one {@link HttpLane} per Vert.x event loop: a server on the public port and its
 * own kept-alive connections to the instances, both on that loop. Inside one Vert.x, servers on the
 * same host:port share the socket and the acceptor spreads the connections over their loops, so the
 * proxy uses every core the daemon has instead of one, and a request never crosses from one loop to
 * another (its upstream connection belongs to the loop that took it). What the lanes share, the
 * rotation and the counts, is thread-safe ({@link BalancedApp}).
 *
 * <p>Internal API, here only: a context per event loop ({@code VertxInternal.contextBuilder}). The
 * public API gives a verticle no context but its own; lanes deployed as verticles of their own would
 * be child deployments, undeployed with the balancer on Vert.x's schedule instead of drained by the
 * balancer's stop.
 */
final class HttpFrontend implements Frontend {
  private static final AtomicInteger RANDOM_PORT_KEYS = new AtomicInteger();

  private final Vertx vertx;
  private final BalancedApp app;
  private final Supplier<HttpLane> laneFactory;
  private final List<Running> lanes = new ArrayList<>();

  private record Running(ContextInternal context, HttpLane lane) {}

  /** @param laneFactory makes the lane of one event loop (called once per loop) */
  HttpFrontend(Vertx vertx, BalancedApp app, Supplier<HttpLane> laneFactory) {
    this.vertx = vertx;
    this.app = app;
    this.laneFactory = laneFactory;
  }

  @Override
  public Future<Integer> listen() {
    VertxInternal internal = (VertxInternal) vertx;
    for (EventExecutor loop : internal.nettyEventLoopGroup()) {
      ContextInternal context = internal.contextBuilder().withThreadingModel(ThreadingModel.EVENT_LOOP)
          .withEventLoop((EventLoop) loop).build();
      lanes.add(new Running(context, laneFactory.get()));
    }
    // port 0 (tests) asks for any free port: Vert.x shares one random port between servers that
    // listen on the same negative number, so each frontend takes a number of its own
    int port = app.port != 0 ? app.port : -RANDOM_PORT_KEYS.incrementAndGet();
    List<Future<Integer>> bound = new ArrayList<>();
    for (Running running : lanes) {
      Promise<Integer> listening = Promise.promise();
      // listen(port) alone would bind every interface (Vert.x's default host), whatever the options say
      running.context.runOnContext(v -> running.lane.listen(port, app.host).onComplete(listening));
      bound.add(listening.future());
    }
    return Future.all(bound).map(all -> all.<Integer>resultAt(0));
  }

  @Override
  public Future<Void> close() {
    return onEachLane(HttpLane::close);
  }

  @Override
  public Future<Void> shutdown(long graceMs) {
    return onEachLane(lane -> lane.shutdown(graceMs));
  }

  private Future<Void> onEachLane(Function<HttpLane, Future<Void>> action) {
    List<Future<Void>> done = new ArrayList<>();
    for (Running running : lanes) {
      Promise<Void> promise = Promise.promise();
      running.context.runOnContext(v -> action.apply(running.lane).onComplete(promise));
      done.add(promise.future());
    }
    return Future.join(done).mapEmpty();
  }
}
