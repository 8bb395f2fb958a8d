package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpm.process.RestartPolicy;
import io.jpm.protocol.AppOption;
import org.junit.jupiter.api.Test;

/**
 * An app never parsed (a dump entry whose source no longer parses) gets {@link RestartPolicy#defaults()},
 * read from {@link AppOption}'s declarations, as the parser reads an option left out
 * (AppConfigParserTest holds the two equal).
 */
class DeclaredDefaultsTest {
    @Test
    void theRestartPolicysDefaultsAreTheDeclaredOnes() {
        RestartPolicy defaults = RestartPolicy.defaults();
        assertEquals(AppOption.AUTORESTART.defaultValue, defaults.autorestart());
        assertEquals(AppOption.MAX_RESTARTS.defaultValue, (long) defaults.maxRestarts());
        assertEquals(AppOption.MIN_UPTIME.defaultValue, defaults.minUptimeMs());
        assertEquals(AppOption.RESTART_DELAY.defaultValue, defaults.restartDelayMs());
        assertEquals(AppOption.EXP_BACKOFF_RESTART_DELAY.defaultValue, defaults.expBackoffInitialMs());
        assertEquals(AppOption.KILL_TIMEOUT.defaultValue, defaults.killTimeoutMs());
        assertEquals(AppOption.KILL_SIGNAL.defaultValue, defaults.killSignal().name());
    }
}
