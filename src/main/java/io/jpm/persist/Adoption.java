package io.jpm.persist;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.JpmHome;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Adoption: what a daemon does at its start about the apps the one before it left. A daemon that was SIGKILLed left its pid file
 * behind (a clean stop removes it) and its apps running. When its keeper started this one and
 * handed over the runs' pipes, those runs are adopted as they are ({@link AdoptionPlan}); the other
 * groups are stopped (verified, see {@link AdoptionLeftovers}), then what ran is restored (the
 * daemon's record; the user's dump when there is no record), so the apps run once. After a clean
 * stop, only an update's handover, if one waits, is restored.
 */
final class Adoption {
    private static final Logger LOG = Logger.getLogger("jpm.persist");

    /** The verticle's side: restores go through it, so its auto-dump waits for them. */
    interface Restorer {
        /** Restores the apps of {@code from} (a handover gives their pm_ids back). */
        Restoring restore(DumpFile from);

        /** Sends God this restore request, read from {@code from}. */
        Restoring restore(JsonObject request, Path from);
    }

    /**
     * A restore sent to God: {@code begun} once its apps are in the table (launching), never failed;
     * {@code done} with God's reply, once each is online or gave up.
     */
    record Restoring(Future<Void> begun, Future<JsonObject> done) {}

    private final Vertx vertx;
    private final JpmHome home;
    private final DumpFile dump;
    private final DumpFile state;
    private final DumpFile handover;
    private final BooleanSupplier autoDump;
    private final Restorer restorer;

    Adoption(
            Vertx vertx,
            JpmHome home,
            DumpFile dump,
            DumpFile state,
            DumpFile handover,
            BooleanSupplier autoDump,
            Restorer restorer) {
        this.vertx = vertx;
        this.home = home;
        this.dump = dump;
        this.state = state;
        this.handover = handover;
        this.autoDump = autoDump;
        this.restorer = restorer;
    }

    /** Completes once this daemon may go on starting; a failure is logged, never failed. */
    Future<Void> run() {
        Path pidFile = home.pidFile();
        return vertx.eventBus()
                .<JsonObject>request(Addresses.INTERNAL_KEEPER_INVENTORY, new JsonObject())
                .map(reply -> reply.body())
                .otherwise(e -> new JsonObject())
                .compose(inventory -> vertx.executeBlocking(
                        () -> {
                            if (!Files.isRegularFile(pidFile) && !Files.isRegularFile(home.adoptionMark())) {
                                return null;
                            }
                            return recovered(inventory);
                        },
                        false))
                .compose(recovered -> {
                    if (recovered == null) {
                        // a clean stop: only an update's handover, if one waits, is restored
                        return handover.exists() ? restoreHandover() : Future.<Void>succeededFuture();
                    }
                    if (!recovered.plan().release().isEmpty()) {
                        vertx.eventBus()
                                .send(
                                        Addresses.INTERNAL_KEEPER_INVENTORY,
                                        new JsonObject()
                                                .put(
                                                        "release",
                                                        new JsonArray(
                                                                recovered.plan().release())));
                    }
                    if (handover.exists()) {
                        // an update with a keeper left its apps running: adopted like a crash's
                        return recovered.plan().adopt().isEmpty()
                                ? restoreHandover()
                                : adoptHandover(recovered.read(), recovered.plan());
                    }
                    DumpFile.Read read = recovered.read();
                    if (read == null
                            || !autoDump.getAsBoolean()
                                    && recovered.plan().adopt().isEmpty()) {
                        return Future.<Void>succeededFuture();
                    }
                    // in the table before the daemon answers, as an update's handover is: a command right
                    // after the crash (jpm kill, jpm ls) finds the apps. Everything a restore needs (God, the
                    // log files, the balancer, Satan, the config watcher) is deployed before persistence; the
                    // doors after it (DaemonMain)
                    return onceBegun(
                            restoreAfterCrash(read, recovered.plan()),
                            "resurrected after a crash: ",
                            "resurrect after a crash failed: ",
                            false);
                })
                .recover(e -> {
                    LOG.warning(() -> "adoption failed: " + e);
                    return Future.<Void>succeededFuture();
                });
    }

    /** The record a crashed daemon left, and which of its runs this daemon adopts. */
    private record Recovered(DumpFile.Read read, AdoptionPlan plan) {}

    /**
     * Reads the crashed daemon's record, plans the adoptions, stops the other leftovers (blocking).
     *
     * @param keeper the keeper's inventory: its descriptors by key ("held"), the exits it reaped while
     *     no daemon ran ("exits"), whether it is a subreaper
     */
    private Recovered recovered(JsonObject keeper) {
        JsonObject held = keeper.getJsonObject("held", new JsonObject());
        JsonArray exits = keeper.getJsonArray("exits", new JsonArray());
        DumpFile.Read read = null;
        String readFailure = null;
        DumpFile record = handover.exists() ? handover : state.exists() ? state : dump;
        if (record.exists()) {
            try {
                read = record.read();
            } catch (JpmException e) {
                readFailure = e.getMessage();
            }
        }
        Map<String, Integer> descriptors = new HashMap<>();
        held.forEach(e -> descriptors.put(e.getKey(), ((Number) e.getValue()).intValue()));
        // only from the daemon's own record (state.json, auto_dump on; or the handover of an update
        // that left its apps running): the user's dump is a snapshot
        boolean ownRecord = read != null && (record == state && autoDump.getAsBoolean() || record == handover);
        AdoptionPlan plan = AdoptionPlan.plan(
                ownRecord ? read.apps() : new JsonArray(), descriptors, exits, ProcIdentity::startTicks);
        // without a dump the pid files still name the groups (verified by their environment)
        AdoptionLeftovers stopper = new AdoptionLeftovers(home.root());
        JsonArray leftovers = read == null ? new JsonArray() : plan.adopt().isEmpty() ? read.apps() : plan.leftovers();
        List<AdoptionLeftovers.Group> groups = stopper.find(leftovers, plan.adoptedPids());
        int stopped = stopper.stop(groups);
        String how = record == handover && read != null
                ? "the previous daemon left its apps for the next one (an update, a renewal, or its keeper died): "
                : "the previous daemon did not stop cleanly: ";
        LOG.info(() -> how + plan.running() + " running instance(s) adopted, "
                + stopped + " leftover process group(s) stopped"
                + (plan.ended() + plan.waiting() == 0
                        ? ""
                        : "; through the restart policy: " + plan.ended() + " run(s) that ended while no daemon ran, "
                                + plan.waiting() + " instance(s) waiting restart"));
        plan.adopt().stream()
                .map(JsonObject.class::cast)
                .filter(a -> a.containsKey("reload_rolled_back"))
                .forEach(a -> LOG.info(() -> "a reload was under way: pm_id " + a.getInteger("pm_id")
                        + " rolled back to its old run, pid " + a.getInteger("pid")
                        + ", which still served (its new run, pid "
                        + a.getInteger("reload_rolled_back") + ", stopped)"));
        AdoptionNote.tell(home, AdoptionNote.lines(read, readFailure, groups));
        // what run() then starts again rather than adopts
        boolean restores = read != null
                && (record == handover
                        || autoDump.getAsBoolean()
                        || !plan.adopt().isEmpty());
        int restarted = restores
                ? AdoptionFallback.runs(read.apps()) - plan.adoptedPids().size()
                : 0;
        AdoptionFallback.note(
                        restarted,
                        keeper,
                        read == null ? null : read.from().getFileName().toString(),
                        autoDump.getAsBoolean())
                .ifPresent(note ->
                        vertx.eventBus().send(Addresses.INTERNAL_SUPERVISION_NOTE, new JsonObject().put("note", note)));
        return new Recovered(read, plan);
    }

    /** The crashed daemon's apps back: adopted runs with their pm_ids, the others started again. */
    private Restoring restoreAfterCrash(DumpFile.Read read, AdoptionPlan plan) {
        if (plan.adopt().isEmpty()) {
            return restorer.restore(read.from().getFileName().toString().startsWith("state.json") ? state : dump);
        }
        LOG.info(() -> "adopting " + plan.adopt().size() + " instance(s) of "
                + read.apps().size() + " app(s) from " + read.from());
        return restorer.restore(
                new JsonObject().put("apps", plan.apps()).put("handover", true).put("adopt", plan.adopt()),
                read.from());
    }

    /**
     * The previous daemon left its apps running for this one ({@code jpm update} with a keeper): they
     * are adopted (and what was not running any more started again) before the bridge opens, so
     * {@code jpm update} finds them once this daemon answers; then the handover file goes.
     */
    private Future<Void> adoptHandover(DumpFile.Read read, AdoptionPlan plan) {
        return onceBegun(
                restoreAfterCrash(read, plan),
                "adopted the apps the previous daemon left for the next one: ",
                "cannot adopt the apps the previous daemon left for an update: ",
                true);
    }

    /** An update left a handover but no app running (no keeper): its apps start again, then the file goes. */
    private Future<Void> restoreHandover() {
        return onceBegun(
                restorer.restore(handover),
                "restored the apps handed over by the previous daemon: ",
                "cannot restore the apps the previous daemon handed over: ",
                true);
    }

    /**
     * The start goes on once the restore's apps are in the table, not once each is online: an app
     * that is slow to be ready (wait_ready with a long listen_timeout) held the doors closed, past the
     * start's deadline, and the daemon gave up and exited. The end is logged; the handover file, when
     * {@code handoverDone}, goes then (should this daemon die before, the next one restores it again).
     */
    private Future<Void> onceBegun(Restoring restore, String done, String failed, boolean handoverDone) {
        restore.done()
                .compose(r -> {
                    LOG.info(() -> done + r.encode());
                    return handoverDone
                            ? vertx.executeBlocking(
                                    () -> {
                                        handover.delete();
                                        return null;
                                    },
                                    true)
                            : Future.succeededFuture();
                })
                .onFailure(e -> LOG.warning(() -> failed + e.getMessage()));
        return restore.begun();
    }
}
