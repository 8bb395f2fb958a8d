package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A Node app with an unhandled promise rejection died and was restarted until
 * errored; pm2 logs it and the app runs on, in fork and cluster mode alike. An uncaught exception
 * is logged (the stack, pm2's text) and ends the run with exit code 1; an app's own listeners keep
 * it running. Through jpm with fixtures/unhandled.js; the texts were compared with pm2 7.0.4's logs.
 */
@ExtendWith(JpmExtension.class)
class NodeUnhandledErrorsIT {
    private static final String PM2_REJECTION =
            "You have triggered an unhandledRejection, you may have forgotten to catch a Promise rejection:\n";

    private static Jpm.Result start(Jpm jpm, String mistake, String name, String... more) {
        List<String> args =
                new ArrayList<>(List.of("start", Jpm.fixture("unhandled.js").toString(), "--name", name));
        args.addAll(List.of(more));
        return jpm.cli(Map.of("MISTAKE", mistake), args.toArray(String[]::new));
    }

    private static JsonObject env(JsonObject process) {
        return process.getJsonObject("pm2_env");
    }

    @Test
    void aNodeAppThatRejectsUnhandledPromisesStaysOnlineInForkAndClusterMode(Jpm jpm) {
        assertEquals(0, start(jpm, "reject", "rejects-fork").exit());
        assertEquals(0, start(jpm, "reject", "rejects-cluster", "-i", "2").exit());
        for (String name : List.of("rejects-fork", "rejects-cluster")) {
            List<JsonObject> online = jpm.awaitStatus(name, "online");
            for (JsonObject instance : online) {
                // a rejection every 100 ms: by the fifth, node alone would have ended the run five times
                String err = jpm.awaitLog(env(instance).getString("pm_err_log_path"), "Error: rejection 5\n");
                JsonObject now = jpm.named(name).stream()
                        .filter(p -> p.getInteger("pm_id").equals(instance.getInteger("pm_id")))
                        .findFirst()
                        .orElseThrow();
                assertEquals("online", Jpm.status(now), now.encode());
                assertEquals(0, env(now).getInteger("restart_time"), now.encode());
                assertEquals(instance.getLong("pid"), now.getLong("pid"));
                if (name.endsWith("cluster")) {
                    assertTrue(err.startsWith(PM2_REJECTION + "Error: rejection 1\n    at "), err);
                } else {
                    assertTrue(err.startsWith("Error: rejection 1\n    at "), err);
                }
            }
        }
    }

    @Test
    void anUncaughtExceptionIsLoggedAsPm2DoesAndEndsTheRunWithCode1(Jpm jpm) {
        assertEquals(0, start(jpm, "throw", "throws-fork", "--no-autorestart").exit());
        assertEquals(
                0,
                start(jpm, "throw", "throws-cluster", "-i", "1", "--no-autorestart")
                        .exit());
        for (String name : List.of("throws-fork", "throws-cluster")) {
            JsonObject stopped = jpm.awaitStatus(name, "stopped").get(0);
            assertEquals(1, env(stopped).getInteger("exit_code"), stopped.encode());
            String err = jpm.awaitLog(env(stopped).getString("pm_err_log_path"), "Error: thrown by unhandled.js\n");
            // the stack alone, as pm2 writes it: no source excerpt, no "Node.js v20" footer
            assertTrue(err.startsWith("Error: thrown by unhandled.js\n    at "), err);
            assertFalse(err.contains("Node.js v"), err);
        }
    }

    @Test
    void theAppsOwnListenersAreCalledAndItRunsOn(Jpm jpm) {
        assertEquals(0, start(jpm, "own", "own-fork").exit());
        assertEquals(0, start(jpm, "own", "own-cluster", "-i", "1").exit());
        for (String name : List.of("own-fork", "own-cluster")) {
            JsonObject online = jpm.awaitStatus(name, "online").get(0);
            jpm.awaitLog(env(online).getString("pm_out_log_path"), "app saw exception: own exception");
            String err = jpm.awaitLog(env(online).getString("pm_err_log_path"), "Error: own exception\n");
            assertTrue(err.contains("Error: own rejection\n"), err);
            JsonObject now = jpm.named(name).get(0);
            assertEquals("online", Jpm.status(now), now.encode());
            assertEquals(0, env(now).getInteger("restart_time"), now.encode());
            assertEquals(online.getLong("pid"), now.getLong("pid"));
        }
    }
}
