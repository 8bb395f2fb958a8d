package io.jpm.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpm.protocol.Addresses;
import io.jpm.protocol.LogChunk;
import io.jpm.testkit.Eventually;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 62: what a run writes once jpm stops it on request is no exception (Python's KeyboardInterrupt
 * traceback on SIGINT, a shutdown hook's stack), up to its stream's end; a stack whole before the stop
 * still is one, and so is the next run's crash.
 */
@ExtendWith(VertxExtension.class)
class StackFinderTest {
    private static final String PYTHON_STOP =
            "Traceback (most recent call last):\n  File \"/srv/app.py\", line 9, in <module>\n"
                    + "    time.sleep(1)\nKeyboardInterrupt\n";
    private static final String JAVA_HOOK =
            "java.lang.IllegalStateException: shutting down\n\tat App.lambda$main$0(App.java:8)\n";

    private static LogChunk err(long run) {
        return new LogChunk("app", 0, LogChunk.STDERR, "/logs/app-error.log", "{}", run);
    }

    @Test
    void stacksWrittenWhileJpmStopsTheRunAreNotSent(Vertx vertx) {
        List<String> sent = new CopyOnWriteArrayList<>();
        vertx.eventBus()
                .<JsonObject>consumer(
                        Addresses.INTERNAL_EXCEPTIONS_STACK,
                        m -> sent.add(m.body().getString("message")));
        StackFinder finder = new StackFinder(vertx);
        LogChunk first = err(1);
        LogChunk second = err(2);
        vertx.runOnContext(v -> {
            // the first run's own failure, its frames the last bytes read when the stop is asked
            feed(finder, first, "java.lang.RuntimeException: its own\n\tat App.work(App.java:3)\n", false, false);
            feed(finder, first, PYTHON_STOP + JAVA_HOOK, false, true);
            feed(finder, first, "", true, true); // the stream's end, read after the exit
            feed(
                    finder,
                    second,
                    "Traceback (most recent call last):\n  File \"/srv/app.py\", line 4\n" + "RuntimeError: crashed\n",
                    false,
                    false);
        });
        Eventually.await("the second run's crash", () -> sent.contains("RuntimeError: crashed") ? true : null);
        assertEquals(List.of("java.lang.RuntimeException: its own", "RuntimeError: crashed"), sent);
    }

    private static void feed(StackFinder finder, LogChunk stream, String text, boolean eof, boolean duringStop) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        finder.chunk(stream, bytes, bytes.length, eof, duringStop);
    }
}
