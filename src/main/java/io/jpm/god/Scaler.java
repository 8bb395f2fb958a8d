package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.ScaleRequest;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * {@code jpm scale <name> <N|+N|-N>}, pm2's rules, for balanced and fork apps alike: up starts new
 * instances with the lowest free NODE_APP_INSTANCE; down removes the oldest ones (the lowest
 * pm_ids, as pm2 7 does: checked against it), the survivors keeping their NODE_APP_INSTANCE, a
 * balanced one only after its connections are drained ({@link BalancerLink#drain}).
 */
final class Scaler {
    /** Creates and starts new instances of an app at the given indexes. */
    interface Starter extends BiFunction<AppConfig, List<Integer>, Future<List<Instance>>> {}

    private final ProcessTable table;
    private final Supervisor supervisor;
    private final BalancerLink balancer;
    private final Starter starter;
    private final RollingReload.Replacements replacements;

    Scaler(
            ProcessTable table,
            Supervisor supervisor,
            BalancerLink balancer,
            Starter starter,
            RollingReload.Replacements replacements) {
        this.table = table;
        this.supervisor = supervisor;
        this.balancer = balancer;
        this.starter = starter;
        this.replacements = replacements;
    }

    Future<List<Instance>> scale(ScaleRequest request) {
        List<Instance> current = table.named(request.name());
        if (current.isEmpty()) {
            throw new JpmException(JpmError.UNKNOWN_TARGET, "process or namespace " + request.name() + " not found");
        }
        int target = request.target(current.size());
        if (target < 1 || target > 1024) {
            throw new JpmException(
                    JpmError.INVALID_ARGUMENT,
                    "scale " + request.name() + " " + request.count() + " gives " + target
                            + " instances: it must be 1 to 1024 (use stop or delete to have none)");
        }
        if (target > current.size()) {
            return starter.apply(
                    current.get(current.size() - 1).config(), freeIndexes(current, target - current.size()));
        }
        return scaleDown(current.stream()
                .sorted(Comparator.comparingInt((Instance i) -> i.pmId))
                .limit(current.size() - target)
                .toList());
    }

    /** The app's instances now. */
    List<Instance> named(String name) {
        return table.named(name);
    }

    /** These instances removed as a scale down removes them (drained, stopped, out of the table). */
    Future<List<Instance>> scaleDown(List<Instance> victims) {
        List<Future<Instance>> removed = new ArrayList<>();
        for (Instance victim : victims) {
            removed.add(remove(victim));
        }
        return Future.all(removed).map(v -> victims);
    }

    /** The lowest indexes no instance of the app has, as pm2 gives NODE_APP_INSTANCE. */
    static List<Integer> freeIndexes(List<Instance> current, int count) {
        Set<Integer> used = new HashSet<>();
        current.forEach(i -> used.add(i.index));
        List<Integer> free = new ArrayList<>();
        for (int index = 0; free.size() < count; index++) {
            if (!used.contains(index)) {
                free.add(index);
            }
        }
        return free;
    }

    private Future<Instance> remove(Instance victim) {
        return balancer.drain(victim)
                .compose(v -> supervisor.stop(victim, "scaled down"))
                .map(v -> {
                    replacements.retire(victim);
                    return victim;
                });
    }
}
