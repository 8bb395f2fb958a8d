package io.jpm.alerts;

import io.jpm.config.AlertSettings.When;
import io.jpm.protocol.HealthEvent;
import io.jpm.protocol.MetricsSample;
import io.jpm.protocol.ProcessEvent;
import io.jpm.protocol.ProcessState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the rules judge, read from the daemon's events: each instance's app (from process events, or
 * God's figures at the start), the instances errored and unhealthy by app, and each sample's usage
 * summed by app. An app is errored or unhealthy while one of its instances is; its memory is its
 * instances' sum, its cpu its busiest instance's.
 */
final class AppWatch {
    private final Map<Integer, String> apps = new HashMap<>();
    private final Map<String, Set<Integer>> errored = new HashMap<>();
    private final Map<String, Set<Integer>> unhealthy = new HashMap<>();

    void name(int pmId, String app) {
        apps.put(pmId, app);
    }

    boolean knows(int pmId) {
        return apps.containsKey(pmId);
    }

    List<Alert> process(ProcessEvent e, RuleBook book) {
        if (e.oldRun()) {
            return List.of(); // a reload's old run ending: the app itself goes on
        }
        List<Alert> out = new ArrayList<>();
        if (ProcessEvent.DELETED.equals(e.to())) {
            apps.remove(e.pmId());
            out.addAll(mark(errored, When.ERRORED, e.app(), e.pmId(), false, e.time(), book, ""));
            out.addAll(mark(unhealthy, When.UNHEALTHY, e.app(), e.pmId(), false, e.time(), book, ""));
            if (!apps.containsValue(e.app())) {
                book.forget(e.app());
            }
            return out;
        }
        apps.put(e.pmId(), e.app());
        if (ProcessState.WAITING_RESTART.is(e.to())) {
            out.addAll(book.restarted(e.app(), e.time()));
        }
        boolean isErrored = ProcessState.ERRORED.is(e.to());
        String why = isErrored
                ? e.app() + " is errored (pm_id " + e.pmId() + (e.reason() == null ? "" : ": " + e.reason()) + ")"
                : e.app() + " pm_id " + e.pmId() + " is " + e.to();
        out.addAll(mark(errored, When.ERRORED, e.app(), e.pmId(), isErrored, e.time(), book, why));
        if (!ProcessState.ONLINE.is(e.to())) {
            // a run that ended has no verdict any more; its next run's first verdict comes as an event
            out.addAll(mark(unhealthy, When.UNHEALTHY, e.app(), e.pmId(), false, e.time(), book, e.app() + " stopped"));
        }
        return out;
    }

    List<Alert> health(HealthEvent e, RuleBook book) {
        boolean sick = HealthEvent.UNHEALTHY.equals(e.status());
        String why = e.app() + " is unhealthy (pm_id " + e.pmId() + (e.reason() == null ? "" : ": " + e.reason()) + ")";
        return mark(
                unhealthy,
                When.UNHEALTHY,
                e.app(),
                e.pmId(),
                sick,
                e.time(),
                book,
                sick ? why : e.app() + " is healthy");
    }

    /** Each app's usage in the sample; returns the pm_ids it could not name (asked of God by the caller). */
    List<Alert> sample(MetricsSample sample, RuleBook book, Set<Integer> unknown) {
        Map<String, long[]> memory = new HashMap<>();
        Map<String, double[]> cpu = new HashMap<>();
        for (MetricsSample.Usage u : sample.processes()) {
            String app = apps.get(u.pmId());
            if (app == null) {
                unknown.add(u.pmId());
                continue;
            }
            memory.computeIfAbsent(app, a -> new long[1])[0] += u.memory();
            double[] busiest = cpu.computeIfAbsent(app, a -> new double[1]);
            busiest[0] = Math.max(busiest[0], u.cpu());
        }
        List<Alert> out = new ArrayList<>();
        memory.forEach((app, m) -> out.addAll(book.usage(app, m[0], cpu.get(app)[0], sample.time())));
        // an app with no instance in the sample (stopped) uses nothing: its conditions clear
        for (String app : new HashSet<>(apps.values())) {
            if (!memory.containsKey(app)) {
                out.addAll(book.usage(app, 0, 0, sample.time()));
            }
        }
        return out;
    }

    private static List<Alert> mark(
            Map<String, Set<Integer>> by,
            When when,
            String app,
            int pmId,
            boolean on,
            long now,
            RuleBook book,
            String text) {
        Set<Integer> ids = by.computeIfAbsent(app, a -> new HashSet<>());
        boolean changed = on ? ids.add(pmId) : ids.remove(pmId);
        boolean holds = !ids.isEmpty();
        if (!holds) {
            by.remove(app);
        }
        // a firing the daemon before this one sent is judged on this one's first fact of it, changed or not
        return changed || book.carries(when, app) ? book.state(when, app, holds, now, text) : List.of();
    }
}
