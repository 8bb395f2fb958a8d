package io.jpm.config;

import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;

/**
 * {@code jpm set/unset <section.option> [value]}: one key of JPM_HOME/jpm.json changed, the whole
 * file validated as the daemon will read it ({@link DaemonSettings}), and the new text returned
 * only when it validates: a bad value changes nothing.
 */
public final class SettingsEdit {
    private SettingsEdit() {}

    /**
     * @param text the file's text now ("" when there is none)
     * @param value the new value, or null to remove the key
     * @return the file's new text
     */
    public static String apply(String where, String text, String key, Object value) {
        String[] path = key.split("\\.");
        if (path.length < 2 || Arrays.stream(path).anyMatch(String::isBlank)) {
            throw new JpmException(
                    JpmError.INVALID_ARGUMENT,
                    "name a section and an option, like persist.auto_dump, got '" + key + "'");
        }
        JsonObject settings;
        try {
            settings = text.isBlank() ? new JsonObject() : new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            throw new JpmException(
                    JpmError.INVALID_CONFIG, where + " does not read as a JSON object: fix it by hand first");
        }
        JsonObject parent = settings;
        for (int i = 0; i < path.length - 1; i++) {
            Object next = parent.getValue(path[i]);
            if (next == null && value != null) {
                next = new JsonObject();
                parent.put(path[i], next);
            }
            if (!(next instanceof JsonObject object)) {
                if (value == null) {
                    return text; // nothing there to remove
                }
                throw new JpmException(
                        JpmError.INVALID_ARGUMENT, key + ": '" + path[i] + "' is not an object in " + where);
            }
            parent = object;
        }
        if (value == null) {
            parent.remove(path[path.length - 1]);
        } else {
            parent.put(path[path.length - 1], value);
        }
        String next = settings.encodePrettily() + "\n";
        DaemonSettings.parse(where, next);
        return next;
    }

    /** A value as typed: JSON when it reads as JSON (true, 30, {"a":1}, "text"), else the text itself. */
    public static Object value(String typed) {
        try {
            return Json.decodeValue(typed);
        } catch (DecodeException e) {
            return typed;
        }
    }
}
