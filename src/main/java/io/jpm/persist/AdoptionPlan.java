package io.jpm.persist;

import io.jpm.process.ProcessLauncher.DescriptorKeeper;
import io.jpm.protocol.DumpEntry;
import io.jpm.protocol.ProcessState;
import io.jpm.verticle.Plain;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntToLongFunction;

/**
 * Which runs of a dead daemon its successor adopts (docs/ARCHITECTURE.md, "The keeper"):
 *
 * <ul>
 *   <li>a run the daemon's record lists whose process still runs as the same process (its /proc
 *       start time the one recorded) and whose three pipe ends the keeper handed over: adopted as
 *       it runs;
 *   <li>a run that ended while no daemon ran (the keeper reaped it: an exit with its pid and start
 *       time) and whose pipe ends are handed over: adopted with that exit, so its output is read to
 *       the end and then its exit goes through the restart policy, as if the daemon had seen it; one
 *       that is gone with no exit in the inventory (it ended after the keeper wrote it) is adopted
 *       with its exit pending: the keeper tells it once the daemon is ready;
 *   <li>an instance the record shows waiting restart (the daemon died during its restart_delay or
 *       backoff): adopted waiting, its restart due when it was.
 * </ul>
 *
 * Each keeps its pm_id and its restart counts. The record's other runs are leftovers, stopped and
 * started again as before; what the keeper holds for no adopted run is released.
 *
 * @param adopt one {"pm_id","pid","start_ticks","stdin","stdout","stderr","ipc","restart_time",...} per run
 *     ("ipc": the daemon's end of a Node run's IPC pipe, -1 when none was held; "ipc_token": the
 *     token another Node run's jpm-ipc.js connects again with, when the record has one),
 *     with "exit" for one that ended; {"pm_id","restart_at","restart_time",...,"exit"} for one waiting
 *     (Addresses.INTERNAL_GOD_RESTORE's "adopt")
 * @param apps the record's apps, each with "instances" (pm_ids to keep, stopped ones stopped) for the restore
 * @param leftovers the record's apps without the adopted runs, for {@link AdoptionLeftovers}
 * @param adoptedPids the adopted pids (their pid files must not make them leftovers)
 * @param release the keys held for no adopted run
 */
record AdoptionPlan(
        JsonArray adopt, JsonArray apps, JsonArray leftovers, Set<Integer> adoptedPids, List<String> release) {

    static final AdoptionPlan NONE =
            new AdoptionPlan(new JsonArray(), new JsonArray(), new JsonArray(), Set.of(), List.of());

    /** The status word of an instance between an exit and its restart. */
    static final String WAITING_RESTART = ProcessState.WAITING_RESTART.word();

    /** Without exits reaped by the keeper. */
    static AdoptionPlan plan(JsonArray recorded, Map<String, Integer> held, IntToLongFunction startTicks) {
        return plan(recorded, held, new JsonArray(), startTicks);
    }

    /**
     * @param held the keeper's descriptors by key ({@link DescriptorKeeper#key})
     * @param exits the keeper's exits reaped while no daemon ran: {"pid","start_ticks","code","signal","at"}
     * @param startTicks a live pid's /proc start time (0 when it is gone)
     */
    static AdoptionPlan plan(
            JsonArray recorded, Map<String, Integer> held, JsonArray exits, IntToLongFunction startTicks) {
        Planner planner = new Planner(held, exits, startTicks);
        recorded.forEach(app -> planner.app((JsonObject) app));
        return planner.plan();
    }

    /** The plan as it grows, the record's apps gone through one at a time. */
    private static final class Planner {
        private final Map<String, Integer> held;
        private final IntToLongFunction startTicks;
        private final Map<String, JsonObject> exitOf = new HashMap<>();
        private final JsonArray adopt = new JsonArray();
        private final JsonArray apps = new JsonArray();
        private final JsonArray leftovers = new JsonArray();
        private final Set<Integer> adoptedPids = new HashSet<>();
        private final Set<String> used = new HashSet<>();

        Planner(Map<String, Integer> held, JsonArray exits, IntToLongFunction startTicks) {
            this.held = held;
            this.startTicks = startTicks;
            for (Object o : exits) {
                JsonObject exit = (JsonObject) o;
                exitOf.put(exit.getInteger("pid") + ":" + exit.getLong("start_ticks"), exit);
            }
        }

        void app(JsonObject app) {
            DumpEntry entry = DumpEntry.from(Plain.map(app));
            // in pm_id order, as the app's instances are created
            Map<Integer, JsonObject> recordedInstances = new TreeMap<>();
            app.getJsonArray("instances", new JsonArray())
                    .forEach(i -> recordedInstances.put(((JsonObject) i).getInteger("pm_id"), (JsonObject) i));
            List<DumpEntry.Running> left = new ArrayList<>();
            Map<Integer, JsonObject> keptOldRuns = oldRunsKept(app, left);
            for (DumpEntry.Running run : entry.processes()) {
                JsonObject kept = keptOldRuns.remove(run.pmId());
                if (kept != null) {
                    // rolled back: the old run serves on under its pm_id, the new run is a leftover
                    adopt.add(kept.put("reload_rolled_back", run.pid()));
                    left.add(run);
                } else if (!recordedRunTaken(run, recordedInstances.get(run.pmId()))) {
                    left.add(run);
                }
            }
            // an old run whose pm_id has no new run recorded (the daemon died before its spawn): kept
            keptOldRuns.values().forEach(adopt::add);
            apps.add(app.copy().put("instances", instances(entry, recordedInstances)));
            leftovers.add(Plain.json(entry.withProcesses(left).toMap()));
        }

        /**
         * A reload the daemon died in: per pm_id, the old run is kept if it still served, and the new
         * run stopped; an old run already being stopped is stopped (the new one took over).
         */
        private Map<Integer, JsonObject> oldRunsKept(JsonObject app, List<DumpEntry.Running> left) {
            Map<Integer, JsonObject> keptOldRuns = new HashMap<>();
            for (Object r : app.getJsonArray("old_runs", new JsonArray())) {
                JsonObject old = (JsonObject) r;
                DumpEntry.Running run = new DumpEntry.Running(
                        old.getInteger("pm_id"),
                        old.getInteger("pid"),
                        old.getLong("start_ticks", 0L),
                        old.getInteger("restart_time", 0),
                        old.getInteger("unstable_restarts", 0),
                        old.getLong("pm_uptime", 0L),
                        old.getInteger("port", 0));
                List<String> keys = keysOf(run);
                boolean same = run.startTicks() > 0 && run.startTicks() == startTicks.applyAsLong(run.pid());
                if (same
                        && ProcessState.ONLINE.is(old.getString("status"))
                        && held.keySet().containsAll(keys)) {
                    keptOldRuns.put(run.pmId(), running(run, keys, held, null));
                    taken(run, keys);
                } else {
                    left.add(run);
                }
            }
            return keptOldRuns;
        }

        /** A run the record lists, adopted if it runs on or ended under the keeper; false: a leftover. */
        private boolean recordedRunTaken(DumpEntry.Running run, JsonObject recordedInstance) {
            List<String> keys = keysOf(run);
            long ticksNow = startTicks.applyAsLong(run.pid());
            boolean same = run.startTicks() > 0 && run.startTicks() == ticksNow;
            JsonObject exit = run.startTicks() > 0 ? exitOf.get(run.pid() + ":" + run.startTicks()) : null;
            // an ended run only while its number is free: a group killed under it must be its own
            boolean ended = run.startTicks() > 0 && ticksNow == 0;
            if (!(same || ended) || !held.keySet().containsAll(keys)) {
                return false;
            }
            JsonObject taken = running(run, keys, held, recordedInstance);
            if (!same && exit != null) {
                taken.put("exit", exit.copy());
            } else if (!same) {
                // gone, its ends still held: it ended after the keeper wrote the inventory, and
                // the keeper tells its exit once this daemon is ready
                taken.put("exit_pending", true);
            }
            adopt.add(taken);
            taken(run, keys);
            return true;
        }

        private void taken(DumpEntry.Running run, List<String> keys) {
            adoptedPids.add(run.pid());
            used.addAll(keys);
            used.addAll(heldWithRun(run));
        }

        /** The app's instances for the restore; one waiting restart is adopted waiting. */
        private JsonArray instances(DumpEntry entry, Map<Integer, JsonObject> recordedInstances) {
            JsonArray instances = new JsonArray();
            if (recordedInstances.isEmpty()) {
                // a record written before instances were: every run it lists is an online instance
                entry.processes()
                        .forEach(run -> instances.add(
                                new JsonObject().put("pm_id", run.pmId()).put("status", ProcessState.ONLINE.word())));
                return instances;
            }
            for (JsonObject instance : recordedInstances.values()) {
                instances.add(new JsonObject()
                        .put("pm_id", instance.getInteger("pm_id"))
                        .put("status", instance.getString("status")));
                if (WAITING_RESTART.equals(instance.getString("status"))) {
                    adopt.add(counts(instance)
                            .put("pm_id", instance.getInteger("pm_id"))
                            .put("restart_time", instance.getInteger("restart_time", 0))
                            .put("unstable_restarts", instance.getInteger("unstable_restarts", 0))
                            .put("restart_at", instance.getLong("restart_at", 0L))
                            .put(
                                    "exit",
                                    new JsonObject()
                                            .put("code", instance.getInteger("exit_code", 0))
                                            .put("signal", instance.getInteger("exit_signal", 0))));
                }
            }
            return instances;
        }

        AdoptionPlan plan() {
            List<String> release = held.keySet().stream()
                    .filter(k -> !used.contains(k))
                    .sorted()
                    .toList();
            return new AdoptionPlan(adopt, apps, leftovers, adoptedPids, release);
        }
    }

    /** Runs adopted as they run. */
    long running() {
        return adopt.stream()
                .map(JsonObject.class::cast)
                .filter(a -> a.containsKey("pid") && !ended(a))
                .count();
    }

    /** Runs that ended while no daemon ran, adopted with their exit (or with it to come). */
    long ended() {
        return adopt.stream()
                .map(JsonObject.class::cast)
                .filter(AdoptionPlan::ended)
                .count();
    }

    private static boolean ended(JsonObject adopted) {
        return adopted.containsKey("exit") && adopted.containsKey("pid") || adopted.containsKey("exit_pending");
    }

    /** Instances adopted waiting restart. */
    long waiting() {
        return adopt.stream()
                .map(JsonObject.class::cast)
                .filter(a -> !a.containsKey("pid"))
                .count();
    }

    private static List<String> keysOf(DumpEntry.Running run) {
        return List.of(
                DescriptorKeeper.key("in", run.pid(), run.startTicks()),
                DescriptorKeeper.key("out", run.pid(), run.startTicks()),
                DescriptorKeeper.key("err", run.pid(), run.startTicks()));
    }

    /**
     * What else the keeper may hold for a run, adopted with it when held: its streams' output
     * journals (what the previous daemon read and did not write), a Node run's IPC pipe.
     */
    private static List<String> heldWithRun(DumpEntry.Running run) {
        return List.of(
                DescriptorKeeper.journalKey("out", run.pid(), run.startTicks()),
                DescriptorKeeper.journalKey("err", run.pid(), run.startTicks()),
                DescriptorKeeper.key("ipc", run.pid(), run.startTicks()));
    }

    /** The "adopt" entry of a run adopted with its three ends (and its journals, when kept). */
    private static JsonObject running(
            DumpEntry.Running run, List<String> keys, Map<String, Integer> held, JsonObject recordedInstance) {
        JsonObject running = counts(recordedInstance);
        if (recordedInstance != null && recordedInstance.getValue("ipc_token") instanceof String token) {
            running.put("ipc_token", token); // its jpm-ipc.js connects again with it
        }
        return running.put("pm_id", run.pmId())
                .put("pid", run.pid())
                .put("start_ticks", run.startTicks())
                .put("stdin", held.get(keys.get(0)))
                .put("stdout", held.get(keys.get(1)))
                .put("stderr", held.get(keys.get(2)))
                .put("out_journal", held.getOrDefault(heldWithRun(run).get(0), -1))
                .put("err_journal", held.getOrDefault(heldWithRun(run).get(1), -1))
                .put("ipc", held.getOrDefault(heldWithRun(run).get(2), -1))
                .put("restart_time", run.restarts())
                .put("unstable_restarts", run.unstableRestarts())
                .put("pm_uptime", run.startedAt())
                .put("port", run.port());
    }

    /** The restart policy's own counts of a recorded instance (none from an older record). */
    private static JsonObject counts(JsonObject instance) {
        JsonObject counts = new JsonObject();
        if (instance != null) {
            counts.put("unstable_in_a_row", instance.getInteger("unstable_in_a_row", 0))
                    .put("backoff_ms", instance.getLong("backoff_ms", 0L));
        }
        return counts;
    }
}
