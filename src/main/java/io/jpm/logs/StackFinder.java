package io.jpm.logs;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.LogChunk;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;

/**
 * The stacks in every app's error output ({@link ErrorStacks}, one per err stream), each sent to the
 * exceptions view on {@link Addresses#INTERNAL_EXCEPTIONS_STACK} as it ends. Out streams are not read:
 * what an app prints as output is not its failure. A stack whose frames were the last bytes read is
 * ended {@link #QUIET_MS} later by a one-shot timer, armed only then.
 */
final class StackFinder {
    static final long QUIET_MS = 500;

    private final Vertx vertx;
    private final Map<LogChunk, ErrorStacks> streams = new HashMap<>();
    private long timer = -1;

    StackFinder(Vertx vertx) {
        this.vertx = vertx;
    }

    /** A chunk of a stream: read while its bytes are still the chunk's (before its release). */
    void chunk(LogChunk stream, byte[] bytes, int length, boolean eof) {
        if (!"err".equals(stream.stream())) {
            return;
        }
        ErrorStacks stacks = streams.computeIfAbsent(stream, s -> new ErrorStacks());
        if (length > 0) {
            stacks.chunk(bytes, length, s -> send(stream, s));
        }
        if (eof) {
            stacks.flush(s -> send(stream, s));
            streams.remove(stream);
        } else if (stacks.pending() && timer < 0) {
            timer = vertx.setTimer(QUIET_MS, t -> {
                timer = -1;
                streams.forEach((s, open) -> open.flush(found -> send(s, found)));
            });
        }
    }

    private void send(LogChunk stream, ErrorStacks.Stack stack) {
        vertx.eventBus()
                .send(
                        Addresses.INTERNAL_EXCEPTIONS_STACK,
                        new JsonObject()
                                .put("app", stream.app())
                                .put("pm_id", stream.pmId())
                                .put("message", stack.message())
                                .put("place", stack.place())
                                .put("stack", stack.text())
                                .put("source", "stderr")
                                .put("time", System.currentTimeMillis()));
    }
}
