package io.jpm.god;

import io.jpm.process.ProcessState;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A balanced app's zero-downtime reload, one instance at a time: start a new run beside the old one
 * (same NODE_APP_INSTANCE, a new pm_id and private port), wait until it is ready and in rotation,
 * take the old one out and let its connections finish (up to kill_timeout), then stop it. If the
 * new run never gets ready, it is stopped, the old one keeps serving and the reload fails (pm2
 * kills the old one anyway). Runs on God's event loop.
 */
final class RollingReload {
  /** Creates a replacement for an instance: same app, index and log files, added to the table. */
  interface Replacements {
    Instance replacementFor(Instance old);

    /** Takes an instance out of the table for good and announces it. */
    void retire(Instance instance);
  }

  private final Supervisor supervisor;
  private final BalancerLink balancer;
  private final Replacements replacements;
  /** Apps being reloaded: a second reload of the same app waits for none, it is refused. */
  private final Set<String> reloading = new HashSet<>();

  RollingReload(Supervisor supervisor, BalancerLink balancer, Replacements replacements) {
    this.supervisor = supervisor;
    this.balancer = balancer;
    this.replacements = replacements;
  }

  /** Replaces the instances in order; completes with the new instances, or fails at the first that cannot be. */
  Future<List<Instance>> run(List<Instance> instances, String reason) {
    String app = instances.get(0).name();
    if (!reloading.add(app)) {
      return Future.failedFuture(new JpmException(JpmError.INVALID_ARGUMENT,
          "a reload of '" + app + "' is already under way; wait for it to finish"));
    }
    return replaceAll(instances, reason).eventually(() -> {
      reloading.remove(app);
      return Future.succeededFuture();
    });
  }

  private Future<List<Instance>> replaceAll(List<Instance> instances, String reason) {
    List<Instance> replaced = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (Instance old : instances) {
      chain = chain.compose(v -> replace(old, reason)).map(fresh -> {
        replaced.add(fresh);
        return null;
      });
    }
    return chain.map(v -> replaced);
  }

  private Future<Instance> replace(Instance old, String reason) {
    if (!old.state().isActive()) {
      // nothing serves: there is nothing to keep up, a start is the reload
      return supervisor.restart(old, reason).map(old);
    }
    Instance fresh = replacements.replacementFor(old);
    return supervisor.start(fresh, reason)
        .compose(v -> fresh.state() == ProcessState.ONLINE ? fresh.ready
            : Future.failedFuture(new JpmException(JpmError.SPAWN_FAILED, fresh.lastReason)))
        .recover(e -> abandon(fresh, old, e))
        .compose(v -> balancer.leave(old, old.pid, old.config.policy().killTimeoutMs()))
        .compose(v -> supervisor.stop(old, reason + ": replaced by pm_id " + fresh.pmId))
        .map(v -> {
          replacements.retire(old);
          return fresh;
        });
  }

  /** The new run did not get ready: it goes, the old one stays in rotation, the reload fails. */
  private Future<Void> abandon(Instance fresh, Instance old, Throwable cause) {
    return supervisor.stop(fresh, "reload abandoned").eventually(() -> {
      replacements.retire(fresh);
      return Future.succeededFuture();
    }).transform(ar -> Future.failedFuture(new JpmException(JpmError.SPAWN_FAILED, "reload of '" + old.name()
        + "' failed: " + cause.getMessage() + "; pm_id " + old.pmId + " (pid " + old.pid + ") keeps serving")));
  }
}
