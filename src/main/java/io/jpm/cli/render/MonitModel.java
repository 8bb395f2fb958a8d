package io.jpm.cli.render;

import io.jpm.cli.transport.Json;
import io.jpm.protocol.LogLine;
import io.jpm.protocol.MetricsSample;
import io.jpm.protocol.ProcessView;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code jpm monit} shows: the process list (refreshed from the daemon when a process event
 * arrives), live cpu/memory from metrics events, and the last log lines of each process. Updated
 * from the event thread, read by the screen thread: every method is synchronized.
 */
final class MonitModel {
    /** Log lines kept per process. */
    static final int LOG_LINES = 200;

    private List<ProcessView> processes = new ArrayList<>();
    private final Map<Integer, double[]> usage = new HashMap<>();
    private final Map<Integer, Deque<String>> logs = new HashMap<>();
    private int selected;
    private boolean stale = true;
    private boolean dirty = true;

    synchronized void setProcesses(Json.Value list) {
        List<ProcessView> items = Render.views(list);
        processes = items;
        selected = Math.max(0, Math.min(selected, items.size() - 1));
        stale = false;
        dirty = true;
    }

    synchronized List<ProcessView> processes() {
        return List.copyOf(processes);
    }

    synchronized ProcessView selectedProcess() {
        return processes.isEmpty() ? null : processes.get(selected);
    }

    synchronized int selectedIndex() {
        return selected;
    }

    synchronized void move(int delta) {
        if (!processes.isEmpty()) {
            selected = Math.floorMod(selected + delta, processes.size());
            dirty = true;
        }
    }

    /**
     * An event on jpm.events.*: metrics update figures, process events and app metrics scrapes make
     * the list stale, log lines are kept.
     */
    synchronized void onEvent(Json.Value message) {
        String address = message.path("address").asText();
        Json.Value body = message.path("body");
        if (address.endsWith(".metrics")) {
            for (MetricsSample.Usage u : MetricsSample.from(body.asMap()).processes()) {
                usage.put(u.pmId(), new double[] {u.cpu(), u.memory()});
            }
        } else if (address.endsWith(".process") || address.endsWith(".health") || address.endsWith(".appMetrics")) {
            stale = true;
        } else if (address.endsWith(".log")) {
            for (Json.Value line : body.path("lines")) {
                addLog(LogLine.from(line.asMap()));
            }
        }
        dirty = true;
    }

    private void addLog(LogLine line) {
        Deque<String> lines = logs.computeIfAbsent(line.pmId(), k -> new ArrayDeque<>());
        lines.addLast(("stderr".equals(line.stream()) || "err".equals(line.stream()) ? "! " : "") + line.line());
        while (lines.size() > LOG_LINES) {
            lines.removeFirst();
        }
    }

    /**
     * cpu % and memory bytes: the last sample, else what the list said (always, for a reload's old
     * run: the samples by its pm_id are the new run's).
     */
    synchronized double[] usage(ProcessView p) {
        double[] u = p.oldRun() ? null : usage.get(p.pmId());
        if (u != null && p.pid() != 0) {
            return u;
        }
        return new double[] {p.cpu(), p.memory()};
    }

    synchronized List<String> logs(int pmId) {
        return new ArrayList<>(logs.getOrDefault(pmId, new ArrayDeque<>()));
    }

    /** True once since the last call when the list must be fetched again. */
    synchronized boolean takeStale() {
        boolean s = stale;
        stale = false;
        return s;
    }

    /** The screen changed by something other than the model (a scroll): redraw it. */
    synchronized void touch() {
        dirty = true;
    }

    synchronized boolean takeDirty() {
        boolean d = dirty;
        dirty = false;
        return d;
    }
}
