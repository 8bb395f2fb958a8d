package io.jpm.logs;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.LogChunk;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

/**
 * The stacks in every app's error output ({@link ErrorStacks}, one per err stream), each sent to the
 * exceptions view on {@link Addresses#INTERNAL_EXCEPTIONS_STACK} as it ends. Out streams are not read:
 * what an app prints as output is not its failure. A stack whose frames were the last bytes read is
 * ended {@link #QUIET_MS} later by a one-shot timer, armed only then.
 *
 * <p>What a run writes once jpm has asked it to stop ({@link io.jpm.protocol.OutputChunk#duringStop()},
 * up to its stream's end, however late the pipe is read) is its way out, not a failure: Python prints
 * a KeyboardInterrupt traceback on SIGINT, a JVM's shutdown hook or a Node SIGINT handler may print a
 * stack. Those stacks are dropped, so a {@code jpm restart} fires no exception alert.
 */
final class StackFinder {
    private static final Logger LOG = Logger.getLogger("jpm.logs");
    static final long QUIET_MS = 500;

    private final Vertx vertx;
    private final Map<LogChunk, ErrorStacks> streams = new HashMap<>();
    /** The err streams of runs jpm is stopping on request. */
    private final Set<LogChunk> stopping = new HashSet<>();

    private long timer = -1;

    StackFinder(Vertx vertx) {
        this.vertx = vertx;
    }

    /**
     * A chunk of a stream: read while its bytes are still the chunk's (before its release).
     *
     * @param duringStop jpm had asked the run to stop when the chunk left (see the class comment)
     */
    void chunk(LogChunk stream, byte[] bytes, int length, boolean eof, boolean duringStop) {
        if (!"err".equals(stream.stream())) {
            return;
        }
        ErrorStacks stacks = streams.computeIfAbsent(stream, s -> new ErrorStacks());
        if (duringStop && !stopping.contains(stream)) {
            // a stack whose last frame came before the stop was asked is the app's own
            stacks.flush(s -> send(stream, s));
            stopping.add(stream);
        }
        if (length > 0) {
            stacks.chunk(bytes, length, s -> send(stream, s));
        }
        if (eof) {
            stacks.flush(s -> send(stream, s));
            streams.remove(stream);
            stopping.remove(stream);
        } else if (stacks.pending() && timer < 0) {
            timer = vertx.setTimer(QUIET_MS, t -> {
                timer = -1;
                streams.forEach((s, open) -> open.flush(found -> send(s, found)));
            });
        }
    }

    private void send(LogChunk stream, ErrorStacks.Stack stack) {
        if (stopping.contains(stream)) {
            LOG.fine(() -> stream.app() + " (pm_id " + stream.pmId()
                    + ") wrote a stack while jpm stopped it, not an exception: " + stack.message());
            return;
        }
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
