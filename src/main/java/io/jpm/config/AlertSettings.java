package io.jpm.config;

import io.jpm.protocol.Durations;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * jpm.json's {@code alerts} section, read once into records: the webhooks alerts go to and the rules
 * that send them (docs/CONFIG.md, "Alerts"). A bad value is refused in one line naming the rule or
 * webhook and the option, and nothing of the section applies.
 */
public record AlertSettings(Map<String, Webhook> webhooks, List<Rule> rules, long windowMs, int maxPerWindow) {
    /** What a rule watches. */
    public enum When {
        RESTARTS,
        ERRORED,
        MEMORY,
        CPU,
        UNHEALTHY,
        EXCEPTION;

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The JSON a webhook is sent: Slack's and Discord's incoming-webhook bodies, or jpm's own alert. */
    public enum Format {
        SLACK,
        DISCORD,
        JSON
    }

    /**
     * Where alerts go. The URL is a secret (whoever holds it may post to the channel): only {@link #shown}
     * leaves the daemon.
     */
    public record Webhook(String name, URI url, Format format) {
        /** The scheme and host, never the path, which holds the webhook's key. */
        public String shown() {
            return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + "/…";
        }
    }

    /**
     * One rule: {@code over} is restarts (in {@code perMs}), bytes, or percent of a core; {@code forMs}
     * how long memory or cpu stays over it; {@code apps} empty for every app.
     */
    public record Rule(String name, When when, double over, long perMs, long forMs, Set<String> apps, List<String> to) {
        public boolean covers(String app) {
            return apps.isEmpty() || apps.contains(app);
        }
    }

    static final Set<String> OPTIONS = Set.of("webhooks", "rules", "window", "max_per_window");
    static final Set<String> WEBHOOK_OPTIONS = Set.of("url", "format");
    static final Set<String> RULE_OPTIONS = Set.of("name", "when", "over", "per", "for", "apps", "to");
    public static final long DEFAULT_WINDOW_MS = 10 * 60_000L;
    public static final int DEFAULT_MAX_PER_WINDOW = 20;
    /** A bound on what one file can make the daemon hold and check at each event. */
    static final int MAX_RULES = 64;

    static final int MAX_WEBHOOKS = 16;

    public static AlertSettings none() {
        return new AlertSettings(Map.of(), List.of(), DEFAULT_WINDOW_MS, DEFAULT_MAX_PER_WINDOW);
    }

    public static AlertSettings parse(String where, JsonObject section) {
        String at = where + ": alerts";
        known(at, section, OPTIONS);
        long window = duration(at, "window", section.getValue("window"), DEFAULT_WINDOW_MS);
        Object max = section.getValue("max_per_window");
        if (max != null && !(max instanceof Number n && n.doubleValue() == n.intValue() && n.intValue() >= 1)) {
            throw refused(at + ": option 'max_per_window' must be a whole number of at least 1, got " + max);
        }
        Map<String, Webhook> webhooks = webhooks(at, object(at, "webhooks", section.getValue("webhooks")));
        List<Rule> rules = new ArrayList<>();
        Object list = section.getValue("rules");
        if (list != null && !(list instanceof JsonArray)) {
            throw refused(at + ": option 'rules' must be an array of rules, got " + list);
        }
        JsonArray array = list == null ? new JsonArray() : (JsonArray) list;
        if (array.size() > MAX_RULES) {
            throw refused(at + ": at most " + MAX_RULES + " rules, got " + array.size());
        }
        for (int i = 0; i < array.size(); i++) {
            Rule rule = AlertRuleParser.rule(at + ": rule " + (i + 1), array.getValue(i), webhooks.keySet());
            if (rules.stream().anyMatch(r -> r.name().equals(rule.name()))) {
                throw refused(at + ": rule '" + rule.name() + "': the name is taken by another rule");
            }
            rules.add(rule);
        }
        return new AlertSettings(
                Map.copyOf(webhooks),
                List.copyOf(rules),
                window,
                max == null ? DEFAULT_MAX_PER_WINDOW : ((Number) max).intValue());
    }

    private static Map<String, Webhook> webhooks(String at, JsonObject section) {
        if (section.size() > MAX_WEBHOOKS) {
            throw refused(at + ": at most " + MAX_WEBHOOKS + " webhooks, got " + section.size());
        }
        Map<String, Webhook> webhooks = new LinkedHashMap<>();
        for (String name : section.fieldNames()) {
            String here = at + ": webhook '" + name + "'";
            JsonObject hook = object(here, "", section.getValue(name));
            known(here, hook, WEBHOOK_OPTIONS);
            Format format = format(here, hook.getValue("format"));
            webhooks.put(name, new Webhook(name, url(here, hook.getValue("url")), format));
        }
        return webhooks;
    }

    /** Only http and https with a host: a file, a socket path or a script is no webhook. */
    private static URI url(String at, Object value) {
        if (!(value instanceof String text) || text.isBlank()) {
            throw refused(at + ": option 'url' must be an http:// or https:// URL");
        }
        try {
            URI url = new URI(text.trim());
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
                // the value itself is not repeated: it may be a secret pasted in the wrong place
                throw refused(at + ": option 'url' must be an http:// or https:// URL with a host");
            }
            return url;
        } catch (URISyntaxException e) {
            throw refused(at + ": option 'url' is not a URL (" + e.getReason() + ")");
        }
    }

    private static Format format(String at, Object value) {
        if (value == null) {
            return Format.JSON;
        }
        for (Format f : Format.values()) {
            if (f.name().equalsIgnoreCase(String.valueOf(value))) {
                return f;
            }
        }
        throw refused(at + ": option 'format' must be slack, discord or json, got " + value);
    }

    static JsonObject object(String at, String option, Object value) {
        if (value == null) {
            return new JsonObject();
        }
        if (!(value instanceof JsonObject object)) {
            // the value is not repeated: a webhook's URL pasted in the wrong place would be shown to every reader
            throw refused(at + (option.isEmpty() ? "" : ": option '" + option + "'") + " must be an object");
        }
        return object;
    }

    static void known(String at, JsonObject object, Set<String> options) {
        for (String option : object.fieldNames()) {
            if (!options.contains(option)) {
                String hint = Spelling.closest(option, options)
                        .map(s -> " (did you mean '" + s + "'?)")
                        .orElse("");
                throw refused(at + ": option '" + option + "' is not a known option" + hint);
            }
        }
    }

    static long duration(String at, String option, Object value, long fallback) {
        if (value == null) {
            return fallback;
        }
        long ms = Durations.millis(value);
        if (ms < 0) {
            throw refused(at + ": option '" + option + "' must be a duration like 30s, 5m or 1h, got " + value);
        }
        return ms;
    }

    static JpmException refused(String line) {
        return new JpmException(JpmError.INVALID_CONFIG, line);
    }
}
