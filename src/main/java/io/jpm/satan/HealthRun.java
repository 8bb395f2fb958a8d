package io.jpm.satan;

import io.jpm.config.HealthCheck;
import io.jpm.protocol.HealthEvent;
import io.vertx.core.Vertx;
import java.util.Map;

/**
 * One run's health probe: probes every interval, ignores failures in the start period until the
 * first pass, counts failures in a row, and reports each change of verdict; at
 * {@code unhealthy_after} failures it reports unhealthy and stops (the restart starts a new run).
 * Runs on Satan's event loop.
 */
final class HealthRun {
  /** The first probe of a run comes this soon, so a balancer learns "healthy" early. */
  static final long FIRST_PROBE_MS = 250;

  /** Where verdicts go. */
  interface Listener {
    void verdict(HealthRun run, String status, String reason);
  }

  final int pid;
  final HealthCheck check;
  private final Vertx vertx;
  private final HealthProbes probes;
  private final Integer port;
  private final String cwd;
  private final Map<String, String> env;
  private final Listener listener;
  private final long startedAt = System.currentTimeMillis();
  private int failures;
  private String verdict;
  private long timer = -1;
  private boolean stopped;

  HealthRun(Vertx vertx, HealthProbes probes, int pid, HealthCheck check, Integer port, String cwd, Map<String, String> env,
      Listener listener) {
    this.vertx = vertx;
    this.probes = probes;
    this.pid = pid;
    this.check = check;
    this.port = port;
    this.cwd = cwd;
    this.env = env;
    this.listener = listener;
  }

  void start() {
    schedule(FIRST_PROBE_MS);
  }

  void stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private void schedule(long delay) {
    timer = vertx.setTimer(delay, t -> probe());
  }

  private void probe() {
    timer = -1;
    probes.probe(check, port, cwd, env).onComplete(ar -> {
      if (stopped) {
        return; // the run ended while probing
      }
      if (ar.succeeded()) {
        failures = 0;
        report(HealthEvent.HEALTHY, check.describe() + ": passed");
      } else if (verdict == null && System.currentTimeMillis() - startedAt < check.startPeriodMs()) {
        // still booting: a failure in the start period does not count
      } else if (++failures >= check.unhealthyAfter()) {
        stopped = true;
        report(HealthEvent.UNHEALTHY, "health " + check.describe() + ": " + ar.cause().getMessage() + " (" + failures + " in a row)");
        return;
      }
      schedule(check.intervalMs());
    });
  }

  private void report(String status, String reason) {
    if (!status.equals(verdict)) {
      verdict = status;
      listener.verdict(this, status, reason);
    }
  }
}
