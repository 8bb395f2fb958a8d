package io.jpm.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The messages one logger gets while this is open (from any thread), for a test that checks what
 * the daemon says in daemon.log; closing it takes its handler off the logger again.
 */
public final class LoggedLines implements AutoCloseable {
    private final Logger logger;
    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            lines.add(record.getMessage());
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    private LoggedLines(Logger logger) {
        this.logger = logger;
        logger.addHandler(handler);
    }

    /** Collects what the logger named {@code name} gets from now on. */
    public static LoggedLines of(String name) {
        return new LoggedLines(Logger.getLogger(name));
    }

    /** The messages so far, oldest first. */
    public List<String> all() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        logger.removeHandler(handler);
    }
}
