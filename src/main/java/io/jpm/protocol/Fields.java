package io.jpm.protocol;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoded JSON object read without a JSON library: what the message records are built from on
 * both sides, from plain {@code Map}s and {@code List}s (the CLI's JSON reader gives those; the
 * daemon turns a Vert.x {@code JsonObject} into them with {@code verticle.Plain}). An absent field
 * (or null) reads as absent: each record says which fields it requires and refuses a request
 * without them. A field of the wrong type is refused ({@link JpmError#INVALID_ARGUMENT}, naming the
 * field and the type wanted): read as absent, a typo such as {@code "parallel":"2"} would be a
 * silent default.
 */
public final class Fields {
    private final Map<String, Object> map;

    private Fields(Map<String, Object> map) {
        this.map = map;
    }

    /** The fields of {@code json}: a {@code Map}, or null (no field). */
    @SuppressWarnings("unchecked")
    public static Fields of(Object json) {
        Object plain = plain(json);
        return new Fields(plain instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of());
    }

    /** A JSON value as plain Java, copied deeply: objects as {@code LinkedHashMap}s, arrays as {@code ArrayList}s. */
    public static Object plain(Object value) {
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> copy.put(String.valueOf(k), plain(v)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            list.forEach(o -> copy.add(plain(o)));
            return copy;
        }
        return value;
    }

    public boolean has(String key) {
        return map.get(key) != null;
    }

    public Object get(String key) {
        return map.get(key);
    }

    /** Text, or null when absent. */
    public String string(String key) {
        return typed(key, String.class, "text");
    }

    public String string(String key, String fallback) {
        String value = string(key);
        return value == null ? fallback : value;
    }

    public boolean bool(String key, boolean fallback) {
        Boolean value = typed(key, Boolean.class, "true or false");
        return value == null ? fallback : value;
    }

    /** A whole number, or null when absent. */
    public Integer integer(String key) {
        Number n = typed(key, Number.class, "a whole number");
        if (n == null) {
            return null;
        }
        if (n.doubleValue() != Math.rint(n.doubleValue())) {
            throw wrongType(key, "a whole number", n);
        }
        return n.intValue();
    }

    public int integer(String key, int fallback) {
        Integer value = integer(key);
        return value == null ? fallback : value;
    }

    /** A number as a long (a time in ms, a byte count), or {@code fallback} when absent. */
    public long whole(String key, long fallback) {
        Number n = typed(key, Number.class, "a number");
        return n == null ? fallback : n.longValue();
    }

    /** An object of names to values, each value as text (an environment); empty when absent. */
    public Map<String, String> texts(String key) {
        Map<String, String> texts = new LinkedHashMap<>();
        Map<?, ?> m = typed(key, Map.class, "an object");
        if (m != null) {
            m.forEach((k, v) -> texts.put(String.valueOf(k), String.valueOf(v)));
        }
        return texts;
    }

    /** An array, each element as text; empty when absent. */
    public List<String> strings(String key) {
        // a loop, not a stream: the CLI reads every row with it, and a stream pipeline loads ~30
        // classes and spins lambda forms at each start of `jpm ls`
        List<Object> values = list(key);
        List<String> texts = new ArrayList<>(values.size());
        for (Object value : values) {
            texts.add(String.valueOf(value));
        }
        return Collections.unmodifiableList(texts);
    }

    /** An array of plain values; empty when absent. */
    @SuppressWarnings("unchecked")
    public List<Object> list(String key) {
        List<Object> list = typed(key, List.class, "an array");
        return list == null ? List.of() : list;
    }

    /** A nested object's fields (none when absent). */
    public Fields object(String key) {
        return Fields.of(typed(key, Map.class, "an object"));
    }

    /** The value of {@code key} as a {@code type}, null when absent; refused when it is something else. */
    @SuppressWarnings("unchecked")
    private <T> T typed(String key, Class<? super T> type, String wanted) {
        Object value = map.get(key);
        if (value == null) {
            return null;
        }
        if (!type.isInstance(value)) {
            throw wrongType(key, wanted, value);
        }
        return (T) value;
    }

    private static JpmException wrongType(String key, String wanted, Object value) {
        return new JpmException(
                JpmError.INVALID_ARGUMENT, "field '" + key + "' must be " + wanted + ", not " + shown(value));
    }

    /** A value as a reader of the error knows it from JSON. */
    private static String shown(Object value) {
        if (value instanceof String text) {
            return "\"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\"";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        if (value instanceof List<?>) {
            return "an array";
        }
        return String.valueOf(value);
    }

    /** The whole object, plain. */
    public Map<String, Object> asMap() {
        return map;
    }
}
