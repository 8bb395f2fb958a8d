package io.jpm.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;

/**
 * Options a command gives every app of an ecosystem file that does not set them itself, by pm2's
 * rule in its _startJson ({@code if (!app.watch && opts.watch) app.watch = true}): an app's own
 * value wins unless it is absent or falsy (null, false, "", 0), under any spelling of the option.
 * {@code jpm start <file> --watch} gives {@code watch: true}; jpm-dev also its {@code ignore_watch}.
 */
final class FileDefaults {
    private FileDefaults() {}

    static JsonArray apply(JsonArray apps, Map<String, Object> defaults) {
        if (defaults.isEmpty()) {
            return apps;
        }
        JsonArray given = new JsonArray();
        for (Object app : apps) {
            given.add(app instanceof JsonObject object ? withDefaults(object, defaults) : app);
        }
        return given;
    }

    private static JsonObject withDefaults(JsonObject app, Map<String, Object> defaults) {
        JsonObject copy = app.copy();
        defaults.forEach((option, value) -> {
            String spelled = spelling(copy, option);
            if (spelled == null || falsy(copy.getValue(spelled))) {
                if (spelled != null) {
                    copy.remove(spelled);
                }
                copy.put(option, json(value));
            }
        });
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Object json(Object value) {
        if (value instanceof List<?> list) {
            return new JsonArray((List<Object>) list);
        }
        return value instanceof Map<?, ?> map ? new JsonObject((Map<String, Object>) map) : value;
    }

    /** The key under which the app gives this option ({@code ignoreWatch} for ignore_watch), or null. */
    private static String spelling(JsonObject app, String option) {
        for (String key : app.fieldNames()) {
            if (key.equals(option) || OptionNames.snake(key).equals(option)) {
                return key;
            }
        }
        return null;
    }

    /** JavaScript's falsy values, as pm2's {@code !app.watch} reads them (an empty array is not). */
    private static boolean falsy(Object value) {
        return value == null
                || Boolean.FALSE.equals(value)
                || "".equals(value)
                || value instanceof Number n && n.doubleValue() == 0;
    }
}
