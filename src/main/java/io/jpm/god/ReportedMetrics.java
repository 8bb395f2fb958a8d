package io.jpm.god;

import io.jpm.protocol.CodeMetrics;
import io.jpm.verticle.Plain;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an instance's Node run reports from inside over its channel, kept as pm2's daemon keeps it
 * (Daemon.js): {@code axm:monitor} merged into the metrics by name (a name keeps its place, its
 * entry is replaced), {@code axm:action} added once per name, {@code axm:option:configuration}
 * merged into the options. A new run starts with no metrics and no actions; the options stay, as
 * pm2 resets only the first two at a restart (God.js).
 *
 * <p>Bounded whatever an app sends: at most {@link #MAX_METRICS} metrics, {@link #MAX_ACTIONS}
 * actions and {@link #MAX_OPTIONS} options (later names are dropped), each metric entry only
 * pm2's scalar fields with texts cut at {@link #MAX_TEXT} characters, each action and option
 * kept only when it is small. Each change makes a new immutable snapshot, so the list and
 * describe hand it out without copying. God's event loop, but {@link #offer}.
 */
final class ReportedMetrics {
    static final int MAX_METRICS = 200;
    static final int MAX_ACTIONS = 100;
    static final int MAX_OPTIONS = 100;
    static final int MAX_TEXT = 1024;
    /** An action's or an option's JSON beyond this many characters is not kept. */
    static final int MAX_ENTRY_JSON = 4096;
    /** The fields of a metric entry @pm2/io (and pmx before it) sends; anything else is not kept. */
    private static final List<String> METRIC_FIELDS = List.of("historic", "unit", "type", "value", "agg_type");

    /** Reports kept as they came until someone looks: at most this many, the oldest dropped first. */
    static final int MAX_PENDING = 8;

    private CodeMetrics current = CodeMetrics.NONE;
    /**
     * {@code axm:monitor} lines not read yet, each with the channel it came through, handed over by
     * the channel's pump thread (guarded by itself). Every Node app sends one a second (two with
     * @pm2/io beside jpm's preload): handing each to God's event loop and reading it there cost the
     * daemon 1.1-1.5 % of a core for 20 idle Node apps (2 ticks of CPU a second against 0.13
     * without them); kept as text and read when a list or describe asks, they cost the pump's
     * read alone. Merged in their order, so what a report left out keeps the value an earlier one
     * gave it, as pm2 merges them, as long as no more than {@link #MAX_PENDING} came between two
     * looks.
     */
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    private record Pending(Object channel, String line) {}

    /** The metrics, actions and options of the run whose channel is {@code channel} (God's loop). */
    CodeMetrics view(Object channel) {
        for (Pending report : drain()) {
            if (report.channel() != channel) {
                continue; // an earlier run's, come late
            }
            try {
                if (new JsonObject(report.line()).getValue("data") instanceof JsonObject data) {
                    monitor(data);
                }
            } catch (RuntimeException e) {
                // not JSON after all: nothing to merge
            }
        }
        return current;
    }

    /** A whole {@code {"type":"axm:monitor","data":{..}}} line from {@code channel} (any thread). */
    void offer(Object channel, String line) {
        synchronized (pending) {
            if (pending.size() == MAX_PENDING) {
                pending.removeFirst();
            }
            pending.addLast(new Pending(channel, line));
        }
    }

    private List<Pending> drain() {
        synchronized (pending) {
            List<Pending> all = new ArrayList<>(pending);
            pending.clear();
            return all;
        }
    }

    /** A new run: its metrics and actions are its own; @pm2/io's options stay as pm2 keeps them. */
    void newRun() {
        drain();
        if (!current.monitor().isEmpty() || !current.actions().isEmpty()) {
            current = new CodeMetrics(Map.of(), List.of(), current.options());
        }
    }

    /** {@code axm:monitor}: each metric of {@code data} replaces the one of the same name. */
    void monitor(JsonObject data) {
        Map<String, Object> merged = new LinkedHashMap<>(current.monitor());
        for (Map.Entry<String, Object> metric : data) {
            if (metric.getKey().length() > MAX_TEXT
                    || (!merged.containsKey(metric.getKey()) && merged.size() >= MAX_METRICS)) {
                continue;
            }
            merged.put(metric.getKey(), entry(metric.getValue()));
        }
        current = new CodeMetrics(Collections.unmodifiableMap(merged), current.actions(), current.options());
    }

    /** {@code axm:action}: an action not declared yet (by its name) is added. */
    void action(JsonObject action) {
        Object name = action.getValue("action_name");
        if (!(name instanceof String) || current.actions().size() >= MAX_ACTIONS || tooBig(action)) {
            return;
        }
        if (current.actionNames().contains(name)) {
            return;
        }
        List<Object> actions = new ArrayList<>(current.actions());
        actions.add(Collections.unmodifiableMap(plain(action)));
        current = new CodeMetrics(current.monitor(), Collections.unmodifiableList(actions), current.options());
    }

    /**
     * {@code axm:option:configuration}: each option replaces the one of the same name. pm2 also
     * renames the app to a {@code name} given there; jpm keeps the app's name (a rename from inside
     * the app would change what every command and file names it by).
     */
    void options(JsonObject data) {
        Map<String, Object> merged = new LinkedHashMap<>(current.options());
        for (Map.Entry<String, Object> option : data) {
            if (tooBig(option.getValue()) || (!merged.containsKey(option.getKey()) && merged.size() >= MAX_OPTIONS)) {
                continue;
            }
            merged.put(option.getKey(), plainValue(option.getValue()));
        }
        current = new CodeMetrics(current.monitor(), current.actions(), Collections.unmodifiableMap(merged));
    }

    /** A metric entry with pm2's scalar fields only; a bare value (pmx's old form) stays as it is. */
    private static Object entry(Object value) {
        if (!(value instanceof JsonObject given)) {
            return scalar(value);
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        for (String field : METRIC_FIELDS) {
            if (given.containsKey(field)) {
                entry.put(field, scalar(given.getValue(field)));
            }
        }
        return Collections.unmodifiableMap(entry);
    }

    /** A string cut at MAX_TEXT, a number or boolean as it is; anything else is not kept (null). */
    private static Object scalar(Object value) {
        if (value instanceof String s) {
            return s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) : s;
        }
        return value instanceof Number || value instanceof Boolean ? value : null;
    }

    private static boolean tooBig(Object value) {
        if (value instanceof JsonObject o) {
            return o.encode().length() > MAX_ENTRY_JSON;
        }
        if (value instanceof JsonArray a) {
            return a.encode().length() > MAX_ENTRY_JSON;
        }
        return value instanceof String s && s.length() > MAX_ENTRY_JSON;
    }

    private static Map<String, Object> plain(JsonObject o) {
        return Plain.map(o);
    }

    private static Object plainValue(Object value) {
        if (value instanceof JsonObject || value instanceof JsonArray) {
            return Plain.map(new JsonObject().put("v", value)).get("v");
        }
        return value;
    }
}
