package io.jpm.persist;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.DumpEntry;
import io.jpm.protocol.JpmException;
import io.jpm.protocol.JpmHome;
import io.jpm.verticle.Generation;
import io.jpm.verticle.JpmVerticle;
import io.jpm.verticle.LocalBus;
import io.jpm.verticle.Plain;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Persistence: {@code jpm save}, {@code jpm cleardump} and {@code jpm resurrect} work on the user's
 * snapshot (JPM_HOME/dump.json), which nothing else writes. The daemon keeps its own record of
 * what runs (JPM_HOME/state.json) current after every change of the process table, and, when the
 * previous daemon died without stopping its apps (SIGKILL, OOM), stops their leftover process
 * groups and restores that record.
 *
 * <p>Config: {@code {"home":..., "persist":{"auto_dump":true}}}; {@code auto_dump:false} keeps no
 * record and leaves resurrecting to {@code jpm resurrect}. A new "persist" section published on
 * {@code jpm.internal.settings} applies at once.
 *
 * <p>Over ~300 lines (about 460): save, auto-dump, resurrect, the handover of {@code jpm update}
 * (restored, or adopted under a keeper) and crash recovery all write or read the same three files
 * (dump.json, state.json, the handover) and share the auto-dump's schedule and its {@code restoring}
 * flag; the files themselves ({@code DumpFile}), the leftovers ({@code OrphanedInstances}), the
 * adoptions ({@code Adoptions}) and the lines about them ({@code CrashRecoveryNote},
 * {@code AdoptionFallback}) stand alone. Crash recovery and the update's two ways out are the next
 * to move into a class of their own.
 */
public final class PersistVerticle extends JpmVerticle {
    private static final Logger LOG = Logger.getLogger("jpm.persist");
    /** Process events come in bursts (a start of 20 apps): one dump after the burst. */
    private static final long DUMP_DELAY_MS = 300;

    private static final long RESTORE_TIMEOUT_MS = 120_000;

    private Path home;
    /** The user's snapshot: written by save and cleardump only. */
    private DumpFile dump;
    /** The daemon's record of what runs, for crash recovery. */
    private DumpFile state;
    /** What ran when {@code jpm update} replaced the previous daemon: restored at start, then removed. */
    private DumpFile handover;

    private boolean autoDump;
    private long dumpTimer = -1;
    private boolean dumping;
    private boolean dumpAgain;
    /** No auto-dump while a resurrect runs: a half-restored table must not replace the dump. */
    private boolean restoring;

    private String lastWritten;
    private Generation thisGeneration;

    @Override
    protected String name() {
        return "persist";
    }

    @Override
    public Future<?> start() {
        home = Path.of(config().getString("home"));
        dump = DumpFile.userDump(home);
        state = DumpFile.recoveryState(home);
        handover = DumpFile.handover(home);
        thisGeneration = generation();
        applySettings(config().getJsonObject("persist", new JsonObject()));
        handle(Addresses.CMD_SAVE, this::save);
        handle(Addresses.CMD_CLEARDUMP, body -> writeUserDump(new JsonArray())
                .map(v -> new JsonObject().put("file", dump.path().toString()).put("apps", 0)));
        handle(Addresses.CMD_RESURRECT, body -> resurrect());
        handle(Addresses.CMD_UPDATE, this::update);
        answerPing(Addresses.INTERNAL_PERSIST_PING, JsonObject::new);
        thisGeneration.<JsonObject>consumer(Addresses.EVENTS_PROCESS, m -> scheduleDump());
        thisGeneration.<JsonObject>consumer(
                Addresses.INTERNAL_SETTINGS, m -> applySettings(m.body().getJsonObject("persist", new JsonObject())));
        if (thisGeneration.redeployed()) {
            // replacing a hung one: the daemon runs (its jpm.pid is ours, not a crash's), and the changes
            // the hung one never dumped are in God's table: dump it now
            LOG.info(() -> "persistence redeployed (generation " + thisGeneration.generation()
                    + "): dumping the current table");
            scheduleDump();
            return Future.succeededFuture();
        }
        return recoverFromCrash();
    }

    private void applySettings(JsonObject section) {
        autoDump = section.getBoolean("auto_dump", true);
    }

    // ---- save ----

    private Future<JsonObject> save(JsonObject body) {
        boolean force = body.getBoolean("force", false);
        return currentApps().compose(apps -> {
            if (apps.isEmpty() && !force) {
                return Future.succeededFuture(new JsonObject()
                        .put("file", dump.path().toString())
                        .put("apps", 0)
                        .put("kept", true)
                        .put(
                                "warning",
                                "no app to save: the previous dump is kept (use --force to save an empty list)"));
            }
            return writeUserDump(apps)
                    .map(v ->
                            new JsonObject().put("file", dump.path().toString()).put("apps", apps.size()));
        });
    }

    /** God's apps, each running process stamped with its /proc start time. */
    private Future<JsonArray> currentApps() {
        return currentApps(false);
    }

    /** With {@code instances}: every instance's pm_id and status too (a handover). */
    private Future<JsonArray> currentApps(boolean instances) {
        return Generation.<JsonObject>requestRead(
                        vertx, Addresses.INTERNAL_GOD_APPS, new JsonObject().put("instances", instances), 3)
                .map(reply -> reply.body().getJsonArray("data"))
                .compose(apps -> vertx.executeBlocking(() -> stamped(apps), false));
    }

    private static JsonArray stamped(JsonArray apps) {
        JsonArray out = new JsonArray();
        for (Object o : apps) {
            DumpEntry entry = DumpEntry.from(Plain.of((JsonObject) o));
            List<DumpEntry.Running> running = entry.processes().stream()
                    .map(p -> p.withStartTicks(ProcIdentity.startTicks(p.pid())))
                    .toList();
            JsonObject stampedEntry = Plain.json(entry.withProcesses(running).toMap());
            if (((JsonObject) o).containsKey("instances")) {
                stampedEntry.put("instances", ((JsonObject) o).getJsonArray("instances"));
            }
            out.add(stampedEntry);
        }
        return out;
    }

    private Future<Void> writeUserDump(JsonArray apps) {
        String text = DumpFile.render(apps);
        // ordered with the record's writes: one worker at a time
        return vertx.executeBlocking(
                        () -> {
                            dump.write(text);
                            return null;
                        },
                        true)
                .mapEmpty();
    }

    private Future<Void> writeState(String text) {
        return vertx.executeBlocking(
                        () -> {
                            state.write(text);
                            return null;
                        },
                        true)
                .<Void>mapEmpty()
                .onSuccess(v -> lastWritten = text);
    }

    // ---- update ----

    /**
     * {@code jpm update}: the handover written; with the new daemon's command ({"script","command"})
     * and a keeper that is the apps' subreaper, this daemon then leaves them running for the new one
     * to adopt ("adopt":true); else ("adopt":false, "why") the client stops it and every app
     * starts again under the new one.
     */
    private Future<JsonObject> update(JsonObject body) {
        JsonArray command = body.getJsonArray("command");
        String script = body.getString("script");
        return vertx.eventBus()
                .<JsonObject>request(Addresses.INTERNAL_KEEPER_INVENTORY, new JsonObject())
                .map(reply -> UpdateAdoption.cannotAdopt(reply.body(), script, command))
                .otherwise(e -> "no keeper answered (" + e.getMessage() + ")")
                .compose(why -> writeHandover().map(reply -> {
                    if (why != null) {
                        return reply.put("adopt", false).put("why", why);
                    }
                    // the reply goes out first; then the daemon leaves
                    vertx.setTimer(100, t -> vertx.eventBus()
                            .publish(
                                    Addresses.INTERNAL_DAEMON_UPGRADE,
                                    new JsonObject().put("script", script).put("command", command),
                                    LocalBus.only()));
                    return reply.put("adopt", true);
                }));
    }

    /** What runs, for the next daemon (the user's dump is not touched). */
    private Future<JsonObject> writeHandover() {
        return currentApps(true).compose(apps -> {
            String text = DumpFile.render(apps);
            int processes = apps.stream()
                    .mapToInt(a -> ((JsonObject) a).getJsonArray("instances").size())
                    .sum();
            return vertx.executeBlocking(
                            () -> {
                                handover.write(text);
                                return null;
                            },
                            true)
                    .map(v -> new JsonObject()
                            .put("file", handover.path().toString())
                            .put("apps", apps.size())
                            .put("processes", processes));
        });
    }

    // ---- the dump kept current ----

    private void scheduleDump() {
        if (!autoDump || restoring) {
            return;
        }
        if (dumping) {
            dumpAgain = true;
            return;
        }
        if (dumpTimer < 0) {
            dumpTimer = vertx.setTimer(DUMP_DELAY_MS, t -> {
                dumpTimer = -1;
                autoDumpNow();
            });
        }
    }

    private void autoDumpNow() {
        if (!thisGeneration.current()) {
            return; // superseded while this dump waited: the fresh one dumps
        }
        dumping = true;
        currentApps()
                .compose(apps -> {
                    String text = DumpFile.render(apps);
                    return text.equals(lastWritten) ? Future.<Void>succeededFuture() : writeState(text);
                })
                .onFailure(e -> LOG.warning(() -> "cannot keep " + state.path() + " current: " + e.getMessage()))
                .onComplete(ar -> {
                    dumping = false;
                    if (dumpAgain) {
                        dumpAgain = false;
                        scheduleDump();
                    }
                });
    }

    // ---- resurrect ----

    /** {@code jpm resurrect}: the user's snapshot, exactly. */
    private Future<JsonObject> resurrect() {
        return restore(dump);
    }

    private Future<JsonObject> restore(DumpFile from) {
        restoring = true;
        return vertx.executeBlocking(from::read, false)
                .compose(read -> {
                    LOG.info(() -> "resurrecting " + read.apps().size() + " app(s) from " + read.from());
                    return vertx.eventBus()
                            .<JsonObject>request(
                                    Addresses.INTERNAL_GOD_RESTORE,
                                    new JsonObject().put("apps", read.apps()).put("handover", from == handover),
                                    new DeliveryOptions().setSendTimeout(RESTORE_TIMEOUT_MS))
                            .map(reply -> reply.body()
                                    .getJsonObject("data")
                                    .put("from", read.from().toString()));
                })
                .onComplete(ar -> {
                    restoring = false;
                    scheduleDump();
                });
    }

    /**
     * A daemon that was SIGKILLed left jpm.pid behind (a clean stop removes it) and its apps running.
     * When its keeper started this one and handed over the runs' pipes, those runs are adopted as they
     * are ({@link Adoptions}); the other groups are stopped (verified, see {@link OrphanedInstances}),
     * then what ran is restored (the daemon's record; the user's dump when there is no record), so
     * the apps run once.
     */
    private Future<Void> recoverFromCrash() {
        Path pidFile = home.resolve("jpm.pid");
        return vertx.eventBus()
                .<JsonObject>request(Addresses.INTERNAL_KEEPER_INVENTORY, new JsonObject())
                .map(reply -> reply.body())
                .otherwise(e -> new JsonObject())
                .compose(keeper -> vertx.executeBlocking(
                        () -> {
                            if (!Files.isRegularFile(pidFile)) {
                                return null;
                            }
                            return recovered(keeper);
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
                    if (read == null || !autoDump && recovered.plan().adopt().isEmpty()) {
                        return Future.<Void>succeededFuture();
                    }
                    // restore once every verticle is up: God answers restores, the bridge is not needed
                    vertx.setTimer(1, t -> restoreAfterCrash(read, recovered.plan())
                            .onSuccess(r -> LOG.info(() -> "resurrected after a crash: " + r.encode()))
                            .onFailure(e -> LOG.warning(() -> "resurrect after a crash failed: " + e.getMessage())));
                    return Future.<Void>succeededFuture();
                })
                .recover(e -> {
                    LOG.warning(() -> "crash recovery failed: " + e);
                    return Future.<Void>succeededFuture();
                });
    }

    /** The record a crashed daemon left, and which of its runs this daemon adopts. */
    private record Recovered(DumpFile.Read read, Adoptions plan) {}

    /** Reads the crashed daemon's record, plans the adoptions, stops the other leftovers (blocking). */
    private Recovered recovered(JsonObject keeper) {
        JsonObject held = keeper.getJsonObject("held", new JsonObject());
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
        boolean ownRecord = read != null && (record == state && autoDump || record == handover);
        Adoptions plan =
                Adoptions.plan(ownRecord ? read.apps() : new JsonArray(), descriptors, ProcIdentity::startTicks);
        // without a dump the pid files still name the groups (verified by their environment)
        OrphanedInstances orphans = new OrphanedInstances(home);
        JsonArray leftovers = read == null ? new JsonArray() : plan.adopt().isEmpty() ? read.apps() : plan.leftovers();
        List<OrphanedInstances.Group> groups = orphans.find(leftovers, plan.adoptedPids());
        int stopped = orphans.stop(groups);
        String how = record == handover && read != null
                ? "the previous daemon left its apps for an update: "
                : "the previous daemon did not stop cleanly: ";
        LOG.info(() -> how + plan.adopt().size() + " running instance(s) adopted, " + stopped
                + " leftover process group(s) stopped");
        CrashRecoveryNote.tell(new JpmHome(home), CrashRecoveryNote.lines(read, readFailure, groups));
        // what recoverFromCrash then starts again rather than adopts
        boolean restores =
                read != null && (record == handover || autoDump || !plan.adopt().isEmpty());
        int restarted =
                restores ? AdoptionFallback.runs(read.apps()) - plan.adopt().size() : 0;
        AdoptionFallback.note(
                        restarted,
                        keeper,
                        read == null ? null : read.from().getFileName().toString(),
                        autoDump)
                .ifPresent(note ->
                        vertx.eventBus().send(Addresses.INTERNAL_SUPERVISION_NOTE, new JsonObject().put("note", note)));
        return new Recovered(read, plan);
    }

    /** The crashed daemon's apps back: adopted runs taken over with their pm_ids, the others started again. */
    private Future<JsonObject> restoreAfterCrash(DumpFile.Read read, Adoptions plan) {
        if (plan.adopt().isEmpty()) {
            return restore(read.from().getFileName().toString().startsWith("state.json") ? state : dump);
        }
        restoring = true;
        LOG.info(() -> "adopting " + plan.adopt().size() + " instance(s) of "
                + read.apps().size() + " app(s) from " + read.from());
        return vertx.eventBus()
                .<JsonObject>request(
                        Addresses.INTERNAL_GOD_RESTORE,
                        new JsonObject()
                                .put("apps", plan.apps())
                                .put("handover", true)
                                .put("adopt", plan.adopt()),
                        new DeliveryOptions().setSendTimeout(RESTORE_TIMEOUT_MS))
                .map(reply -> reply.body()
                        .getJsonObject("data")
                        .put("from", read.from().toString()))
                .onComplete(ar -> {
                    restoring = false;
                    scheduleDump();
                });
    }

    /**
     * The previous daemon left its apps running for this one ({@code jpm update} with a keeper): they
     * are adopted (and what was not running any more started again) before the bridge opens, so
     * {@code jpm update} finds them once this daemon answers; then the handover file goes.
     */
    private Future<Void> adoptHandover(DumpFile.Read read, Adoptions plan) {
        return restoreAfterCrash(read, plan)
                .compose(r -> {
                    LOG.info(() -> "adopted the apps the previous daemon left for an update: " + r.encode());
                    return vertx.executeBlocking(
                            () -> {
                                handover.delete();
                                return null;
                            },
                            true);
                })
                .<Void>mapEmpty()
                .recover(e -> {
                    LOG.warning(
                            () -> "cannot adopt the apps the previous daemon left for an update: " + e.getMessage());
                    return Future.succeededFuture();
                });
    }

    /**
     * The previous daemon was replaced by {@code jpm update}: its apps start again here, with their
     * pm_ids, before the bridge opens (so no command races the restore and {@code jpm update} finds
     * them running once this daemon answers); then the handover file goes. A restore that fails
     * leaves the file for the next start and the daemon starting anyway.
     */
    private Future<Void> restoreHandover() {
        return restore(handover)
                .compose(r -> {
                    LOG.info(() -> "restored the apps handed over by the previous daemon: " + r.encode());
                    return vertx.executeBlocking(
                            () -> {
                                handover.delete();
                                return null;
                            },
                            true);
                })
                .<Void>mapEmpty()
                .recover(e -> {
                    LOG.warning(() -> "cannot restore the apps the previous daemon handed over: " + e.getMessage());
                    return Future.succeededFuture();
                });
    }
}
