package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * pm2's PM2_KILL_TIMEOUT: the kill_timeout of every app that gives none, from the environment of the
 * command that starts the daemon, and of the one that updates it (pm2's own programmatic signals.js sets
 * it, then calls pm2.update()): the daemon a keeper starts for an update takes the updating command's.
 */
class KillTimeoutEnvIT {
    @Test
    void theStartingAndTheUpdatingCommandsKillTimeoutIsTheAppsDefault() throws Exception {
        try (Jpm jpm = new Jpm()) {
            String idle = Jpm.fixture("idle.sh").toString();
            assertEquals(
                    0,
                    jpm.cli(Map.of("PM2_KILL_TIMEOUT", "3000"), "start", idle, "--name", "a")
                            .exit());
            jpm.ok("start", idle, "--name", "given", "--kill-timeout", "500");
            assertEquals(3000, killTimeout(jpm, "a"));
            assertEquals(500, killTimeout(jpm, "given"));

            int before = jpm.daemonPid();
            Jpm.Result update = jpm.cli(Map.of("PM2_KILL_TIMEOUT", "1000"), "update");
            assertEquals(0, update.exit(), update.toString());
            Jpm.await("a new daemon", () -> {
                try {
                    return jpm.daemonPid() != before ? true : null;
                } catch (java.io.IOException e) {
                    return null;
                }
            });
            jpm.ok("start", idle, "--name", "b");
            assertEquals(1000, killTimeout(jpm, "b"), "the updating command's value");
            assertEquals(500, killTimeout(jpm, "given"), "an app's own kill_timeout stands");
        }
    }

    private static long killTimeout(Jpm jpm, String name) {
        return jpm.awaitStatus(name, "online").get(0).getJsonObject("pm2_env").getLong("kill_timeout");
    }
}
