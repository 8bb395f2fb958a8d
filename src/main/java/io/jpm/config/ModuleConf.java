package io.jpm.config;

import io.jpm.protocol.ConfKeys;
import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * pm2's module configuration, JPM_HOME/module_conf.json, in pm2's layout: {@code <app>.<key>} and
 * {@code <app>:<key>} nest under the app, a bare key sits at the top, every value a string as
 * {@code pm2 set} stores it. {@link #set} and {@link #unset} are pm2's edits (lib/Configuration.js)
 * on a copy; {@link #render} is pm2's text ({@code JSON.stringify(conf, null, 4)}), so the file reads
 * the same whichever of the two wrote it; {@link #env} is what an app gets in its environment.
 */
public final class ModuleConf {
    private ModuleConf() {}

    /** The file's text as an object; "" (no file yet) is empty. */
    public static JsonObject parse(String where, String text) {
        if (text.isBlank()) {
            return new JsonObject();
        }
        try {
            return new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            throw new JpmException(
                    JpmError.INVALID_CONFIG, where + " does not read as a JSON object: fix it by hand first");
        }
    }

    /**
     * {@code pm2 set <key> <value>} on a copy: each part but the last an object (a value in the way
     * is replaced by one, as pm2 does), the last part the value.
     */
    public static JsonObject set(JsonObject conf, String key, String value) {
        JsonObject copy = conf.copy();
        List<String> parts = ConfKeys.split(key);
        JsonObject parent = copy;
        for (String part : parts.subList(0, parts.size() - 1)) {
            if (!(parent.getValue(part) instanceof JsonObject)) {
                parent.put(part, new JsonObject());
            }
            parent = parent.getJsonObject(part);
        }
        parent.put(parts.get(parts.size() - 1), value);
        return copy;
    }

    /**
     * {@code pm2 unset <key>} on a copy; {@code all} empties the whole. A key that is not there
     * changes nothing (pm2 also leaves an empty object for each missing part on the way, or replaces
     * a value in the way with one: jpm does not).
     */
    public static JsonObject unset(JsonObject conf, String key) {
        if (key.equals("all")) {
            return new JsonObject();
        }
        JsonObject copy = conf.copy();
        List<String> parts = ConfKeys.split(key);
        JsonObject parent = copy;
        for (String part : parts.subList(0, parts.size() - 1)) {
            if (!(parent.getValue(part) instanceof JsonObject next)) {
                return copy;
            }
            parent = next;
        }
        parent.remove(parts.get(parts.size() - 1));
        return copy;
    }

    /**
     * What a process named {@code name} gets in its environment, as pm2's getModuleConf gives it:
     * each text value under {@code name} as a variable of its own, and a variable named {@code name}
     * holding that entry as JSON. No entry (or one that is not an object) gives nothing: pm2 then
     * hands the child an empty object, which node leaves out of its environment.
     */
    public static Map<String, String> env(JsonObject conf, String name) {
        Map<String, String> env = new LinkedHashMap<>();
        if (!(conf.getValue(name) instanceof JsonObject entry)) {
            return env;
        }
        entry.forEach(e -> {
            Object v = e.getValue();
            if (v != null && !(v instanceof JsonObject) && !(v instanceof JsonArray)) {
                env.put(e.getKey(), String.valueOf(v)); // an object is left out, as node leaves it out
            }
        });
        env.put(name, entry.encode());
        return env;
    }

    /** pm2's text of the file: {@code JSON.stringify(conf, null, 4)}. */
    public static String render(JsonObject conf) {
        StringBuilder out = new StringBuilder();
        write(out, conf, "");
        return out.toString();
    }

    private static void write(StringBuilder out, Object value, String indent) {
        if (value instanceof JsonObject object) {
            if (object.isEmpty()) {
                out.append("{}");
                return;
            }
            out.append("{\n");
            String inner = indent + "    ";
            int i = 0;
            for (Map.Entry<String, Object> e : object) {
                out.append(inner);
                string(out, e.getKey());
                out.append(": ");
                write(out, e.getValue(), inner);
                out.append(++i < object.size() ? ",\n" : "\n");
            }
            out.append(indent).append('}');
        } else if (value instanceof JsonArray array) {
            if (array.isEmpty()) {
                out.append("[]");
                return;
            }
            out.append("[\n");
            String inner = indent + "    ";
            for (int i = 0; i < array.size(); i++) {
                out.append(inner);
                write(out, array.getValue(i), inner);
                out.append(i + 1 < array.size() ? ",\n" : "\n");
            }
            out.append(indent).append(']');
        } else if (value instanceof String s) {
            string(out, s);
        } else {
            out.append(Json.encode(value)); // numbers, booleans, null: only in a file edited by hand
        }
    }

    /** JSON.stringify's escaping: quote, backslash, the short escapes, other controls as lower-case \\u00xx. */
    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || (Character.isSurrogate(c) && !pairedSurrogate(s, i))) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean pairedSurrogate(String s, int i) {
        char c = s.charAt(i);
        return Character.isHighSurrogate(c)
                ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
