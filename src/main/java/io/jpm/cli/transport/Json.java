package io.jpm.cli.transport;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON for the client through jackson-core's streaming API: plain maps and lists in, plain maps
 * and lists out. Jackson's databind ObjectMapper costs about 45 ms to set up even from an AppCDS
 * archive, a third of a whole {@code jpm ls}; the streaming parser costs well under a millisecond.
 * Reading goes through {@link Json.Value}, a null-safe view in the spirit of JsonNode.path().
 */
public final class Json {
    /**
     * jackson-core's factory, made at the first parse or write, not when a command builds its request's
     * map ({@link #object}): a first command builds it before it starts the daemon, and the factory's
     * ~2 ms were then on the way to the spawn; made while the daemon starts instead (DaemonSpawn's warm-up).
     */
    private static final class Factory {
        static final JsonFactory INSTANCE = new JsonFactory();
    }

    private Json() {}

    public static Value parse(byte[] bytes) throws IOException {
        try (JsonParser parser = Factory.INSTANCE.createParser(bytes)) {
            parser.nextToken();
            return new Value(read(parser));
        }
    }

    private static Object read(JsonParser p) throws IOException {
        JsonToken token = p.currentToken();
        if (token == null) {
            throw new IOException("empty JSON");
        }
        switch (token) {
            case START_OBJECT: {
                Map<String, Object> map = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    map.put(name, read(p));
                }
                return map;
            }
            case START_ARRAY: {
                List<Object> list = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    list.add(read(p));
                }
                return list;
            }
            case VALUE_STRING:
                return p.getText();
                // the JDK parses numbers here, not jackson-core: its NumberInput compiles two regular
                // expressions when first used, ~4 ms of every command (the client runs everything once)
            case VALUE_NUMBER_INT:
                return Long.parseLong(p.getText());
            case VALUE_NUMBER_FLOAT:
                return Double.parseDouble(p.getText());
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            default:
                return null;
        }
    }

    /**
     * Writes the {@code body.data} of a bridge reply frame to {@code out} as JSON text without
     * building it, when the frame is the {@code message} addressed to {@code replyAddress} and names
     * its type and address before its body (the bridge writes them in that order). Returns false,
     * having written nothing, for any other frame: the caller reads it the usual way.
     * jlist's reply is most of a command's bytes (160 KB for 50 apps): a copy token by token costs
     * a fresh JVM ~10-20 ms less than a tree built and written again.
     */
    public static boolean copyReplyData(byte[] frame, String replyAddress, OutputStream out) throws IOException {
        String type = null;
        String address = null;
        try (JsonParser p = Factory.INSTANCE.createParser(frame)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if ("type".equals(field) && value == JsonToken.VALUE_STRING) {
                    type = p.getText();
                } else if ("address".equals(field) && value == JsonToken.VALUE_STRING) {
                    address = p.getText();
                } else if ("body".equals(field)) {
                    return "message".equals(type)
                            && replyAddress.equals(address)
                            && value == JsonToken.START_OBJECT
                            && copyField(p, frame, "data", out);
                } else {
                    p.skipChildren();
                }
            }
            return false;
        }
    }

    /**
     * Inside an object of {@code frame}: writes the value of {@code name} to {@code out}, its bytes as
     * the daemon wrote them (the parser only finds where it ends); false when it has none. A jlist of
     * 1,000 apps is ~5 MB: copied token by token through a generator it cost a fresh JVM ~90 ms, found
     * and written as it is ~20 ms.
     */
    private static boolean copyField(JsonParser p, byte[] frame, String name, OutputStream out) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            p.nextToken();
            if (name.equals(field)) {
                long start = p.currentTokenLocation().getByteOffset();
                p.skipChildren();
                p.finishToken(); // a string's end is known once it is read
                long end = p.currentLocation().getByteOffset();
                out.write(frame, (int) start, (int) (end - start));
                return true;
            }
            p.skipChildren();
        }
        return false;
    }

    public static byte[] write(Object value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = Factory.INSTANCE.createGenerator(out)) {
            write(g, value);
        }
        return out.toByteArray();
    }

    /** Indented, for people: {@code jpm prettylist}. */
    public static String pretty(Object value) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator g = Factory.INSTANCE.createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            write(g, value);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    public static String text(Object value) throws IOException {
        return new String(write(value), StandardCharsets.UTF_8);
    }

    private static void write(JsonGenerator g, Object value) throws IOException {
        if (value instanceof Value v) {
            write(g, v.raw);
        } else if (value instanceof Map<?, ?> map) {
            g.writeStartObject();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                g.writeFieldName(String.valueOf(e.getKey()));
                write(g, e.getValue());
            }
            g.writeEndObject();
        } else if (value instanceof List<?> list) {
            g.writeStartArray();
            for (Object o : list) {
                write(g, o);
            }
            g.writeEndArray();
        } else if (value instanceof String s) {
            g.writeString(s);
        } else if (value instanceof Long || value instanceof Integer) {
            g.writeNumber(((Number) value).longValue());
        } else if (value instanceof Number n) {
            g.writeNumber(n.doubleValue());
        } else if (value instanceof Boolean b) {
            g.writeBoolean(b);
        } else {
            g.writeNull();
        }
    }

    /** A new JSON object to fill, in insertion order. */
    public static Map<String, Object> object() {
        return new LinkedHashMap<>();
    }

    /** A read-only, null-safe view of a parsed value: a missing member reads as null. */
    public static final class Value implements Iterable<Value> {
        private static final Value MISSING = new Value(null);
        public final Object raw;

        public Value(Object raw) {
            this.raw = raw;
        }

        public Value path(String name) {
            return raw instanceof Map<?, ?> map && map.containsKey(name) ? new Value(map.get(name)) : MISSING;
        }

        /** An object as a plain map (empty when this is not an object): what the protocol records read. */
        @SuppressWarnings("unchecked")
        public Map<String, Object> asMap() {
            return raw instanceof Map<?, ?> map ? (Map<String, Object>) map : Map.of();
        }

        public boolean has(String name) {
            return raw instanceof Map<?, ?> map && map.containsKey(name);
        }

        public boolean isNull() {
            return raw == null;
        }

        public String asText() {
            if (raw == null) {
                return "";
            }
            if (raw instanceof Double d && d == Math.rint(d) && !d.isInfinite()) {
                return Long.toString(d.longValue());
            }
            return raw instanceof Map || raw instanceof List ? toString() : String.valueOf(raw);
        }

        public String asText(String fallback) {
            return raw == null ? fallback : asText();
        }

        public long asLong() {
            return raw instanceof Number n ? n.longValue() : 0;
        }

        public int asInt() {
            return (int) asLong();
        }

        public int asInt(int fallback) {
            return raw instanceof Number n ? n.intValue() : fallback;
        }

        public double asDouble() {
            return raw instanceof Number n ? n.doubleValue() : 0;
        }

        public boolean asBoolean() {
            return Boolean.TRUE.equals(raw);
        }

        @Override
        public Iterator<Value> iterator() {
            // plain loops, no lambdas, on the client's paths: each new lambda shape spins classes at start
            List<Value> items = new ArrayList<>();
            if (raw instanceof List<?> list) {
                for (Object o : list) {
                    items.add(new Value(o));
                }
            }
            return items.iterator();
        }

        @Override
        public String toString() {
            try {
                return text(raw);
            } catch (IOException e) {
                return String.valueOf(raw);
            }
        }
    }
}
