package io.jpm.god;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jpm.config.AppConfig;
import io.jpm.config.AppConfigParser;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pm2's module configuration in a run's environment (JPM_HOME/module_conf.json, jpm set app.key). */
class RunEnvironmentTest {
    @TempDir
    Path home;

    private AppConfig config(String options) throws IOException {
        Files.writeString(home.resolve("server.py"), "import time\n");
        return new AppConfigParser("test", home, Map.of("PATH", "/usr/bin:/bin", "FROM_SHELL", "shell"))
                .parse(new JsonObject("{\"script\":\"server.py\",\"name\":\"api\"" + options + "}"), "production");
    }

    private void moduleConf(String json) throws IOException {
        Files.writeString(home.resolve("module_conf.json"), json);
    }

    @Test
    void theAppsEntryIsOverItsWholeEnvAndUnderJpmsOwnVariables() throws IOException {
        AppConfig config = config(",\"env\":{\"K\":\"env\"},\"env_production\":{\"P\":\"prod\"}");
        moduleConf(
                "{\"api\":{\"K\":\"conf\",\"P\":\"conf\",\"FROM_SHELL\":\"conf\",\"pm_id\":\"9\"},\"other\":{\"X\":\"1\"}}");
        Map<String, String> moduleEnv = RunEnvironment.moduleEnv(home, config);
        Map<String, String> env =
                RunEnvironment.of(new Instance(3, 0, config, "o", "e", null, "p", "box", e -> {}), 0, home, moduleEnv);
        assertEquals("conf", env.get("K"));
        assertEquals("conf", env.get("P"), "a value set is the value the app gets, env_<name> or not");
        assertEquals("conf", env.get("FROM_SHELL"));
        assertEquals("3", env.get("pm_id"), "jpm's own variables stay jpm's");
        assertEquals("{\"K\":\"conf\",\"P\":\"conf\",\"FROM_SHELL\":\"conf\",\"pm_id\":\"9\"}", env.get("api"));
        assertFalse(env.containsKey("X"));
    }

    @Test
    void theNamespacesEntryIsUnderTheAppsOwn() throws IOException {
        AppConfig config = config(",\"namespace\":\"team\"");
        moduleConf("{\"team\":{\"A\":\"team\",\"B\":\"team\"},\"api\":{\"B\":\"api\"}}");
        assertEquals(
                Map.of("A", "team", "B", "api", "team", "{\"A\":\"team\",\"B\":\"team\"}", "api", "{\"B\":\"api\"}"),
                RunEnvironment.moduleEnv(home, config));
    }

    @Test
    void noFileOrABrokenOneGivesNothing() throws IOException {
        AppConfig config = config("");
        assertEquals(Map.of(), RunEnvironment.moduleEnv(home, config));
        moduleConf("{ broken");
        assertEquals(Map.of(), RunEnvironment.moduleEnv(home, config));
    }

    @Test
    void jlistListsTheVariablesTheRunWasGiven() throws IOException {
        Instance instance = new Instance(0, 0, config(""), "o", "e", null, "p", "box", e -> {});
        instance.run().moduleEnv(Map.of("api_key", "abc", "api", "{\"api_key\":\"abc\"}"));
        JsonObject pm2Env = new Describer("box")
                .describe(instance, System.currentTimeMillis(), true)
                .getJsonObject("pm2_env");
        assertEquals("abc", pm2Env.getJsonObject("env").getString("api_key"));
        assertEquals("abc", pm2Env.getString("api_key"), "pm2 lists the app's env in pm2_env too");
        assertEquals("{\"api_key\":\"abc\"}", pm2Env.getJsonObject("env").getString("api"));
    }
}
