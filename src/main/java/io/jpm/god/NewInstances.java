package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.config.LogPaths;
import io.jpm.protocol.Addresses;
import io.jpm.verticle.LocalBus;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Where the table's instances come from: an app's new instances (pm_ids, NODE_APP_INSTANCE
 * indexes, pm2's log paths), and a reload's next run of an instance. Each instance publishes its
 * events through {@link ProcessEvents}. Runs on God's event loop.
 */
final class NewInstances {
    private static final Logger LOG = Logger.getLogger("jpm.god");

    private final Vertx vertx;
    private final ProcessTable table;
    private final Supervisor supervisor;
    private final BalancerLink balancer;
    private final ProcessEvents events;
    private final Path home;
    private final String host;
    /** The creation asked for last: the next one takes its pm_ids after it (see {@link #startAt}). */
    private Future<Void> lastCreation = Future.succeededFuture();

    NewInstances(
            Vertx vertx,
            ProcessTable table,
            Supervisor supervisor,
            BalancerLink balancer,
            ProcessEvents events,
            Path home,
            String host) {
        this.vertx = vertx;
        this.table = table;
        this.supervisor = supervisor;
        this.balancer = balancer;
        this.events = events;
        this.home = home;
        this.host = host;
    }

    /** An app's instances 0..instances-1, created and started. */
    Future<List<Instance>> start(AppConfig config, String reason) {
        List<Integer> indexes = new ArrayList<>();
        for (int index = 0; index < config.instances(); index++) {
            indexes.add(index);
        }
        return startAt(config, indexes);
    }

    /**
     * Completes once every creation asked so far has put its instances in the table (launching):
     * their launches go on after it.
     */
    Future<Void> created() {
        return lastCreation;
    }

    /**
     * Creates and starts instances of an app at these NODE_APP_INSTANCE indexes (a balanced app's
     * port first). Their pm_ids follow the order the starts were asked for (a file's apps in the
     * file's order, pm_ids a resurrect gives in the dump's), whichever app's port opened first: each
     * creation waits for the one asked before it, not for its instances to run.
     */
    Future<List<Instance>> startAt(AppConfig config, List<Integer> indexes) {
        Future<Void> open = balancer.open(config);
        Future<Void> previous = lastCreation;
        Promise<Void> created = Promise.promise();
        lastCreation = created.future();
        return previous.transform(ignored -> open)
                .map(v -> create(config, indexes))
                .onComplete(ar -> created.complete())
                .compose(instances -> launch(config, instances));
    }

    /** The instances, with their pm_ids, log and pid paths, in the table. */
    private List<Instance> create(AppConfig config, List<Integer> indexes) {
        List<Instance> created = new ArrayList<>();
        for (int index : indexes) {
            int pmId = table.allocateId(config.name());
            LogPaths logs = LogPaths.of(config, home.resolve("logs"), pmId);
            String pidFile = PidFiles.path(config, pmId, home.resolve("pids"));
            Instance instance = new Instance(
                    pmId, index, config, logs.out(), logs.err(), logs.log(), pidFile, host, events.of(pidFile));
            table.add(instance);
            AdoptedRun adopted = table.takeAdoption(pmId);
            if (adopted != null) {
                instance.run().adopting(adopted); // its first launch takes the run over
            }
            created.add(instance);
        }
        return created;
    }

    private Future<List<Instance>> launch(AppConfig config, List<Instance> created) {
        LOG.info(() -> "starting " + config.name() + " x" + created.size() + ": " + String.join(" ", config.command()));
        // pm2's autostart false: registered, listed as stopped, started by a later `start <name>`;
        // an update's handover and a resurrect keep stopped what was stopped before. A run a previous
        // daemon left running (or waiting restart) is adopted whatever autostart says: it runs already
        List<Future<Void>> started = new ArrayList<>();
        for (int position = 0; position < created.size(); position++) {
            Instance i = created.get(position);
            boolean keptStopped = table.handedOverStopped(i.pmId) | table.keptStopped(config.name(), position);
            if (!keptStopped && (config.ecosystem().autostart() || i.run().takingOver())) {
                started.add(startOrWait(i));
            } else {
                tellSatanItRests(i);
            }
        }
        return Future.join(started).map(created);
    }

    /**
     * An instance registered without a run publishes no process event, yet its rules hold as for one
     * that runs: a cron job kept stopped by a resurrect, an adoption or a handover fires on schedule,
     * as under pm2 (whose restore of a stopped app registers its cron).
     */
    private void tellSatanItRests(Instance instance) {
        vertx.eventBus()
                .publish(
                        Addresses.INTERNAL_SATAN_RESTING,
                        new JsonObject()
                                .put("pm_id", instance.pmId)
                                .put("app", instance.name())
                                .put("status", instance.state().word()),
                        LocalBus.only());
    }

    /** Starts an instance, or, adopted waiting restart from the previous daemon, lets it wait on. */
    private Future<Void> startOrWait(Instance instance) {
        AdoptedRun adopted = instance.run().takeAdoption();
        if (adopted != null && adopted.waiting()) {
            supervisor.resumeAdoptedWait(instance, adopted);
            return Future.succeededFuture();
        }
        instance.run().adopting(adopted);
        return supervisor.start(instance, "start");
    }

    /**
     * A reload's new run of an instance, as pm2's reload makes it: same pm_id, NODE_APP_INSTANCE, log
     * files and options, restart_time + 1, unstable_restarts and created_at reset; the old run moves
     * aside as {@code _old_<pm_id>} (announced) until it is stopped.
     */
    Instance nextRunOf(Instance old) {
        Instance fresh = Instance.nextRunOf(old, events.of(old.pidFile));
        table.replaceRun(old, fresh);
        old.announce("reload: pid " + old.pid() + " serves on as _old_" + old.pmId + " while pm_id " + old.pmId
                + " starts again");
        return fresh;
    }

    /** A reload's runs in the table: the new run made under the old one's pm_id, and back. */
    RollingReload.Replacements replacements() {
        return new RollingReload.Replacements() {
            @Override
            public Instance nextRun(Instance old) {
                return nextRunOf(old);
            }

            @Override
            public boolean giveBack(Instance fresh, Instance old) {
                return table.giveBack(fresh, old);
            }

            @Override
            public void dropOldRun(Instance old) {
                table.dropOldRun(old);
            }

            @Override
            public void retire(Instance instance) {
                table.remove(instance);
                instance.announceDeleted();
            }
        };
    }
}
