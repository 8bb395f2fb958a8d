package io.jpm.bridge;

import io.jpm.verticle.PartlyEncoded;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One connection's side of the event bus, speaking the Vert.x TCP event-bus bridge's frames (the
 * same as vertx-tcp-eventbus-bridge's, docs/PROTOCOL.md): {@code send} (with a {@code replyAddress}
 * a request whose reply or failure comes back as a {@code message} or {@code err} frame),
 * {@code publish}, {@code register} and {@code unregister} of an address whose messages come as
 * {@code message} frames, a reply to such a message (a {@code send} to its reply address), and
 * {@code ping}. It takes frames its {@link FrameGuard} already read, checked and let through: the
 * frame is parsed once, and a reply is written from the JSON the daemon built, with no inner socket
 * and no second parse between the door and the bus.
 *
 * <p>Runs on its connection's event loop only.
 */
final class BusSession {
    private static final Buffer PONG = Frames.of(new JsonObject().put("type", "pong"));

    private final EventBus bus;
    private final Consumer<Buffer> out;
    private final FrameRules rules;
    private final Map<String, MessageConsumer<Object>> registered = new HashMap<>();
    /** Messages delivered to the client that wait for its reply, by their reply address. */
    private final Map<String, Message<Object>> awaitingReply = new HashMap<>();

    BusSession(EventBus bus, FrameRules rules, Consumer<Buffer> out) {
        this.bus = bus;
        this.rules = rules;
        this.out = out;
    }

    /** A frame its guard let through. */
    void handle(JsonObject frame) {
        String type = frame.getString("type");
        if ("ping".equals(type)) {
            out.accept(PONG);
            return;
        }
        String address = frame.getString("address");
        if (!rules.admit(frame, this, out)) {
            return;
        }
        JsonObject headers = frame.getJsonObject("headers");
        Object body = frame.getValue("body");
        switch (type) {
            case "send" -> send(address, frame.getString("replyAddress"), headers, body, frame);
            case "publish" -> bus.publish(address, body, Frames.delivery(headers));
            case "register" -> register(address);
            case "unregister" -> unregister(address);
            default -> out.accept(Frames.err("unknown_type"));
        }
    }

    private void send(String address, String replyAddress, JsonObject headers, Object body, JsonObject frame) {
        Message<Object> waiting = awaitingReply.remove(address);
        if (waiting != null) {
            Integer failureCode = frame.getInteger("failureCode");
            if (failureCode == null) {
                waiting.reply(body, Frames.delivery(headers));
            } else {
                waiting.fail(failureCode, frame.getString("message"));
            }
            return;
        }
        DeliveryOptions options = Frames.delivery(headers);
        if (replyAddress == null) {
            bus.send(address, body, options);
            return;
        }
        // the reply is only ever encoded here (Frames), which writes a row's encoded parts as they are
        options.addHeader(PartlyEncoded.HEADER, "true");
        Future<Message<Object>> reply = bus.request(address, body, options);
        reply.onComplete(ar -> {
            if (ar.failed()) {
                out.accept(Frames.failure(address, replyAddress, ar.cause()));
                return;
            }
            Message<Object> response = ar.result();
            if (response.replyAddress() != null) {
                awaitingReply.put(response.replyAddress(), response);
            }
            Buffer answer;
            try {
                answer = Frames.message(replyAddress, response, true);
            } catch (RuntimeException e) {
                // a reply that cannot be written still answers: the client is not left waiting for it
                answer = Frames.failure(address, replyAddress, e);
            }
            out.accept(answer);
        });
    }

    private void register(String address) {
        if (registered.containsKey(address)) {
            return; // one consumer per address and connection, as a second register of the bridge's replaced it
        }
        registered.put(address, bus.consumer(address, message -> {
            if (message.replyAddress() != null) {
                awaitingReply.put(message.replyAddress(), message);
            }
            out.accept(Frames.message(message.address(), message, message.isSend()));
        }));
        rules.registered(this, address);
    }

    private void unregister(String address) {
        MessageConsumer<Object> consumer = registered.remove(address);
        if (consumer == null) {
            out.accept(Frames.err("unknown_address"));
            return;
        }
        consumer.unregister();
        rules.unregistered(this, address);
    }

    /** The connection ended: its registrations end with it. */
    void close() {
        registered.values().forEach(MessageConsumer::unregister);
        registered.clear();
        awaitingReply.clear();
        rules.closed(this);
    }
}
