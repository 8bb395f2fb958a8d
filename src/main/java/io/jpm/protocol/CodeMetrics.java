package io.jpm.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a Node app reports from inside, in pm2's shape: {@code pm2_env.axm_monitor} (its code
 * metrics by name, each {@code {"historic":true,"unit":"MiB","type":"internal/v8/heap/total",
 * "value":"6.98"}}: jpm's preload sends pm2's defaults for every Node app, @pm2/io the app's own),
 * {@code axm_actions} (the actions {@code jpm trigger} can run, each {@code {"action_name",
 * "action_type","arity"}}) and {@code axm_options} (@pm2/io's configuration as the app sent it).
 */
public record CodeMetrics(Map<String, Object> monitor, List<Object> actions, Map<String, Object> options) {
    public static final CodeMetrics NONE = new CodeMetrics(Map.of(), List.of(), Map.of());

    /** One line of describe's "Code metrics value" box: the metric's name and its value with its unit. */
    public record Line(String name, String value) {}

    public CodeMetrics {
        monitor = monitor == null ? Map.of() : monitor;
        actions = actions == null ? List.of() : actions;
        options = options == null ? Map.of() : options;
    }

    /** Reads pm2_env's three fields (absent ones are empty). */
    public static CodeMetrics from(Fields pm2Env) {
        return new CodeMetrics(
                pm2Env.object("axm_monitor").asMap(),
                pm2Env.list("axm_actions"),
                pm2Env.object("axm_options").asMap());
    }

    /** The pm2_env keys {@link #writeTo} writes. */
    static final List<String> KEYS = List.of("axm_monitor", "axm_actions", "axm_options");

    void writeTo(ProcessViewWriter row) {
        row.full(KEYS.get(0), new LinkedHashMap<>(monitor));
        row.full(KEYS.get(1), actions);
        row.full(KEYS.get(2), new LinkedHashMap<>(options));
    }

    /**
     * The metrics as pm2's describe writes them: {@code "<value> <unit>"} ({@code "6.98 MiB"}, a
     * metric without a unit its value alone), the whole entry for one that has no value.
     */
    public List<Line> lines() {
        List<Line> lines = new ArrayList<>();
        monitor.forEach((name, entry) -> {
            if (entry instanceof Map<?, ?> m && m.containsKey("value")) {
                Object unit = m.get("unit");
                String value = text(m.get("value"));
                lines.add(new Line(name, unit == null || "".equals(unit) ? value : value + " " + unit));
            } else {
                lines.add(new Line(name, text(entry)));
            }
        });
        return lines;
    }

    /** The names of the actions the app declared, in its order. */
    public List<String> actionNames() {
        List<String> names = new ArrayList<>();
        for (Object action : actions) {
            if (action instanceof Map<?, ?> m && m.get("action_name") instanceof String name) {
                names.add(name);
            }
        }
        return names;
    }

    /** A value as JavaScript writes it in a template string: 3 for 3.0, 2.94, "6.98" as 6.98. */
    static String text(Object value) {
        if (value instanceof Double d && d == Math.rint(d) && !d.isInfinite() && Math.abs(d) < 1e15) {
            return Long.toString(d.longValue());
        }
        if (value instanceof Float f && f == Math.rint(f) && !f.isInfinite() && Math.abs(f) < 1e15) {
            return Long.toString(f.longValue());
        }
        return String.valueOf(value);
    }

    /**
     * The numeric value of the metric whose pm2 type (its id, {@code internal/v8/heap/total}) is
     * {@code type}: pm2's figures come as numbers or as numbers in strings ("6.98"); null when the
     * app reports none or not a number.
     */
    public Double valueOf(String type) {
        for (Object entry : monitor.values()) {
            if (entry instanceof Map<?, ?> m && type.equals(m.get("type"))) {
                return number(m.get("value"));
            }
        }
        return null;
    }

    /** A metric's value as a number: a number, or a string holding one ("6.98"); null otherwise. */
    public static Double number(Object value) {
        if (value instanceof Number n) {
            return n.doubleValue();
        }
        if (value instanceof String s && !s.isBlank()) {
            try {
                double d = Double.parseDouble(s.strip());
                return Double.isFinite(d) ? d : null;
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
