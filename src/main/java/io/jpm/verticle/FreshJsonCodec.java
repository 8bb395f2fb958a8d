package io.jpm.verticle;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

/**
 * A reply built for one request and never touched again by its sender (God's list and describe),
 * handed to the door that asked by reference: the bus's own JsonObject codec copies the whole tree
 * on local delivery, and with 1,000 apps that copy of a ~5 MB jlist is garbage enough to add full
 * collections to every jlist in the daemon's small heap (bench/stress.sh, jlist with 1,000 apps).
 * Its wire form, should a reply ever leave the JVM, is the JsonObject codec's.
 */
public final class FreshJsonCodec implements MessageCodec<JsonObject, JsonObject> {
    static final String NAME = "jpm.json.fresh";
    /** How a reply names this codec. */
    public static final DeliveryOptions OPTIONS = new DeliveryOptions().setCodecName(NAME);

    static void register(EventBus bus) {
        bus.registerCodec(new FreshJsonCodec());
    }

    @Override
    public void encodeToWire(Buffer buffer, JsonObject json) {
        Buffer encoded = json.toBuffer();
        buffer.appendInt(encoded.length());
        buffer.appendBuffer(encoded);
    }

    @Override
    public JsonObject decodeFromWire(int pos, Buffer buffer) {
        int length = buffer.getInt(pos);
        return new JsonObject(buffer.getBuffer(pos + 4, pos + 4 + length));
    }

    @Override
    public JsonObject transform(JsonObject json) {
        return json;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
