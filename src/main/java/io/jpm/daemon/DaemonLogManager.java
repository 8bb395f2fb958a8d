package io.jpm.daemon;

import java.util.logging.LogManager;

/**
 * The JDK's LogManager closes every handler from its own shutdown hook, which runs alongside the
 * daemon's: the lines saying which apps were stopped would be lost. This one keeps its handlers
 * until the JVM is gone, and gives the console handler (daemon.log) the daemon's line format,
 * {@link DaemonLogFormatter}. Installed with {@code -Djava.util.logging.manager} by DaemonMain.
 */
public final class DaemonLogManager extends LogManager {
    private static final String CONSOLE_FORMATTER = "java.util.logging.ConsoleHandler.formatter";

    @Override
    public void reset() {
        // keep handlers open through shutdown; nothing else in the daemon resets logging
    }

    @Override
    public String getProperty(String name) {
        return CONSOLE_FORMATTER.equals(name) ? DaemonLogFormatter.class.getName() : super.getProperty(name);
    }
}
