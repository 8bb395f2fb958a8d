package io.jpm.verticle;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * What a client's frame must look like before the bridge sees it: the Vert.x bridge says nothing
 * about a frame that is not JSON, breaks the connection on an unknown type, and hands a body that is
 * not an object to consumers that cast it. Both doors (the TCP bridge's frame guard, the HTTP
 * server's SockJS bridge) answer each problem named here with one err frame (code 10).
 */
public final class FrameShape {
    public static final List<String> CLIENT_TYPES = List.of("send", "publish", "register", "unregister", "ping");

    private FrameShape() {}

    public static JsonObject parse(Buffer payload) {
        try {
            return new JsonObject(payload);
        } catch (DecodeException | ClassCastException e) {
            return null;
        }
    }

    /** Null for a frame the bridge can handle, else what is wrong with it. */
    public static String problemWith(Buffer payload) {
        JsonObject frame = parse(payload);
        return frame == null ? "malformed frame: not a JSON object" : problemWith(frame);
    }

    public static String problemWith(JsonObject frame) {
        String type = frame.getValue("type") instanceof String t ? t : null;
        if (type == null || !CLIENT_TYPES.contains(type)) {
            return "malformed frame: type must be one of " + CLIENT_TYPES + ", got " + frame.getValue("type");
        }
        if (!"ping".equals(type) && !(frame.getValue("address") instanceof String)) {
            return "malformed frame: a " + type + " frame needs an address";
        }
        Object body = frame.getValue("body");
        if (body != null && !(body instanceof JsonObject) && ("send".equals(type) || "publish".equals(type))) {
            // every jpm address takes an object: anything else would reach its consumer as a ClassCastException
            return "malformed frame: body must be a JSON object, got " + jsonType(body);
        }
        Object headers = frame.getValue("headers");
        if (headers != null && !(headers instanceof JsonObject)) {
            return "malformed frame: headers must be an object";
        }
        if (headers instanceof JsonObject h) {
            if (h.containsKey("timeout") && !(h.getValue("timeout") instanceof Number n && n.longValue() > 0)) {
                return "malformed frame: headers.timeout must be a positive number of milliseconds";
            }
            if (h.containsKey("localOnly") && !(h.getValue("localOnly") instanceof Boolean)) {
                return "malformed frame: headers.localOnly must be true or false";
            }
        }
        return null;
    }

    private static String jsonType(Object value) {
        if (value instanceof String) {
            return "a string";
        }
        if (value instanceof Number) {
            return "a number";
        }
        if (value instanceof Boolean) {
            return "a boolean";
        }
        return value instanceof JsonArray ? "an array" : value.getClass().getSimpleName();
    }
}
