package io.jpm.config;

import com.cronutils.model.time.ExecutionTime;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * pm2-logrotate's keys ({@code pm2 set pm2-logrotate:max_size 10M}) as jpm's own log rotation
 * settings (jpm.json's {@code logs} section), so a pm2 user's provisioning script means under jpm
 * what it meant under pm2: jpm rotates logs itself and has no pm2-logrotate to read them.
 * {@code max_size}, {@code retain} and {@code compress} are the same settings; {@code rotateInterval}
 * (a cron) becomes {@code rotate_interval} when its firings are evenly spaced ({@code 0 0 * * *}:
 * {@code 1d}); the other keys have no counterpart and are only kept in module_conf.json.
 */
public final class LogrotateKeys {
    private LogrotateKeys() {}

    /** pm2-logrotate's entry in module_conf.json (the module's name). */
    public static final String MODULE = "pm2-logrotate";
    /** Its keys that are jpm.json settings, and which. */
    private static final Map<String, String> MAPPED = Map.of(
            "max_size",
            "logs.max_size",
            "retain",
            "logs.retain",
            "compress",
            "logs.compress",
            "rotateInterval",
            "logs.rotate_interval");
    /**
     * How many firings of a rotateInterval cron are compared: a day and more of a cron every minute,
     * years of a daily one (cron-utils takes ~50 us a firing; this runs on the config watcher's worker).
     */
    private static final int FIRINGS_COMPARED = 2_000;

    private static final ZonedDateTime FROM = ZonedDateTime.of(2001, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    /**
     * What an edit of module_conf.json does to jpm.json: for each mapped key of pm2-logrotate's entry
     * that changed, the jpm.json key and its new value, or null when it was removed (the default then
     * applies); and a line for each key set that jpm does not act on.
     *
     * @throws JpmException a rotateInterval that is no cron, naming the key
     */
    public static Effect effect(JsonObject before, JsonObject after) {
        JsonObject was = entry(before);
        JsonObject now = entry(after);
        Map<String, Object> settings = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        for (String key : union(was, now)) {
            Object value = now.getValue(key);
            if (Objects.equals(value, was.getValue(key))) {
                continue;
            }
            String setting = MAPPED.get(key);
            if (setting == null) {
                if (value != null) {
                    notes.add(MODULE + ":" + key
                            + " has no counterpart in jpm's log rotation: kept in module_conf.json, without effect");
                }
            } else if (value == null) {
                settings.put(setting, null);
            } else if (key.equals("rotateInterval")) {
                Optional<String> period = period(String.valueOf(value));
                if (period.isPresent()) {
                    settings.put(setting, period.get());
                } else {
                    notes.add(
                            MODULE + ":rotateInterval '" + value
                                    + "' does not fire at a fixed period: jpm rotates a file"
                                    + " rotate_interval after it was opened, so logs.rotate_interval is left as it is (jpm set logs.rotate_interval 1d)");
                }
            } else {
                settings.put(setting, SettingsEdit.value(String.valueOf(value)));
            }
        }
        return new Effect(settings, notes);
    }

    /** The pm2-logrotate key that sets the jpm.json key {@code setting} ("logs.max_size": "max_size"). */
    public static String keyFor(String setting) {
        return MAPPED.entrySet().stream()
                .filter(e -> e.getValue().equals(setting))
                .map(Map.Entry::getKey)
                .findFirst()
                .orElse(setting);
    }

    /** jpm.json keys to set (null: remove) and lines to show the user. */
    public record Effect(Map<String, Object> settings, List<String> notes) {}

    /**
     * The period between a cron's firings when it is always the same ({@code 0 0 * * *}: "1d",
     * {@code *}{@code /15 * * * *}: "15m"), else empty.
     *
     * @throws JpmException when the text is no cron pm2-logrotate would take
     */
    static Optional<String> period(String cron) {
        ExecutionTime times;
        try {
            times = ExecutionTime.forCron(CronExpressions.parse(cron));
        } catch (IllegalArgumentException e) {
            throw new JpmException(
                    JpmError.INVALID_ARGUMENT,
                    MODULE + ":rotateInterval must be a cron like '0 0 * * *', got '" + cron + "': " + e.getMessage());
        }
        Optional<ZonedDateTime> previous = times.nextExecution(FROM);
        Duration period = null;
        for (int i = 0; i < FIRINGS_COMPARED && previous.isPresent(); i++) {
            Optional<ZonedDateTime> next = times.nextExecution(previous.get());
            if (next.isEmpty()) {
                break;
            }
            Duration gap = Duration.between(previous.get(), next.get());
            if (period != null && !period.equals(gap)) {
                return Optional.empty();
            }
            period = gap;
            previous = next;
        }
        return period == null ? Optional.empty() : Optional.of(text(period.toMillis()));
    }

    /** In jpm.json's words for a duration: "1d", "6h", "15m", "30s", else milliseconds. */
    private static String text(long ms) {
        if (ms % 86_400_000L == 0) {
            return ms / 86_400_000L + "d";
        }
        if (ms % 3_600_000L == 0) {
            return ms / 3_600_000L + "h";
        }
        if (ms % 60_000L == 0) {
            return ms / 60_000L + "m";
        }
        return ms % 1_000L == 0 ? ms / 1_000L + "s" : Long.toString(ms);
    }

    private static JsonObject entry(JsonObject conf) {
        return conf.getValue(MODULE) instanceof JsonObject entry ? entry : new JsonObject();
    }

    private static List<String> union(JsonObject a, JsonObject b) {
        List<String> keys = new ArrayList<>(a.fieldNames());
        b.fieldNames().stream().filter(k -> !keys.contains(k)).forEach(keys::add);
        return keys;
    }
}
