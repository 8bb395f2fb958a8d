package io.jpm.web;

import io.jpm.protocol.JpmError;
import io.jpm.protocol.JpmException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Request bodies checked before anything reaches the bus: a body that is not a JSON object, or a
 * field of the wrong type, is refused with 400 and the field's name (code 10, as the CLI's usage
 * errors), so nothing is half done.
 */
final class RequestBodies {
    private RequestBodies() {}

    /** The body as an object; an empty body is {}. */
    static JsonObject object(Buffer body) {
        if (body == null || body.length() == 0 || body.toString().isBlank()) {
            return new JsonObject();
        }
        try {
            return new JsonObject(body);
        } catch (DecodeException | ClassCastException e) {
            throw new JpmException(JpmError.INVALID_ARGUMENT, "malformed body: not a JSON object");
        }
    }

    /** Checks that an optional field has the JSON type named, e.g. {@code "string"}, {@code "boolean"}. */
    static void expect(JsonObject body, String field, String type) {
        Object value = body.getValue(field);
        if (value == null) {
            return;
        }
        boolean fits =
                switch (type) {
                    case "string" -> value instanceof String;
                    case "boolean" -> value instanceof Boolean;
                    case "object" -> value instanceof JsonObject;
                    case "array" -> value instanceof JsonArray;
                    case "whole number" -> value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue());
                    default -> throw new IllegalArgumentException(type);
                };
        if (!fits) {
            String article = type.startsWith("a") || type.startsWith("o") ? "an " : "a ";
            throw new JpmException(
                    JpmError.INVALID_ARGUMENT,
                    "malformed body: field '" + field + "' must be " + article + type + ", got " + Json.encode(value));
        }
    }
}
