package io.jpm.god;

import io.jpm.config.AppConfig;
import io.jpm.config.AppConfigParser;
import io.jpm.config.ReadRequest;
import io.jpm.protocol.Addresses;
import io.jpm.protocol.AppOption;
import io.jpm.protocol.DumpEntry;
import io.jpm.protocol.ProcessState;
import io.jpm.verticle.LocalBus;
import io.jpm.verticle.Plain;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Logger;

/**
 * God's apps as dump entries (what persistence writes to dump.json and to an update's handover),
 * and the restore of such entries (resurrect, adoption, jpm update). Runs on God's event
 * loop; entries are parsed on a worker.
 */
final class DumpedApps {
    private static final Logger LOG = Logger.getLogger("jpm.god");

    private final Vertx vertx;
    private final ProcessTable table;
    private final FileApps fileApps;
    private final Function<List<AppConfig>, Future<List<Instance>>> startAll;
    /** Completes once the creations asked so far have their instances in the table ({@link NewInstances#created}). */
    private final Supplier<Future<Void>> created;
    /**
     * The entries a restore is starting, by name: a second restore at the same time (boot unit and
     * adoption) skips them, and a dump taken meanwhile keeps those not in the table yet (an app that
     * waits for the one it depends on): the daemon answers before a restore is over.
     */
    private final Map<String, JsonObject> restoring = new LinkedHashMap<>();

    DumpedApps(
            Vertx vertx,
            ProcessTable table,
            FileApps fileApps,
            Function<List<AppConfig>, Future<List<Instance>>> startAll,
            Supplier<Future<Void>> created) {
        this.vertx = vertx;
        this.table = table;
        this.fileApps = fileApps;
        this.startAll = startAll;
        this.created = created;
    }

    /** Every app, once, in pm_id order: what dump.json keeps. */
    JsonArray dumpEntries() {
        return dumpEntries(false);
    }

    /** With {@code instances}: each entry also lists every instance's pm_id and status (an update's handover). */
    JsonArray dumpEntries(boolean withInstances) {
        Map<String, List<Instance>> byName = new LinkedHashMap<>();
        table.all().forEach(i -> byName.computeIfAbsent(i.name(), n -> new ArrayList<>())
                .add(i));
        JsonArray entries = new JsonArray();
        Set<String> filesKept = new HashSet<>();
        byName.forEach((name, instances) -> {
            AppConfig config = instances.get(0).config();
            List<DumpEntry.Running> running = instances.stream()
                    .filter(i -> i.pid() != null)
                    .map(i -> new DumpEntry.Running(
                            i.pmId,
                            i.pid(),
                            0,
                            i.counters().restarts(),
                            i.counters().unstableRestarts(),
                            i.run().startedAt(),
                            i.run().privatePort()))
                    .toList();
            // the number that runs, not the one first asked for: a scaled app comes back scaled, as in pm2;
            // an app that runs as many as it asked for keeps its source as it is, so a fork app without
            // `instances` keeps its merged log names (z-out.log, not z-out-0.log) across a resurrect
            JsonObject source = config.source().copy();
            if (config.instances() != instances.size()) {
                source.put(AppOption.INSTANCES.key, instances.size());
            }
            // pm2 keeps a stopped process stopped across save and resurrect (an errored one starts again)
            List<Integer> stopped = new ArrayList<>();
            for (int position = 0; position < instances.size(); position++) {
                if (instances.get(position).state() == ProcessState.STOPPED) {
                    stopped.add(position);
                }
            }
            String file = config.origin().file();
            ReadRequest read = file == null ? null : fileApps.readRequest(file);
            JsonObject entry = Plain.json(DumpEntry.builder()
                    .name(name)
                    .source(Plain.map(source))
                    .env(config.env())
                    .file(file)
                    .commandCwd(config.origin().commandCwd())
                    .envName(config.origin().envName())
                    .processes(running)
                    .stopped(stopped)
                    .declared(file == null || config.declared().equals(source) ? null : Plain.map(config.declared()))
                    .fileRead(read != null && filesKept.add(file) ? read.kept() : null)
                    .build()
                    .toMap());
            if (withInstances) {
                JsonArray all = new JsonArray();
                byName.get(name).forEach(i -> all.add(instanceEntry(i)));
                // a reload under way: the runs it is replacing, still running (what the next daemon
                // keeps should this one die now, docs/ARCHITECTURE.md "The keeper")
                JsonArray old = new JsonArray();
                table.oldRuns().stream()
                        .filter(o -> o.name().equals(name) && o.pid() != null)
                        .forEach(o -> old.add(new JsonObject()
                                .put("pm_id", o.pmId)
                                .put("pid", o.pid())
                                .put("status", o.state().word())
                                .put("restart_time", o.counters().restarts())
                                .put("unstable_restarts", o.counters().unstableRestarts())
                                .put("pm_uptime", o.run().startedAt())
                                .put("port", o.run().privatePort())));
                if (!old.isEmpty()) {
                    entry.put("old_runs", old);
                }
                entry.put("instances", all);
            }
            entries.add(entry);
        });
        addRestoring(entries, byName.keySet(), withInstances);
        return entries;
    }

    /** The entries of a restore under way that are not in the table yet (waiting for the app they depend on). */
    private void addRestoring(JsonArray entries, Set<String> inTable, boolean withInstances) {
        restoring.forEach((name, pending) -> {
            if (!inTable.contains(name)) {
                JsonObject entry = pending.copy();
                if (!withInstances) {
                    // what only the daemon's own records keep (the runs' ipc tokens among them)
                    entry.remove("instances");
                    entry.remove("old_runs");
                }
                entries.add(entry);
            }
        });
    }

    /**
     * One instance as a record keeps it: its status and what the restart policy counts, so a daemon
     * that takes it over goes on counting (docs/ARCHITECTURE.md, "The keeper"); waiting restart, when
     * the restart is due and the exit it follows.
     */
    private static JsonObject instanceEntry(Instance i) {
        JsonObject entry = new JsonObject()
                .put("pm_id", i.pmId)
                .put("status", i.state().word())
                .put("restart_time", i.counters().restarts())
                .put("unstable_restarts", i.counters().unstableRestarts())
                .put("unstable_in_a_row", i.counters().consecutiveUnstable())
                .put("backoff_ms", i.counters().lastBackoffMs());
        if (i.channel() != null && i.channel().ipcToken() != null) {
            // in the daemon's own record only (state.json, 0600 in the 0700 home), never in a user's dump:
            // a next daemon takes the run's channel over with it (AppChannels.adoptToken)
            entry.put("ipc_token", i.channel().ipcToken());
        }
        if (i.state() == ProcessState.WAITING_RESTART) {
            entry.put("restart_at", i.run().restartAt());
            if (i.run().exitCode() != null) {
                entry.put("exit_code", i.run().exitCode());
            }
            if (i.run().exitSignal() != null) {
                entry.put("exit_signal", i.run().exitSignal().number());
            }
        }
        return entry;
    }

    /**
     * How the file of {@code entry} is re-read on an edit: as the daemon that dumped it read it
     * ({@code kept}: the entry that holds its "file_read"); a dump without it (written by an older jpm)
     * gives the app's own environment, so that it still resurrects.
     */
    private static ReadRequest readRequest(DumpEntry entry, DumpEntry kept) {
        DumpEntry from = kept == null ? entry : kept;
        Path readIn = from.commandCwd() == null ? null : Path.of(from.commandCwd());
        return kept == null
                ? new ReadRequest(entry.env(), readIn, entry.envName(), List.of(), false)
                : ReadRequest.fromKept(kept.fileRead(), readIn, kept.envName());
    }

    /** Completed once a restore's apps are in the table: God then tells persistence, when it asked ({@code word}). */
    private Promise<Void> begun(String word) {
        Promise<Void> begun = Promise.promise();
        if (word != null) {
            begun.future().onComplete(ar -> vertx.eventBus()
                    .send(
                            Addresses.INTERNAL_GOD_RESTORE_BEGUN,
                            new JsonObject().put("restore", word),
                            LocalBus.only()));
        }
        return begun;
    }

    /** Starts the dumped apps not in the table, and watches their files again. */
    Future<JsonObject> restore(JsonArray apps) {
        return restore(apps, false, null);
    }

    /**
     * As {@link #restore(JsonArray)}: the instances that were stopped when saved are registered
     * stopped. A {@code handover} (jpm update) gives each instance its pm_id back and keeps stopped
     * the instances that were stopped or errored. With {@code begun}, God tells persistence once the
     * apps that wait for none are in the table (launching; the others listed by {@link #dumpEntries}
     * until they are): long before the reply when an app takes long to be ready (wait_ready).
     */
    Future<JsonObject> restore(JsonArray apps, boolean handover, String begunWord) {
        Promise<Void> begun = begun(begunWord);
        List<String> skipped = new ArrayList<>();
        List<DumpEntry> wanted = new ArrayList<>();
        Map<String, DumpEntry> fileReads = new HashMap<>();
        for (Object o : apps) {
            DumpEntry entry = DumpEntry.from(Plain.map((JsonObject) o));
            if (entry.fileRead() != null) {
                fileReads.putIfAbsent(entry.file(), entry);
            }
            if (table.named(entry.name()).isEmpty() && restoring.putIfAbsent(entry.name(), (JsonObject) o) == null) {
                wanted.add(entry);
                if (handover) {
                    List<Integer> ids = new ArrayList<>();
                    Set<Integer> stopped = new HashSet<>();
                    for (Object i : ((JsonObject) o).getJsonArray("instances", new JsonArray())) {
                        JsonObject instance = (JsonObject) i;
                        ids.add(instance.getInteger("pm_id"));
                        ProcessState state = ProcessState.ofWord(instance.getString("status"));
                        if (state == ProcessState.STOPPED || state == ProcessState.ERRORED) {
                            stopped.add(instance.getInteger("pm_id"));
                        }
                    }
                    table.expectHandover(entry.name(), ids, stopped);
                } else {
                    table.expectStopped(entry.name(), entry.stopped());
                }
            } else {
                skipped.add(entry.name());
            }
        }
        JsonArray errors = new JsonArray();
        // the files that still exist, found on the worker too (a stat is a file call: not on God's loop)
        Set<String> files = new HashSet<>();
        return vertx.executeBlocking(
                        () -> {
                            List<AppConfig> configs = new ArrayList<>();
                            for (DumpEntry entry : wanted) {
                                try {
                                    configs.add(AppConfigParser.parseDumped(entry));
                                } catch (RuntimeException e) {
                                    errors.add(e.getMessage());
                                }
                                if (entry.file() != null && Files.isRegularFile(Path.of(entry.file()))) {
                                    files.add(entry.file());
                                }
                            }
                            return configs;
                        },
                        false)
                .compose(configs -> {
                    for (DumpEntry entry : wanted) {
                        if (entry.file() != null && !fileApps.linked(entry.file()) && files.contains(entry.file())) {
                            fileApps.started(
                                    Path.of(entry.file()), readRequest(entry, fileReads.get(entry.file())), null);
                        }
                    }
                    errors.forEach(e -> LOG.warning(() -> "resurrect: " + e));
                    Future<List<Instance>> started = startAll.apply(configs);
                    created.get().onComplete(ar -> begun.tryComplete());
                    return started;
                })
                .onComplete(ar -> {
                    wanted.forEach(e -> {
                        restoring.remove(e.name());
                        table.expectStopped(e.name(), List.of());
                    });
                    begun.tryComplete();
                })
                .map(started -> new JsonObject()
                        .put("started", Listing.summariesOf(started))
                        .put("skipped", new JsonArray(skipped))
                        .put("errors", errors));
    }
}
