package io.jpm.god;

import io.jpm.verticle.Futures;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Restart and reload of many instances at once (a verb's targets, a file's apps, a hot reload):
 * pm2's {@code --parallel} limit, and reload's split between balanced apps, replaced one instance at
 * a time with no downtime ({@link RollingReload}), and the others, restarted as pm2 does. Runs on
 * God's event loop.
 */
final class Restarts {
    private final Supervisor supervisor;
    private final BalancerLink balancer;
    private final RollingReload rollingReload;

    Restarts(Supervisor supervisor, BalancerLink balancer, RollingReload rollingReload) {
        this.supervisor = supervisor;
        this.balancer = balancer;
        this.rollingReload = rollingReload;
    }

    /** Restarts at most {@code parallel} instances at a time; 0 restarts them all at once. */
    Future<List<Instance>> restart(List<Instance> instances, String reason, int parallel) {
        return Futures.eachAtMost(instances, parallel, i -> supervisor.restart(i, reason))
                .map(v -> instances);
    }

    /**
     * pm2's reload: balanced apps are replaced one instance at a time; fork apps without a port are
     * restarted (at most {@code parallel} at a time), as pm2 does. Hot reload of a changed app and
     * Satan's restart of an unhealthy balanced instance come here too: the app's public port is
     * (re)opened first, as it may have changed.
     */
    Future<List<Instance>> reload(List<Instance> instances, String reason, int parallel) {
        Map<String, List<Instance>> balancedApps = new LinkedHashMap<>();
        List<Instance> forks = new ArrayList<>();
        for (Instance instance : instances) {
            if (BalancerLink.balanced(instance) || SocketShare.shares(instance)) {
                balancedApps
                        .computeIfAbsent(instance.name(), k -> new ArrayList<>())
                        .add(instance);
            } else {
                forks.add(instance);
            }
        }
        List<Future<List<Instance>>> done = new ArrayList<>();
        done.add(restart(forks, reason, parallel));
        balancedApps
                .values()
                .forEach(app ->
                        done.add(balancer.open(app.get(0).config()).compose(v -> rollingReload.run(app, reason))));
        return Future.join(done).transform(ar -> {
            for (Future<List<Instance>> f : done) {
                if (f.failed()) {
                    return Future.failedFuture(f.cause());
                }
            }
            List<Instance> all = new ArrayList<>();
            done.forEach(f -> all.addAll(f.result()));
            return Future.succeededFuture(all);
        });
    }
}
