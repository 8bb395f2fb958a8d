package io.jpm.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A decoded JSON object read without a JSON library: what the message records are built from on
 * both sides, from plain {@code Map}s and {@code List}s (the CLI's JSON reader gives those; the
 * daemon turns a Vert.x {@code JsonObject} into them with {@code verticle.Plain}). A value of the
 * wrong type reads as absent: each record says which fields it requires and refuses a request
 * without them.
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

  public String string(String key) {
    return map.get(key) instanceof String s ? s : null;
  }

  public String string(String key, String fallback) {
    return map.get(key) instanceof String s ? s : fallback;
  }

  public boolean bool(String key, boolean fallback) {
    return map.get(key) instanceof Boolean b ? b : fallback;
  }

  /** A whole number, or null when absent or not one. */
  public Integer integer(String key) {
    return map.get(key) instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) ? n.intValue() : null;
  }

  public int integer(String key, int fallback) {
    Integer value = integer(key);
    return value == null ? fallback : value;
  }

  public long whole(String key, long fallback) {
    return map.get(key) instanceof Number n ? n.longValue() : fallback;
  }

  /** An object of names to values, each value as text (an environment); empty when absent. */
  public Map<String, String> texts(String key) {
    Map<String, String> texts = new LinkedHashMap<>();
    if (map.get(key) instanceof Map<?, ?> m) {
      m.forEach((k, v) -> texts.put(String.valueOf(k), String.valueOf(v)));
    }
    return texts;
  }

  /** An array, each element as text; empty when absent. */
  public List<String> strings(String key) {
    return list(key).stream().map(String::valueOf).toList();
  }

  /** An array of plain values; empty when absent. */
  @SuppressWarnings("unchecked")
  public List<Object> list(String key) {
    return map.get(key) instanceof List<?> l ? (List<Object>) l : List.of();
  }

  /** A nested object's fields (none when absent). */
  public Fields object(String key) {
    return Fields.of(map.get(key));
  }

  /** The whole object, plain. */
  public Map<String, Object> asMap() {
    return map;
  }
}
