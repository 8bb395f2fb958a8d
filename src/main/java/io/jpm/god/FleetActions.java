package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.protocol.ScaleRequest;
import io.vertx.core.Future;
import java.util.Comparator;
import java.util.List;

/** What keeps this member's share of the fleet apps ({@link FleetShare}): God's own operations. */
final class FleetActions implements FleetShare.Actions {
    private final NewInstances newInstances;
    private final Supervisor supervisor;
    private final Restarts restarts;
    private final Removal removal;
    private final Scaler scaler;

    FleetActions(NewInstances newInstances, Supervisor supervisor, Restarts restarts, Removal removal, Scaler scaler) {
        this.newInstances = newInstances;
        this.supervisor = supervisor;
        this.restarts = restarts;
        this.removal = removal;
        this.scaler = scaler;
    }

    @Override
    public Future<List<Instance>> start(AppConfig config) {
        return newInstances.start(config, "fleet app placed here");
    }

    @Override
    public Future<?> stop(List<Instance> instances) {
        return Listing.afterEach(instances, i -> supervisor.stop(i, "fleet app stopped"));
    }

    @Override
    public Future<List<Instance>> restart(List<Instance> instances) {
        return restarts.restart(instances, "fleet app started", 0);
    }

    @Override
    public Future<?> delete(List<Instance> instances) {
        return removal.delete(instances);
    }

    @Override
    public Future<List<Instance>> scale(AppConfig config, int count) {
        List<Instance> here = scaler.named(config.name());
        if (count < here.size() && count >= config.instances()) {
            // extras a lost member's share needed: the newest go, the app's own instances run on
            return scaler.scaleDown(here.stream()
                    .sorted(Comparator.comparingInt((Instance i) -> i.pmId).reversed())
                    .limit(here.size() - count)
                    .toList());
        }
        return scaler.scale(new ScaleRequest(config.name(), String.valueOf(count)));
    }
}
