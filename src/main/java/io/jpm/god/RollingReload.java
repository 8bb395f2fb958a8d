package io.jpm.god;

import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.ProcessState;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A balanced app's zero-downtime reload, one instance at a time, keeping pm_ids as pm2 does: the
 * running process moves aside as the old run ({@code _old_<pm_id>}) while a new run starts under
 * the same pm_id, NODE_APP_INSTANCE and log files with a fresh private port. Once the new run is
 * ready and in rotation, the old one is taken out, its connections finish ({@link BalancerLink#drain}), and
 * it is stopped. If the new run never gets ready, it is stopped, the old run takes its pm_id back
 * and keeps serving, and the reload fails (pm2 kills the old one anyway). Runs on God's event loop.
 */
final class RollingReload {
    /** The process table's side of a reload. */
    interface Replacements {
        /** Moves {@code old} aside as the old run and creates its new run under the same pm_id. */
        Instance nextRun(Instance old);

        /** The new run never got ready: false when its pm_id was deleted meanwhile (nothing to go back to). */
        boolean giveBack(Instance fresh, Instance old);

        /** The old run has stopped and leaves the table; its pm_id lives on in the new run. */
        void dropOldRun(Instance old);

        /** Takes an instance out of the table for good and announces it (scale down). */
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

    /** Replaces the instances in order; completes with the instances now serving, or fails at the first that cannot be. */
    Future<List<Instance>> run(List<Instance> instances, String reason) {
        String app = instances.get(0).name();
        if (!reloading.add(app)) {
            return Future.failedFuture(new JpmException(
                    JpmError.INVALID_ARGUMENT,
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
        if (old.state() != ProcessState.ONLINE) {
            // nothing serves: there is nothing to keep up, a restart is the reload (pm2 does the same)
            return supervisor.restart(old, reason).map(old);
        }
        Instance fresh = replacements.nextRun(old);
        int oldPid = old.pid();
        return supervisor
                .start(fresh, reason)
                .compose(v -> fresh.state() == ProcessState.ONLINE
                        ? fresh.ready()
                        : Future.failedFuture(new JpmException(JpmError.SPAWN_FAILED, fresh.lastReason())))
                .recover(e -> abandon(fresh, old, oldPid, e))
                .compose(v -> balancer.drain(old))
                .compose(v -> supervisor.stop(old, reason + ": pm_id " + fresh.pmId + " runs on as pid " + fresh.pid()))
                .map(v -> {
                    replacements.dropOldRun(old);
                    return fresh;
                });
    }

    /**
     * The new run did not get ready: it is stopped, the old run takes its pm_id back and stays in
     * rotation (started again should it have exited meanwhile), and the reload fails. If a command
     * stopped the new run meanwhile, the pm_id stays as that command left it and the old run stops.
     */
    private Future<Void> abandon(Instance fresh, Instance old, int oldPid, Throwable cause) {
        if (fresh.stopsAsked() > 0) {
            // a command (stop, restart, delete, scale down) took the pm_id's new run during the swap: it
            // has the last word on the pm_id, so the old run goes rather than take the id back
            return supervisor
                    .stop(old, "pm_id " + old.pmId + " was stopped during its reload")
                    .eventually(() -> {
                        replacements.dropOldRun(old);
                        return Future.succeededFuture();
                    })
                    .transform(ar -> Future.failedFuture(new JpmException(
                            JpmError.SPAWN_FAILED,
                            "reload of '" + old.name()
                                    + "' interrupted: pm_id " + old.pmId
                                    + " was stopped, restarted or deleted during the swap; its old run (pid "
                                    + oldPid + ") is stopped")));
        }
        return supervisor
                .stop(fresh, "reload abandoned: " + cause.getMessage())
                .eventually(() -> {
                    if (!replacements.giveBack(fresh, old)) {
                        // the pm_id was deleted during the reload: its old run goes too
                        return supervisor
                                .stop(old, "pm_id " + old.pmId + " deleted during its reload")
                                .onComplete(ar -> replacements.dropOldRun(old));
                    }
                    old.announce("reload failed: pid " + oldPid + " keeps pm_id " + old.pmId);
                    return old.state().isActive()
                            ? Future.succeededFuture()
                            : supervisor.start(old, "reload failed and the old run had exited");
                })
                .transform(ar -> Future.failedFuture(new JpmException(
                        JpmError.SPAWN_FAILED,
                        "reload of '" + old.name() + "' failed: " + cause.getMessage() + "; pm_id " + old.pmId
                                + " (pid " + oldPid + ") keeps serving")));
    }
}
