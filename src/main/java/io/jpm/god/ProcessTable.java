package io.jpm.god;

import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** God's process table: instances by pm_id, and pm2's ways of naming them. */
final class ProcessTable {
    private final Map<Integer, Instance> byId = new LinkedHashMap<>();
    /** Runs a rolling reload is replacing, by the pm_id their new run now holds (pm2's _old_<pm_id>). */
    private final Map<Integer, Instance> oldRuns = new LinkedHashMap<>();

    private int nextId;
    /** pm_ids an update hands over, by app name in instance order, until the new daemon's restore takes them. */
    private final Map<String, ArrayDeque<Integer>> handedOver = new HashMap<>();
    /** Handed-over pm_ids whose instance was stopped or errored: registered, not started. */
    private final Set<Integer> handedOverStopped = new HashSet<>();
    /** A resurrect's apps whose instances (by position, 0 the first) were stopped when saved: registered, not started. */
    private final Map<String, Set<Integer>> keptStopped = new HashMap<>();
    /** Handed-over pm_ids whose run a previous daemon spawned and this one adopts. */
    private final Map<Integer, AdoptedRun> adoptions = new HashMap<>();

    /** The next pm_id; like pm2, numbering starts over once the table is empty (no reload's old run left either). */
    int allocateId() {
        if (byId.isEmpty() && oldRuns.isEmpty()) {
            nextId = 0;
        }
        return nextId++;
    }

    /** The instance that gets pm_id {@code pmId} takes this run over rather than spawning one. */
    void expectAdoption(AdoptedRun run) {
        adoptions.put(run.pmId(), run);
    }

    /** The run pm_id {@code pmId} adopts, once; null when it spawns its own. */
    AdoptedRun takeAdoption(int pmId) {
        return adoptions.remove(pmId);
    }

    /** An update's handover: the next instances of {@code name} take these pm_ids, in this order. */
    void expectHandover(String name, List<Integer> pmIds, Set<Integer> stopped) {
        handedOver.put(name, new ArrayDeque<>(pmIds));
        handedOverStopped.addAll(stopped);
    }

    /** A resurrect: the next instances of {@code name} at these positions are registered stopped (none: forget). */
    void expectStopped(String name, List<Integer> positions) {
        if (positions.isEmpty()) {
            keptStopped.remove(name);
        } else {
            keptStopped.put(name, new HashSet<>(positions));
        }
    }

    /** True once for the instance of {@code name} at {@code position} that a resurrect keeps stopped. */
    boolean keptStopped(String name, int position) {
        Set<Integer> positions = keptStopped.get(name);
        if (positions == null || !positions.remove(position)) {
            return false;
        }
        if (positions.isEmpty()) {
            keptStopped.remove(name);
        }
        return true;
    }

    /**
     * The pm_id for a new instance of {@code name}: the one handed over for it when it is free, else
     * the next one. Numbering carries on above every pm_id handed back.
     */
    int allocateId(String name) {
        ArrayDeque<Integer> ids = handedOver.get(name);
        Integer id = ids == null ? null : ids.poll();
        if (ids != null && ids.isEmpty()) {
            handedOver.remove(name);
        }
        if (id == null || byId.containsKey(id) || oldRuns.containsKey(id)) {
            return allocateId();
        }
        if (byId.isEmpty() && oldRuns.isEmpty()) {
            nextId = 0;
        }
        nextId = Math.max(nextId, id + 1);
        return id;
    }

    /** True once for a handed-over pm_id whose instance was stopped: it is registered, not started. */
    boolean handedOverStopped(int pmId) {
        return handedOverStopped.remove(pmId);
    }

    void add(Instance instance) {
        byId.put(instance.pmId, instance);
    }

    void remove(Instance instance) {
        byId.remove(instance.pmId);
    }

    Collection<Instance> all() {
        return byId.values();
    }

    /** A reload's old runs, still serving or draining; no target resolves to them. */
    Collection<Instance> oldRuns() {
        return oldRuns.values();
    }

    /** A reload hands the pm_id of {@code old} to {@code fresh}: the old run moves aside, still running. */
    void replaceRun(Instance old, Instance fresh) {
        if (old.pmId != fresh.pmId || byId.get(old.pmId) != old) {
            throw new IllegalStateException("pm_id " + old.pmId + " is not the run being replaced");
        }
        old.oldRun(true);
        oldRuns.put(old.pmId, old);
        byId.put(fresh.pmId, fresh);
    }

    /**
     * The new run never got ready: the old run takes its pm_id back. False when the new run is no
     * longer in the table (deleted meanwhile): then the old run has no pm_id to go back to.
     */
    boolean giveBack(Instance fresh, Instance old) {
        if (oldRuns.get(old.pmId) != old) {
            return false;
        }
        if (byId.get(fresh.pmId) != fresh) {
            return false;
        }
        oldRuns.remove(old.pmId);
        old.oldRun(false);
        byId.put(old.pmId, old);
        return true;
    }

    /** The old run has stopped: it leaves the table (its pm_id stays with the new run). */
    void dropOldRun(Instance old) {
        oldRuns.remove(old.pmId, old);
    }

    List<Instance> named(String name) {
        return byId.values().stream().filter(i -> i.name().equals(name)).toList();
    }

    Instance byId(int id) {
        return byId.get(id);
    }

    /**
     * Resolves pm2 targets: {@code all}, a pm_id, a name, a namespace, or {@code /regex/} over names. Every target
     * must match something, but an ecosystem file none of whose apps is listed (pm2 acts on those it
     * finds, and on none without complaint); the first that does not is named in the error.
     */
    List<Instance> resolve(List<String> targets, Map<String, List<String>> fileApps) {
        return resolve(targets, fileApps, null);
    }

    /** @param cwd where the client ran: a script path target is relative to it (null: none resolves) */
    List<Instance> resolve(List<String> targets, Map<String, List<String>> fileApps, Path cwd) {
        Set<Instance> found = new LinkedHashSet<>();
        for (String target : targets) {
            List<Instance> matched = match(target, fileApps, cwd);
            if (matched.isEmpty() && !fileApps.containsKey(target)) {
                throw new JpmException(JpmError.UNKNOWN_TARGET, "process or namespace " + target + " not found");
            }
            found.addAll(matched);
        }
        return new ArrayList<>(found);
    }

    private List<Instance> match(String target, Map<String, List<String>> fileApps, Path cwd) {
        if (target.equals("all")) {
            return List.copyOf(byId.values());
        }
        if (fileApps.containsKey(target)) {
            return byId.values().stream()
                    .filter(i -> fileApps.get(target).contains(i.name()))
                    .toList();
        }
        if (target.matches("\\d+")) {
            Instance instance = byId.get(Integer.parseInt(target));
            return instance == null ? named(target) : List.of(instance);
        }
        if (target.length() > 2 && target.startsWith("/") && target.endsWith("/")) {
            Pattern pattern;
            try {
                pattern = Pattern.compile(target.substring(1, target.length() - 1));
            } catch (PatternSyntaxException e) {
                throw new JpmException(JpmError.INVALID_ARGUMENT, "bad regex " + target + ": " + e.getDescription());
            }
            return byId.values().stream()
                    .filter(i -> pattern.matcher(i.name()).find())
                    .toList();
        }
        List<Instance> named = named(target);
        if (!named.isEmpty()) {
            return named;
        }
        // pm2 (Client.getProcessIdByName): the apps started from that script
        String script = cwd == null ? null : cwd.resolve(target).normalize().toString();
        List<Instance> fromScript = byId.values().stream()
                .filter(i -> i.config().script().equals(script))
                .toList();
        if (!fromScript.isEmpty()) {
            return fromScript;
        }
        // pm2: a name that is no app's may be a namespace
        return byId.values().stream()
                .filter(i -> i.config().ecosystem().namespace().equals(target))
                .toList();
    }
}
