package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jpm.process.RestartPolicy;
import io.jpm.protocol.AppOption;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An app never parsed (a dump entry whose source no longer parses) gets {@link RestartPolicy#defaults()},
 * read from {@link AppOption}'s declarations; an app that gives none of its options gets the same,
 * and so do the other records' defaults.
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

    @Test
    void anAppThatGivesNoOptionGetsTheDefaultRecords(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("app.py"), "");
        AppConfig app = new AppConfigParser("test", dir, Map.of("PATH", "/usr/bin:/bin"))
                .parse(new JsonObject().put("script", "app.py"), null);
        assertEquals(RestartPolicy.defaults(), app.policy());
        assertEquals(EcosystemOptions.defaults(), app.ecosystem());
        assertEquals(BalancerOptions.none(), app.balancer());
        assertEquals(WatchdogOptions.NONE, app.watchdog());
        assertEquals(LogOptions.defaults(), app.logs());
    }
}
