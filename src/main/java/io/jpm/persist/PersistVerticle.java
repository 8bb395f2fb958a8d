package io.jpm.persist;

import io.jpm.config.ClusterSettings;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.DumpEntry;
import io.jpm.protocol.HomeFileNames;
import io.jpm.protocol.JpmHome;
import io.jpm.protocol.ProcessState;
import io.jpm.verticle.JpmVerticle;
import io.jpm.verticle.LocalBus;
import io.jpm.verticle.Plain;
import io.vertx.core.Future;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Persistence: {@code jpm save}, {@code jpm cleardump} and {@code jpm resurrect} work on the user's
 * snapshot (JPM_HOME/dump.json, or dump.pm2 under pm2's file names), which nothing else writes.
 * The daemon keeps its own record of what runs (JPM_HOME/state.json) current after every change of
 * the process table, which {@link Adoption} reads when the previous daemon died without
 * stopping its apps (SIGKILL, OOM).
 *
 * <p>Config: {@code {"home":..., "persist":{"auto_dump":true}}}; {@code auto_dump:false} keeps no
 * record and leaves resurrecting to {@code jpm resurrect}. A new "persist" section published on
 * {@code jpm.internal.settings} applies at once.
 *
 */
public final class PersistVerticle extends JpmVerticle {
    private static final Logger LOG = Logger.getLogger("jpm.persist");
    /** Process events come in bursts (a start of 20 apps): beyond {@link #DUMPS_AT_ONCE} dumps within this long, one dump after it. */
    private static final long DUMP_DELAY_MS = 300;

    private static final int DUMPS_AT_ONCE = 4;

    /** When the last {@link #DUMPS_AT_ONCE} dumps began (System.nanoTime), the oldest first. */
    private final long[] recentDumps = new long[DUMPS_AT_ONCE];

    {
        // none yet: long enough ago (nanoTime's origin is arbitrary, 0 may be a moment ago)
        Arrays.fill(recentDumps, System.nanoTime() - TimeUnit.SECONDS.toNanos(1));
    }

    private JpmHome home;
    /** The user's snapshot: written by save and cleardump only. */
    private DumpFile dump;
    /** The daemon's record of what runs, for adoption after a crash. */
    private DumpFile state;
    /** What ran when {@code jpm update} replaced the previous daemon: restored at start, then removed. */
    private DumpFile handover;

    private boolean autoDump;
    private boolean renewAfterBurst;
    private long dumpTimer = -1;
    private boolean dumping;
    private boolean dumpAgain;
    /** Whether a change that came during the running dump named a new run. */
    private boolean dumpAgainNewRun;

    private RestoreRequests restores;

    private String lastWritten;

    @Override
    public Future<?> start() {
        home = new JpmHome(Path.of(config().getString("home")), HomeFileNames.of(config().getString("file_names")));
        dump = DumpFile.userDump(home.root(), home.names());
        state = DumpFile.recoveryState(home.root());
        handover = DumpFile.handover(home.root());
        applySettings(config().getJsonObject("persist", new JsonObject()));
        handle(Addresses.CMD_SAVE, this::save);
        handle(Addresses.CMD_CLEARDUMP, body -> writeUserDump(new JsonArray())
                .map(v -> new JsonObject().put("file", dump.path().toString()).put("apps", 0)));
        handle(Addresses.CMD_RESURRECT, body -> resurrect());
        handle(Addresses.CMD_UPDATE, this::update);
        handleLocal(Addresses.INTERNAL_PERSIST_HANDOVER, body -> writeHandover(false));
        restores = new RestoreRequests(vertx, () -> scheduleDump(true));
        vertx.eventBus().<JsonObject>localConsumer(Addresses.EVENTS_PROCESS, m -> onProcessEvent(m.body()));
        Renewal renewal = Renewal.of(vertx, home, () -> renewAfterBurst, this::update);
        renewal.clustered(ClusterSettings.configured(config()));
        renewal.start();
        vertx.eventBus().<JsonObject>localConsumer(Addresses.INTERNAL_SETTINGS, m -> {
            applySettings(m.body().getJsonObject("persist", new JsonObject()));
            renewal.clustered(ClusterSettings.configured(m.body()));
            renewal.settingsChanged();
        });
        Adoption.Restorer restorer = new Adoption.Restorer() {
            @Override
            public Adoption.Restoring restore(DumpFile from) {
                return PersistVerticle.this.restore(from);
            }

            @Override
            public Adoption.Restoring restore(JsonObject request, Path from) {
                return restores.send(request, from);
            }
        };
        return new Adoption(vertx, home, dump, state, handover, () -> autoDump, restorer)
                .run()
                .onSuccess(v -> renewal.seed());
    }

    private void applySettings(JsonObject section) {
        autoDump = section.getBoolean("auto_dump", true);
        renewAfterBurst = section.getBoolean("renew_after_burst", true);
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
        return vertx.eventBus()
                .<JsonObject>request(Addresses.INTERNAL_GOD_APPS, new JsonObject().put("instances", instances))
                .map(reply -> reply.body().getJsonArray("data"))
                .compose(apps -> vertx.executeBlocking(() -> stamped(apps), false));
    }

    private static JsonArray stamped(JsonArray apps) {
        JsonArray out = new JsonArray();
        for (Object o : apps) {
            DumpEntry entry = DumpEntry.from(Plain.map((JsonObject) o));
            List<DumpEntry.Running> running = entry.processes().stream()
                    .map(p -> p.withStartTicks(ProcIdentity.startTicks(p.pid())))
                    .toList();
            JsonObject stampedEntry = Plain.json(entry.withProcesses(running).toMap());
            if (((JsonObject) o).containsKey("instances")) {
                stampedEntry.put("instances", ((JsonObject) o).getJsonArray("instances"));
            }
            JsonArray oldRuns = ((JsonObject) o).getJsonArray("old_runs");
            if (oldRuns != null) {
                oldRuns.forEach(r -> ((JsonObject) r)
                        .put("start_ticks", ProcIdentity.startTicks(((JsonObject) r).getInteger("pid"))));
                stampedEntry.put("old_runs", oldRuns);
            }
            out.add(stampedEntry);
        }
        return out;
    }

    private Future<Void> writeUserDump(JsonArray apps) {
        return (dump.format().listsProcesses() ? processes() : Future.succeededFuture(new JsonArray()))
                .compose(processes -> writeUserDump(dump.format().render(apps, processes)));
    }

    /** The process list as jlist gives it (pm2's dump format is made of it). */
    private Future<JsonArray> processes() {
        return vertx.eventBus()
                .<JsonObject>request(Addresses.QUERY_LIST, new JsonObject())
                .map(reply -> reply.body().getJsonArray("data"));
    }

    private Future<Void> writeUserDump(String text) {
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
     * starts again under the new one. A renewal ({@link Renewal}, "renew":true) that cannot adopt
     * writes nothing: no client stops this daemon, and a handover left behind would be restored by
     * a later one.
     */
    private Future<JsonObject> update(JsonObject body) {
        JsonArray command = body.getJsonArray("command");
        String script = body.getString("script");
        boolean renew = body.getBoolean("renew", false);
        return vertx.eventBus()
                .<JsonObject>request(Addresses.INTERNAL_KEEPER_INVENTORY, new JsonObject())
                .map(reply -> UpdateAdoption.cannotAdopt(reply.body(), script, command))
                .otherwise(e -> "no keeper answered (" + e.getMessage() + ")")
                .compose(why -> renew && why != null
                        ? Future.succeededFuture(
                                new JsonObject().put("adopt", false).put("why", why))
                        : handOver(why, script, command, renew));
    }

    /** The handover written, then (when the apps can be adopted) the daemon's leave announced. */
    private Future<JsonObject> handOver(String why, String script, JsonArray command, boolean renew) {
        return writeHandover(!renew)
                .compose(reply -> historyWritten(why).map(reply))
                .map(reply -> {
                    if (why != null) {
                        return reply.put("adopt", false).put("why", why);
                    }
                    // the reply goes out first; then the daemon leaves
                    JsonObject leave = new JsonObject()
                            .put("script", script)
                            .put("command", command)
                            .put("renew", renew);
                    vertx.setTimer(100, t -> vertx.eventBus()
                            .publish(Addresses.INTERNAL_DAEMON_UPGRADE, leave, LocalBus.only()));
                    return reply.put("adopt", true);
                });
    }

    /**
     * Before the daemon leaves for the new one without a stop ({@code why} null), the history writes
     * the minute under way and the alerts what they have not written yet, which a halt would lose;
     * either that does not answer within 2 s holds the update up no longer.
     */
    private Future<Void> historyWritten(String why) {
        if (why != null) {
            return Future.succeededFuture(); // the daemon stops: each writes it in its stop
        }
        return Future.join(written(Addresses.INTERNAL_HISTORY_WRITE), written(Addresses.INTERNAL_ALERTS_WRITE))
                .<Void>mapEmpty()
                .otherwise((Void) null);
    }

    private Future<Void> written(String address) {
        return vertx.eventBus()
                .request(address, new JsonObject(), new DeliveryOptions().setSendTimeout(2_000))
                .<Void>mapEmpty()
                .otherwise((Void) null);
    }

    /**
     * What runs, for the next daemon (the user's dump is not touched), with its restart counts at 0
     * for an update's ({@link UpdateAdoption#countsFromZero}); a renewal and a daemon whose keeper
     * died, which no user asked for, keep them.
     */
    private Future<JsonObject> writeHandover(boolean countsFromZero) {
        return currentApps(true).compose(apps -> {
            String text = DumpFile.render(countsFromZero ? UpdateAdoption.countsFromZero(apps) : apps);
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

    /**
     * A process event: one that names a new run (online, or launching with its pid) is recorded at
     * once, so an app started or restarted just before a SIGKILL of the daemon is in the record the
     * next daemon adopts from; any other change (an exit, whose restart follows within milliseconds,
     * a stop) waits DUMP_DELAY_MS, off the path of the restart it leads to.
     */
    private void onProcessEvent(JsonObject event) {
        String to = event.getString("to");
        scheduleDump(ProcessState.ONLINE.is(to) || ProcessState.LAUNCHING.is(to) && event.getValue("pid") != null);
    }

    private void scheduleDump(boolean newRun) {
        if (!autoDump || restores.running()) {
            return;
        }
        if (dumping) {
            dumpAgain = true;
            dumpAgainNewRun |= newRun;
            return;
        }
        // beyond DUMPS_AT_ONCE dumps within DUMP_DELAY_MS (a burst: a start of 1,000 apps), the
        // changes wait for one dump DUMP_DELAY_MS after the oldest of them
        long waitNs = newRun
                ? recentDumps[0] + TimeUnit.MILLISECONDS.toNanos(DUMP_DELAY_MS) - System.nanoTime()
                : TimeUnit.MILLISECONDS.toNanos(DUMP_DELAY_MS);
        if (waitNs <= 0) {
            if (dumpTimer >= 0) {
                vertx.cancelTimer(dumpTimer);
                dumpTimer = -1;
            }
            autoDumpNow();
        } else if (dumpTimer < 0) {
            dumpTimer = vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNs)), t -> {
                dumpTimer = -1;
                autoDumpNow();
            });
        }
    }

    private void autoDumpNow() {
        dumping = true;
        System.arraycopy(recentDumps, 1, recentDumps, 0, recentDumps.length - 1);
        recentDumps[recentDumps.length - 1] = System.nanoTime();
        // with every instance's status and counts: a new daemon adopts one waiting restart
        currentApps(true)
                .compose(apps -> {
                    String text = DumpFile.render(apps);
                    return text.equals(lastWritten) ? Future.<Void>succeededFuture() : writeState(text);
                })
                .onFailure(e -> LOG.warning(() -> "cannot keep " + state.path() + " current: " + e.getMessage()))
                .onComplete(ar -> {
                    dumping = false;
                    if (dumpAgain) {
                        boolean newRun = dumpAgainNewRun;
                        dumpAgain = false;
                        dumpAgainNewRun = false;
                        scheduleDump(newRun);
                    }
                });
    }

    // ---- resurrect ----

    /** {@code jpm resurrect}: the user's snapshot, exactly. */
    private Future<JsonObject> resurrect() {
        return restore(dump).done();
    }

    private Adoption.Restoring restore(DumpFile from) {
        return restores.of(from, from == handover);
    }
}
