package io.jpm.config;

import static io.jpm.config.AlertSettings.duration;
import static io.jpm.config.AlertSettings.known;
import static io.jpm.config.AlertSettings.refused;

import io.jpm.config.AlertSettings.Rule;
import io.jpm.config.AlertSettings.When;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One rule of jpm.json's {@code alerts.rules}, each option checked against what its {@code when} takes. */
final class AlertRuleParser {
    private AlertRuleParser() {}

    static final long DEFAULT_PER_MS = 60_000;

    static final double DEFAULT_RESTARTS = 3;

    static Rule rule(String at, Object value, Set<String> webhooks) {
        if (!(value instanceof JsonObject rule)) {
            throw refused(at + " must be an object like {\"when\":\"restarts\",\"over\":3}, got " + value);
        }
        known(at, rule, AlertSettings.RULE_OPTIONS);
        Object named = rule.getValue("name");
        if (named != null && !(named instanceof String s && !s.isBlank())) {
            throw refused(at + ": option 'name' must be text, got " + named);
        }
        String section = at.substring(0, at.lastIndexOf(": rule "));
        When when = when(named == null ? at : section + ": rule '" + named + "'", rule.getValue("when"));
        String name = named == null ? when.word() : (String) named;
        String here = section + ": rule '" + name + "'";
        onlyFor(here, rule, "per", when == When.RESTARTS);
        onlyFor(here, rule, "for", when == When.MEMORY || when == When.CPU);
        onlyFor(here, rule, "over", when == When.RESTARTS || when == When.MEMORY || when == When.CPU);
        double over = over(here, when, rule.getValue("over"));
        long per = duration(here, "per", rule.getValue("per"), DEFAULT_PER_MS);
        if (when == When.RESTARTS && per < 1_000) {
            throw refused(here + ": option 'per' must be at least 1s, got " + rule.getValue("per"));
        }
        long forMs = duration(here, "for", rule.getValue("for"), 0);
        Set<String> apps = new LinkedHashSet<>(names(here, "apps", rule.getValue("apps")));
        List<String> to = rule.containsKey("to") ? names(here, "to", rule.getValue("to")) : List.copyOf(webhooks);
        for (String hook : to) {
            if (!webhooks.contains(hook)) {
                throw refused(here + ": option 'to' names no webhook '" + hook + "'; the webhooks are "
                        + (webhooks.isEmpty() ? "none" : String.join(", ", webhooks)));
            }
        }
        return new Rule(name, when, over, per, forMs, Set.copyOf(apps), List.copyOf(to));
    }

    private static When when(String at, Object value) {
        for (When w : When.values()) {
            if (w.word().equals(value)) {
                return w;
            }
        }
        throw refused(
                at + ": option 'when' must be restarts, errored, memory, cpu, unhealthy or exception, got " + value);
    }

    private static void onlyFor(String at, JsonObject rule, String option, boolean takes) {
        if (!takes && rule.containsKey(option)) {
            throw refused(at + ": option '" + option + "' does not apply to when '" + rule.getValue("when") + "'");
        }
    }

    /** Restarts: a count (3 by default); memory: bytes ("500M"); cpu: percent of a core. */
    private static double over(String at, When when, Object value) {
        switch (when) {
            case RESTARTS -> {
                if (value == null) {
                    return DEFAULT_RESTARTS;
                }
                if (value instanceof Number n && n.doubleValue() == n.longValue() && n.longValue() >= 1) {
                    return n.longValue();
                }
                throw refused(at + ": option 'over' must be a whole number of restarts, at least 1, got " + value);
            }
            case MEMORY -> {
                long bytes = value instanceof Number n && n.doubleValue() > 0
                        ? n.longValue()
                        : value instanceof String s ? WatchdogOptionsParser.parseSize(s) : -1;
                if (bytes <= 0) {
                    throw refused(at + ": option 'over' must be a size like 300M or 1G, got " + value);
                }
                return bytes;
            }
            case CPU -> {
                if (value instanceof Number n && n.doubleValue() > 0) {
                    return n.doubleValue();
                }
                throw refused(at + ": option 'over' must be a percent of a core above 0, like 90, got " + value);
            }
            default -> {
                return 0;
            }
        }
    }

    private static List<String> names(String at, String option, Object value) {
        List<String> names = new ArrayList<>();
        if (value instanceof String s) {
            names.add(s);
        } else if (value instanceof JsonArray array) {
            for (Object item : array) {
                if (!(item instanceof String s)) {
                    throw refused(at + ": option '" + option + "' must be a name or an array of names, got " + value);
                }
                names.add(s);
            }
        } else if (value != null) {
            throw refused(at + ": option '" + option + "' must be a name or an array of names, got " + value);
        }
        return names;
    }
}
