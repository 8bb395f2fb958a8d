package io.jpm.logs;

import io.jpm.protocol.LogLine;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * Lines on their way to {@code jpm.events.log} listeners, gathered into batches. Nothing is built
 * while nobody listens: each door (the bridge, the HTTP server) tells how many listeners it has.
 */
final class LiveLines {
    /** A batch is sent when it reaches this many lines, or at the next tick. */
    static final int MAX_BATCH = 1000;
    /**
     * ... or this many characters of lines: a listener (the CLI has a 64 MiB heap) reads a frame
     * whole, and a thousand lines of 64 KiB would make one of 64 MiB.
     */
    static final int MAX_BATCH_CHARS = 1024 * 1024;

    private final String host;
    private final Map<String, Integer> byDoor = new HashMap<>();
    private int listeners;
    private JsonArray batch = new JsonArray();
    private long chars;
    /**
     * The last batch's number. Starts at the clock, so a daemon started again numbers above its
     * previous run (at 10 batches a second the count does not outrun the clock): a follower that
     * drops the batches up to a {@link io.jpm.protocol.Addresses#QUERY_LOGS} reply's {@code seq}
     * drops none of the new run's.
     */
    private long seq = System.currentTimeMillis();

    LiveLines(String host) {
        this.host = host;
    }

    boolean listening() {
        return listeners > 0;
    }

    /** One door's count (the bridge, the HTTP server); returns the sum over the doors. */
    int listeners(String door, int count) {
        byDoor.put(door, count);
        listeners = byDoor.values().stream().mapToInt(Integer::intValue).sum();
        if (listeners == 0) {
            batch = new JsonArray();
            chars = 0;
        }
        return listeners;
    }

    void add(String app, int pmId, String stream, String line, long time) {
        batch.add(new JsonObject(new LogLine(app, pmId, stream, line, time).toMap()));
        chars += line.length();
    }

    /** The number of the last batch taken. */
    long seq() {
        return seq;
    }

    /** Lines wait for the next batch. */
    boolean pending() {
        return !batch.isEmpty();
    }

    boolean full() {
        return batch.size() >= MAX_BATCH || chars >= MAX_BATCH_CHARS;
    }

    /** The batch to publish, or null when empty; starts a new one. */
    JsonObject take() {
        if (batch.isEmpty()) {
            return null;
        }
        JsonObject body = new JsonObject().put("host", host).put("seq", ++seq).put("lines", batch);
        batch = new JsonArray();
        chars = 0;
        return body;
    }
}
