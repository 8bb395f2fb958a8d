package io.jpm.verticle;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Between Vert.x's JSON types and the plain maps and lists the message records of {@code protocol}
 * are built from ({@link io.jpm.protocol.Fields}), so the records stay free of any JSON library and
 * the CLI shares them.
 */
public final class Plain {
    private Plain() {}

    /** A JsonObject as plain Java, deeply (a JsonObject inside may hold JsonObjects or Maps alike). */
    public static Map<String, Object> map(JsonObject json) {
        Map<String, Object> map = new LinkedHashMap<>();
        if (json != null) {
            json.forEach(e -> map.put(e.getKey(), value(e.getValue())));
        }
        return map;
    }

    private static Object value(Object v) {
        if (v instanceof JsonObject o) {
            return map(o);
        }
        if (v instanceof JsonArray a) {
            List<Object> list = new ArrayList<>();
            a.forEach(x -> list.add(value(x)));
            return list;
        }
        if (v instanceof Map<?, ?> m) {
            return map(new JsonObject(castMap(m)));
        }
        if (v instanceof List<?> l) {
            return value(new JsonArray(new ArrayList<>(l)));
        }
        return v;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> m) {
        return (Map<String, Object>) m;
    }

    /** A record's plain map as a JsonObject, to put on the bus. */
    public static JsonObject json(Map<String, ?> map) {
        return new JsonObject(castMap(map));
    }
}
