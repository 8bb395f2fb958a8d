package io.jpm.daemon;

import java.util.logging.LogManager;

/**
 * The JDK's LogManager closes every handler from its own shutdown hook, which runs alongside the
 * daemon's: the lines saying which apps were stopped would be lost. This one keeps its handlers
 * until the JVM is gone. Installed with {@code -Djava.util.logging.manager} by DaemonMain.
 */
public final class DaemonLogManager extends LogManager {
    @Override
    public void reset() {
        // keep handlers open through shutdown; nothing else in the daemon resets logging
    }
}
