package io.jpm.balancer;

import io.jpm.config.BalancerOptions.Balance;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One balanced app: its rotation, and the clients waiting for a ready instance. A frontend (TCP or
 * HTTP) asks it for an upstream per connection or request. Event-loop only.
 */
final class BalancedApp {
  /** Something to do with one upstream (re-probe it, publish about it). */
  interface Events {
    void publish(String event, Upstream upstream, String detail);
  }

  final String name;
  final String host;
  final int port;
  final Balance balance;
  final Rotation rotation = new Rotation();
  private final Vertx vertx;
  private final Events events;
  private final Consumer<Upstream> reprobe;
  private final Deque<Waiter> waiters = new ArrayDeque<>();
  private long queueTimeoutMs;
  Frontend frontend;

  /** A client waiting for a ready instance it has not tried yet. */
  private record Waiter(Promise<Upstream> promise, Set<Upstream> tried, long timer) {}

  BalancedApp(Vertx vertx, String name, String host, int port, Balance balance, long queueTimeoutMs,
      Events events, Consumer<Upstream> reprobe) {
    this.vertx = vertx;
    this.name = name;
    this.host = host;
    this.port = port;
    this.balance = balance;
    this.queueTimeoutMs = queueTimeoutMs;
    this.events = events;
    this.reprobe = reprobe;
  }

  void queueTimeoutMs(long ms) {
    this.queueTimeoutMs = ms;
  }

  /**
   * A ready upstream not yet tried by this client; when none is ready, waits for one up to the
   * queue timeout (then fails: the frontend closes the client).
   */
  Future<Upstream> acquire(Set<Upstream> tried) {
    Upstream upstream = rotation.pick(balance, tried);
    if (upstream != null) {
      return Future.succeededFuture(take(upstream));
    }
    Promise<Upstream> promise = Promise.promise();
    long timer = vertx.setTimer(Math.max(1, queueTimeoutMs), t -> {
      waiters.removeIf(w -> w.promise == promise);
      events.publish("no_instance", null, "no ready instance within " + queueTimeoutMs + " ms: client closed");
      promise.tryFail("no ready instance of " + name + " within " + queueTimeoutMs + " ms");
    });
    waiters.add(new Waiter(promise, tried, timer));
    return promise.future();
  }

  private Upstream take(Upstream upstream) {
    upstream.active++;
    upstream.served++;
    upstream.recent.add(System.currentTimeMillis());
    return upstream;
  }

  /** An upstream became ready: hand it (or others) to the clients waiting, in arrival order. */
  void serveWaiters() {
    int n = waiters.size();
    for (int k = 0; k < n; k++) {
      Waiter waiter = waiters.poll();
      Upstream upstream = rotation.pick(balance, waiter.tried);
      if (upstream == null) {
        waiters.add(waiter);
        continue;
      }
      vertx.cancelTimer(waiter.timer);
      waiter.promise.tryComplete(take(upstream));
    }
  }

  /**
   * A connection to this upstream failed before any byte was sent: out of rotation until its port
   * accepts again (a crash God has not seen yet, or an instance that closed its listener).
   */
  void connectFailed(Upstream upstream, Throwable cause) {
    upstream.release();
    events.publish("retry", upstream, "connect failed (" + cause.getMessage() + "): trying another instance");
    if (upstream.state() == Upstream.State.READY) {
      upstream.moveTo(Upstream.State.PROBING);
      events.publish("out", upstream, "not accepting: out of rotation until it accepts again");
      reprobe.accept(upstream);
    }
  }

  /**
   * A request sent on a kept-alive connection got no answer (the instance closed that connection):
   * the instance may be fine, so it stays in rotation; the request goes elsewhere.
   */
  void sendFailed(Upstream upstream, Throwable cause) {
    upstream.release();
    events.publish("retry", upstream, "no answer (" + cause.getMessage() + "): trying another instance");
  }

  /** Fails every waiting client (the app's port is closing). */
  void failWaiters() {
    Waiter waiter;
    while ((waiter = waiters.poll()) != null) {
      vertx.cancelTimer(waiter.timer);
      waiter.promise.tryFail("balancer closing for " + name);
    }
  }
}
