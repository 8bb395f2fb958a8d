package io.jpm.bridge;

import io.jpm.verticle.PartlyEncoded;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The bridge's frames as the Vert.x TCP event-bus bridge writes them (docs/PROTOCOL.md): a 4-byte
 * big-endian length, then UTF-8 JSON. Encoded straight to bytes (a jlist of 1,000 apps is ~5 MB:
 * no String of it, as the bridge library's {@code encode()} made, then copied to bytes), with the
 * {@link PartlyEncoded} parts of a listing's rows copied in as they are.
 */
final class Frames {
    private Frames() {}

    static Buffer of(JsonObject frame) {
        // the length's 4 bytes reserved, then filled in: one buffer, and a row's encoded parts copied in
        Buffer buffer = PartlyEncoded.encode(frame, 4);
        return buffer.setInt(0, buffer.length() - 4);
    }

    /** A message from the bus, or a request's reply: its headers copied, as the bridge library's. */
    static Buffer message(String address, Message<Object> message, boolean send) {
        JsonObject frame = new JsonObject().put("type", "message").put("address", address);
        if (message.replyAddress() != null) {
            frame.put("replyAddress", message.replyAddress());
        }
        frame.put("headers", headers(message.headers()));
        if (message.body() != null) {
            frame.put("body", message.body());
        }
        return of(frame.put("send", send));
    }

    /** A request that failed: the bus's failure code and type, as the bridge library's err frame. */
    static Buffer failure(String address, String replyAddress, Throwable cause) {
        JsonObject frame =
                new JsonObject().put("type", "err").put("address", replyAddress).put("sourceAddress", address);
        if (cause instanceof ReplyException reply) {
            frame.put("failureCode", reply.failureCode())
                    .put("failureType", reply.failureType().name());
        } else {
            frame.put("failureCode", -1).put("failureType", "RECIPIENT_FAILURE");
        }
        return of(frame.put("message", cause.getMessage()));
    }

    /** The bridge library's err frame for a frame it cannot act on ("unknown_address", ...). */
    static Buffer err(String message) {
        return of(new JsonObject().put("type", "err").put("message", message));
    }

    /** A frame's headers as the bus's delivery options, read as the bridge library reads them. */
    static DeliveryOptions delivery(JsonObject headers) {
        DeliveryOptions options = new DeliveryOptions();
        if (headers == null) {
            return options;
        }
        for (Map.Entry<String, Object> header : headers) {
            Object value = header.getValue();
            switch (header.getKey()) {
                case "timeout" -> {
                    if (value instanceof Number timeout) {
                        options.setSendTimeout(timeout.longValue());
                    }
                }
                case "localOnly" -> options.setLocalOnly(Boolean.TRUE.equals(value));
                    // the daemon's codecs are its own business: a client names none (the library let it)
                case "codecName" -> {}
                default -> options.addHeader(header.getKey(), String.valueOf(value));
            }
        }
        return options;
    }

    private static JsonObject headers(MultiMap headers) {
        JsonObject json = new JsonObject();
        for (Map.Entry<String, String> header : headers) {
            json.put(header.getKey(), header.getValue());
        }
        return json;
    }
}
