package io.jpm.god;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import java.util.List;

/** {@code jpm delete} and the daemon's stop: instances stopped, then out of the table. Runs on God's event loop. */
final class Removal {
    private final ProcessTable table;
    private final Supervisor supervisor;
    private final BalancerLink balancer;
    private final Listing listing;
    /**
     * Told once instances are out of the table (the ecosystem files no app runs from any more are
     * forgotten). Set after construction: {@link FileApps} deletes through this class, so it is built
     * after it.
     */
    private Runnable afterRemoval = () -> {};

    Removal(ProcessTable table, Supervisor supervisor, BalancerLink balancer, Listing listing) {
        this.table = table;
        this.supervisor = supervisor;
        this.balancer = balancer;
        this.listing = listing;
    }

    void afterRemoval(Runnable action) {
        this.afterRemoval = action;
    }

    Future<JsonArray> delete(List<Instance> instances) {
        return Listing.afterEach(instances, i -> supervisor.stop(i, "delete asked"))
                .compose(stopped -> {
                    for (Instance instance : instances) {
                        table.remove(instance);
                        instance.announceDeleted();
                    }
                    afterRemoval.run();
                    // a balanced app with no instance left gives its public port back (before the reply, so a
                    // start right after the delete can bind it again)
                    List<Future<Void>> closed = instances.stream()
                            .filter(BalancerLink::balanced)
                            .map(Instance::name)
                            .distinct()
                            .filter(name -> table.named(name).isEmpty())
                            .map(balancer::close)
                            .toList();
                    return Future.join(closed).transform(ar -> Future.succeededFuture(stopped));
                });
    }

    /** Every instance stopped, a reload's old runs too (no orphan); how many. */
    Future<Integer> stopEverything() {
        List<Instance> all = listing.listed();
        return Listing.afterEach(all, i -> supervisor.stop(i, "daemon stopping"))
                .map(v -> all.size());
    }
}
