package io.jpm.logs;

import io.jpm.protocol.LogChunk;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The unfinished lines a superseded LogAggregator hands to the one that replaces it, by stream.
 * Without it a redeploy cut lines in two: the old one ended its held "1277" with a newline when it
 * stopped, and the fresh one wrote the rest, "4", as a line of its own. One table per Vert.x
 * instance (its local shared data), shared by every generation of the aggregator.
 */
final class HeldLines implements Shareable {
    private final Map<LogChunk, HeldLine> byStream = new ConcurrentHashMap<>();

    static HeldLines of(Vertx vertx) {
        return vertx.sharedData()
                .<String, HeldLines>getLocalMap("jpm.logs")
                .computeIfAbsent("held", k -> new HeldLines());
    }

    void put(LogChunk stream, HeldLine line) {
        byStream.put(stream, line);
    }

    /** The line handed over for this stream, once; null when there is none. */
    HeldLine take(LogChunk stream) {
        return byStream.isEmpty() ? null : byStream.remove(stream);
    }
}
