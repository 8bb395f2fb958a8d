package io.jpm.persist;

import io.jpm.process.ProcessLauncher.DescriptorKeeper;
import io.jpm.protocol.DumpEntry;
import io.jpm.verticle.Plain;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntToLongFunction;

/**
 * Which runs of a dead daemon its successor takes over (docs/ARCHITECTURE.md, "The keeper"): a run
 * the daemon's record lists whose process still runs as the same process (its /proc start time the
 * one recorded) and whose three pipe ends the keeper handed over. Those are adopted with their
 * pm_ids; the record's other runs are leftovers, stopped and started again as before; what the
 * keeper holds for no adopted run is released.
 *
 * @param adopt one {"pm_id","pid","start_ticks","stdin","stdout","stderr","ipc","restart_time",...} per run
 *     ("ipc": the daemon's end of a Node run's IPC pipe, -1 when none was held)
 *     (Addresses.INTERNAL_GOD_RESTORE's "adopt")
 * @param apps the record's apps, each with "instances" (pm_ids to keep) for the restore
 * @param leftovers the record's apps without the adopted runs, for {@link OrphanedInstances}
 * @param adoptedPids the adopted pids (their pid files must not make them leftovers)
 * @param release the keys held for no adopted run
 */
record Adoptions(JsonArray adopt, JsonArray apps, JsonArray leftovers, Set<Integer> adoptedPids, List<String> release) {

    static final Adoptions NONE = new Adoptions(new JsonArray(), new JsonArray(), new JsonArray(), Set.of(), List.of());

    /**
     * @param held the keeper's descriptors by key ({@link DescriptorKeeper#key})
     * @param startTicks a live pid's /proc start time (0 when it is gone)
     */
    static Adoptions plan(JsonArray recorded, Map<String, Integer> held, IntToLongFunction startTicks) {
        JsonArray adopt = new JsonArray();
        JsonArray apps = new JsonArray();
        JsonArray leftovers = new JsonArray();
        Set<Integer> adoptedPids = new HashSet<>();
        Set<String> used = new HashSet<>();
        for (Object o : recorded) {
            DumpEntry entry = DumpEntry.from(Plain.of((JsonObject) o));
            List<DumpEntry.Running> left = new ArrayList<>();
            JsonArray instances = new JsonArray();
            for (DumpEntry.Running run : entry.processes()) {
                instances.add(new JsonObject().put("pm_id", run.pmId()).put("status", "online"));
                List<String> keys = List.of(
                        DescriptorKeeper.key("in", run.pid(), run.startTicks()),
                        DescriptorKeeper.key("out", run.pid(), run.startTicks()),
                        DescriptorKeeper.key("err", run.pid(), run.startTicks()));
                boolean same = run.startTicks() > 0 && run.startTicks() == startTicks.applyAsLong(run.pid());
                if (same && held.keySet().containsAll(keys)) {
                    String ipc = DescriptorKeeper.key("ipc", run.pid(), run.startTicks());
                    if (held.containsKey(ipc)) {
                        used.add(ipc);
                    }
                    adopt.add(new JsonObject()
                            .put("ipc", held.getOrDefault(ipc, -1))
                            .put("pm_id", run.pmId())
                            .put("pid", run.pid())
                            .put("start_ticks", run.startTicks())
                            .put("stdin", held.get(keys.get(0)))
                            .put("stdout", held.get(keys.get(1)))
                            .put("stderr", held.get(keys.get(2)))
                            .put("restart_time", run.restarts())
                            .put("unstable_restarts", run.unstableRestarts())
                            .put("pm_uptime", run.startedAt())
                            .put("port", run.port()));
                    adoptedPids.add(run.pid());
                    used.addAll(keys);
                } else {
                    left.add(run);
                }
            }
            apps.add(((JsonObject) o).copy().put("instances", instances));
            leftovers.add(Plain.json(entry.withProcesses(left).toMap()));
        }
        List<String> release =
                held.keySet().stream().filter(k -> !used.contains(k)).sorted().toList();
        return new Adoptions(adopt, apps, leftovers, adoptedPids, release);
    }
}
