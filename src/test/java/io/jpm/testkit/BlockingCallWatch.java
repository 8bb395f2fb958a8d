package io.jpm.testkit;

import io.jpm.protocol.BlockingCall;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Every test of the test JVM (registered for all through META-INF/services and
 * junit-platform.properties): a test during which a call that may wait ran on an event loop of a
 * Vert.x of its own ({@link BlockingCall}, on with surefire's -ea) fails, with the calls named, even
 * when the loop swallowed the AssertionError (a reply that never came, a handler that logged it).
 * The ITs' daemons are other JVMs: {@code io.jpm.it.BlockingCallLines} reads their daemon.log.
 */
public final class BlockingCallWatch implements BeforeEachCallback, AfterEachCallback {
    /** Held: the log manager keeps loggers only weakly, and the handler must stay on this one. */
    private static final Logger LOOP_LOG = Logger.getLogger("jpm.loop");

    private static final ConcurrentLinkedQueue<String> SEEN = new ConcurrentLinkedQueue<>();

    static {
        LOOP_LOG.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getMessage() != null && record.getMessage().startsWith(BlockingCall.MARK)) {
                    SEEN.add(record.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
    }

    /** For a test that makes such a call on purpose: what it made is not held against it. */
    public static void forget() {
        SEEN.clear();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        SEEN.clear();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> calls = new ArrayList<>(SEEN);
        SEEN.clear();
        if (!calls.isEmpty()) {
            throw new AssertionError("a blocking call ran on an event loop during " + context.getDisplayName() + ":\n"
                    + String.join("\n", calls));
        }
    }
}
