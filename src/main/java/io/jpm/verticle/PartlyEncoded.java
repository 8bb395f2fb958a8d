package io.jpm.verticle;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.EncodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.JacksonCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * A JSON object whose fields are partly encoded already: {@code fields} to encode as usual, then
 * {@code encoded}, the UTF-8 of more fields ({@code "a":1,"b":2}, no braces), copied as it is. A jlist
 * row's pm2_env is mostly what changes only with the app's config (its environment, twice): God keeps
 * that part encoded per instance (god.SteadyParts), so a listing encodes only the fields that changed.
 * Building and encoding those ~300 values a row was most of a list's CPU, and on a fresh daemon, whose
 * JIT has not compiled that code yet, ~3 ms of a 10-app list (docs/BENCHMARKS.md, "list() under load").
 *
 * <p>Only {@link #encode} writes it: a reply holds one only when its request carried {@link #HEADER},
 * which the bridge adds to the requests it forwards; other senders get plain JSON.
 */
public record PartlyEncoded(Map<String, Object> fields, byte[] encoded) {
    /** The request header that asks for rows with {@link PartlyEncoded} parts. */
    public static final String HEADER = "jpm-partly-encoded";

    private static final JsonFactory JSON =
            JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    /** Each event loop's scratch for the JSON being written, kept while it is no bigger than this. */
    private static final int SCRATCH_KEPT = 128 * 1024;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /**
     * {@code json} (a JsonObject, JsonArray, Map, List or a value Vert.x encodes) as UTF-8 JSON in a
     * buffer, after {@code reserve} zero bytes for the caller's header.
     */
    public static Buffer encode(Object json, int reserve) {
        Scratch out = SCRATCH.get();
        out.reset();
        out.write(new byte[reserve], 0, reserve);
        try {
            try (JsonGenerator generator = JSON.createGenerator(out)) {
                write(json, generator, out);
            }
            // one array of the reply's size: grown in a buffer of its own, a 58 KB list left ~130 KB behind
            return Buffer.buffer(out.size()).appendBytes(out.bytes(), 0, out.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            out.release();
        }
    }

    private static final class Scratch extends ByteArrayOutputStream {
        Scratch() {
            super(4096);
        }

        byte[] bytes() {
            return buf;
        }

        /** A reply bigger than what is kept leaves its array to the collector. */
        void release() {
            if (buf.length > SCRATCH_KEPT) {
                buf = new byte[4096];
            }
        }
    }

    private static void write(Object value, JsonGenerator generator, OutputStream out) throws IOException {
        if (value instanceof JsonObject object) {
            value = object.getMap();
        } else if (value instanceof JsonArray array) {
            value = array.getList();
        }
        if (value instanceof PartlyEncoded partly) {
            generator.writeStartObject();
            fields(partly.fields(), generator, out);
            if (partly.encoded().length > 0) {
                generator.flush(); // the generator's own bytes first, then the copied ones
                if (!partly.fields().isEmpty()) {
                    out.write(',');
                }
                out.write(partly.encoded());
            }
            generator.writeEndObject();
        } else if (value instanceof Map<?, ?> map) {
            generator.writeStartObject();
            fields(map, generator, out);
            generator.writeEndObject();
        } else if (value instanceof List<?> list) {
            generator.writeStartArray();
            for (Object item : list) {
                write(item, generator, out);
            }
            generator.writeEndArray();
        } else {
            try {
                JacksonCodec.encodeJson(value, generator); // a value as Vert.x writes it
            } catch (EncodeException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }
    }

    private static void fields(Map<?, ?> map, JsonGenerator generator, OutputStream out) throws IOException {
        for (Map.Entry<?, ?> field : map.entrySet()) {
            generator.writeFieldName(String.valueOf(field.getKey()));
            write(field.getValue(), generator, out);
        }
    }

    /** The JSON fields of {@code map}, encoded, without the braces: what {@link #encoded} holds. */
    public static byte[] fieldsOf(Map<String, Object> map) {
        Buffer whole = encode(map, 0);
        return whole.length() <= 2 ? new byte[0] : whole.getBytes(1, whole.length() - 1);
    }
}
