package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * pm2's module configuration through a real daemon: {@code set|unset|get|multiset} on
 * JPM_HOME/module_conf.json, an app's configuration in its environment at start and at
 * {@code set <app>.<key>} (which restarts it), and pm2-logrotate's keys as jpm's own rotation.
 */
@ExtendWith(JpmExtension.class)
class ModuleConfIT {

    private static String text(Path file) throws Exception {
        return Files.readString(file);
    }

    @Test
    void setUnsetAndGetEditModuleConfAsPm2Does(Jpm jpm) throws Exception {
        Path file = jpm.home.resolve("module_conf.json");
        Path settings = jpm.home.resolve("jpm.json");
        String settingsBefore = Files.isRegularFile(settings) ? text(settings) : null;
        jpm.ok("unset", "all");
        assertEquals("{}", text(file), "the file exists after unset all (pm2's get-set.sh)");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        assertEquals("", jpm.ok("set", "key1", "val1").out(), "a bare key: pm2 lists the modules, there are none");
        jpm.ok("set", "web.api_key", "abc");
        jpm.ok("multiset", "other.a 1 other.b \"two words\"");
        assertEquals(
                "{\n    \"key1\": \"val1\",\n    \"web\": {\n        \"api_key\": \"abc\"\n    },\n    \"other\": {\n"
                        + "        \"a\": \"1\",\n        \"b\": \"two words\"\n    }\n}",
                text(file));
        assertEquals(settingsBefore, Files.isRegularFile(settings) ? text(settings) : null, "jpm.json is not touched");

        assertEquals("val1\n", jpm.ok("get", "key1").out());
        assertEquals(
                "Value for module web key api_key: abc\n",
                jpm.ok("get", "web:api_key").out());
        assertEquals(
                "Module: web\n$ jpm set web:api_key abc\nModules configuration. Copy/Paste line to edit values.\n",
                jpm.ok("get", "web").out());
        assertTrue(jpm.ok("get").out().contains("Module: other\n$ jpm set other:a 1\n$ jpm set other:b two words\n"));
        Jpm.Result missing = jpm.cli("get", "web.nothere");
        assertEquals(1, missing.exit(), missing.toString());
        assertEquals("jpm: web.nothere is not set in " + file + "\n", missing.err());

        String before = text(file);
        Jpm.Result refused = jpm.cli("set", "x.__proto__", "1");
        assertEquals(1, refused.exit(), refused.toString());
        assertEquals(1, refused.err().lines().count(), refused.toString());
        Jpm.Result odd = jpm.cli("multiset", "a.x 1 a.y");
        assertEquals(1, odd.exit(), odd.toString());
        assertEquals(before, text(file), "refused: nothing changed");

        jpm.ok("unset", "key1");
        assertFalse(text(file).contains("key1"));
        jpm.ok("unset", "all");
        assertEquals("{}", text(file));
    }

    @Test
    void anAppGetsItsConfigurationAtStartAndIsRestartedWithANewValue(Jpm jpm) throws Exception {
        jpm.ok("unset", "all");
        jpm.ok("set", "confapp.api_key", "abc");
        jpm.ok("start", Jpm.fixture("confapp.sh").toString(), "--name", "confapp");
        JsonObject app = jpm.awaitStatus("confapp", "online").get(0);
        String out = app.getJsonObject("pm2_env").getString("pm_out_log_path");
        jpm.awaitLog(out, "conf api_key=abc self={\"api_key\":\"abc\"}\n");
        assertEquals("abc", app.getJsonObject("pm2_env").getJsonObject("env").getString("api_key"));

        Jpm.Result set = jpm.ok("set", "confapp.api_key", "xyz");
        assertEquals(
                "[jpm] Module confapp restarted\n[jpm] Setting changed\nModule: confapp\n$ jpm set confapp:api_key xyz\n",
                set.out());
        jpm.awaitLog(out, "conf api_key=xyz self={\"api_key\":\"xyz\"}\n");
        JsonObject env = jpm.awaitStatus("confapp", "online").get(0).getJsonObject("pm2_env");
        assertEquals(1, env.getInteger("restart_time"));
        assertEquals("xyz", env.getJsonObject("env").getString("api_key"));
        assertEquals("xyz", env.getString("api_key"), "pm2_env lists the env too, as pm2's does");

        // a restart by name reads it again, as pm2 does; no entry: no variable, as under pm2
        jpm.ok("unset", "confapp");
        jpm.ok("restart", "confapp");
        jpm.awaitLog(out, "conf api_key=unset self=unset\n");

        // no app of that name: set says nothing of a restart, as pm2
        Jpm.Result none = jpm.ok("set", "nobody.k", "v");
        assertFalse(none.out().contains("restarted"), none.toString());
    }

    @Test
    void pm2LogrotateKeysAreJpmsOwnLogRotation(Jpm jpm) throws Exception {
        Path settings = jpm.home.resolve("jpm.json");
        Jpm.Result install = jpm.ok("install", "pm2-logrotate");
        assertTrue(install.out().contains("nothing to install, jpm rotates logs itself"), install.toString());
        assertEquals(1, jpm.cli("install", "pm2-server-monit").exit());

        try (ConfigEvents events = new ConfigEvents(jpm.home)) {
            Jpm.Result set = jpm.ok("multiset", "pm2-logrotate:max_size 1K pm2-logrotate:retain 2");
            assertTrue(set.out().contains("logs.max_size = \"1K\""), set.toString());
            events.applied(settings);
        }
        JsonObject logs = new JsonObject(text(settings)).getJsonObject("logs");
        assertEquals(new JsonObject().put("max_size", "1K").put("retain", 2), logs);

        jpm.ok("start", Jpm.fixture("flood.sh").toString(), "--name", "flood", "--no-autorestart", "--", "20000");
        String out = jpm.awaitStatus("flood", "stopped")
                .get(0)
                .getJsonObject("pm2_env")
                .getString("pm_out_log_path");
        // the writer may still be rotating the flood's last lines: between its renames .1 is missing a moment
        long firstRotated = Jpm.await("rotated at 1K", () -> {
            try {
                return Files.exists(Path.of(out + ".2")) ? Files.size(Path.of(out + ".1")) : null;
            } catch (IOException e) {
                return null;
            }
        });
        assertTrue(firstRotated <= 1024, "rotated at 1K, not 10M");
        assertFalse(Files.exists(Path.of(out + ".3")), "retain 2");

        jpm.ok("set", "pm2-logrotate:rotateInterval", "0 0 * * *");
        assertEquals("1d", new JsonObject(text(settings)).getJsonObject("logs").getString("rotate_interval"));
        String before = text(settings);
        Jpm.Result bad = jpm.cli("set", "pm2-logrotate:retain", "lots");
        assertEquals(1, bad.exit(), bad.toString());
        assertTrue(bad.err().contains("pm2-logrotate:retain sets jpm's logs.retain, which refuses it"), bad.toString());
        assertEquals(before, text(settings));

        jpm.ok("unset", "pm2-logrotate");
        assertEquals(new JsonObject(), new JsonObject(text(settings)).getJsonObject("logs"), "the defaults again");
    }

    @Test
    void theReadOnlyTokenCannotSet(Jpm jpm) throws Exception {
        jpm.ok("set", "guarded.k", "v");
        Path file = jpm.home.resolve("module_conf.json");
        String before = text(file);
        try (RawBridge bridge = new RawBridge(jpm.home)) {
            JsonObject set = bridge.request(
                    "jpm.cmd.set",
                    new JsonObject().put("key", "guarded.k").put("value", "other"),
                    RawBridge.token(jpm.home, "token.readonly"));
            assertEquals(16, set.getInteger("failureCode"), set.encode());
        }
        assertEquals(before, text(file));
    }
}
