package io.jpm.verticle;

import io.jpm.protocol.BalancedAppSpec;
import io.jpm.protocol.RunFacts;
import io.jpm.protocol.UpstreamRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import java.util.List;

/**
 * Hands a protocol record from one verticle to another of this daemon as it is, by reference: on
 * the internal addresses that only the daemon's own verticles use ({@code jpm.internal.*} requests
 * and replies named in {@code Addresses}), a record was turned into a map, a JsonObject, copied by
 * the bus, and parsed back on the other side. Neither side changes a record it sent or received
 * (their maps included), so sharing one is safe. The
 * doors (bridge, HTTP, cluster) never see these addresses and keep JSON. The daemon's own Vert.x
 * is never clustered, so no wire form is needed; asking for one is a bug and says so.
 */
public final class LocalRecordCodec<T extends Record> implements MessageCodec<T, T> {
    /** The records carried by reference: each is the default codec of its class once registered. */
    static final List<Class<? extends Record>> RECORDS =
            List.of(RunFacts.class, BalancedAppSpec.class, UpstreamRequest.class, RelayRoute.Join.class);

    private final Class<T> type;

    private LocalRecordCodec(Class<T> type) {
        this.type = type;
    }

    /**
     * Registers the codec of every record in {@link #RECORDS} on {@code bus}, and {@link FreshJsonCodec}:
     * once per Vert.x.
     */
    public static void registerAll(EventBus bus) {
        RECORDS.forEach(type -> register(bus, type));
        FreshJsonCodec.register(bus);
    }

    private static <T extends Record> void register(EventBus bus, Class<T> type) {
        bus.registerDefaultCodec(type, new LocalRecordCodec<>(type));
    }

    @Override
    public void encodeToWire(Buffer buffer, T record) {
        throw new UnsupportedOperationException(
                type.getSimpleName() + " is handed over by reference inside one daemon; it has no wire form");
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
        throw new UnsupportedOperationException(
                type.getSimpleName() + " is handed over by reference inside one daemon; it has no wire form");
    }

    @Override
    public T transform(T record) {
        return record;
    }

    @Override
    public String name() {
        return "jpm.local." + type.getSimpleName();
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }
}
