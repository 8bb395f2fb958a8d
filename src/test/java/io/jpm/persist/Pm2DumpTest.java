package io.jpm.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jpm.protocol.HomeFileNames;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Pm2DumpTest {
    @TempDir
    Path home;

    private static JsonObject app(String name) {
        return new JsonObject().put("name", name).put("source", new JsonObject().put("script", "/srv/" + name + ".js"));
    }

    private static JsonObject process(int pmId, String name, String status) {
        return new JsonObject()
                .put("pm_id", pmId)
                .put("name", name)
                .put(
                        "pm2_env",
                        new JsonObject()
                                .put("name", name)
                                .put("pm_id", pmId)
                                .put("instances", 2)
                                .put("status", status)
                                .put("pm_exec_path", "/srv/" + name + ".js"));
    }

    @Test
    void eachProcessIsItsPm2EnvWithoutPmIdAndTheFirstOfAnAppCarriesItsEntry() {
        JsonArray apps = new JsonArray().add(app("a")).add(app("b"));
        // listed out of pm_id order: the dump follows pm_ids
        JsonArray processes = new JsonArray()
                .add(process(2, "b", "stopped"))
                .add(process(1, "a", "online"))
                .add(process(0, "a", "online"));
        JsonArray dump = new JsonArray(Pm2Dump.render(apps, processes));
        assertEquals(3, dump.size());
        assertEquals("a", dump.getJsonObject(0).getString("name"));
        assertEquals(app("a"), dump.getJsonObject(0).getJsonObject(Pm2Dump.JPM_APP));
        assertFalse(dump.getJsonObject(1).containsKey(Pm2Dump.JPM_APP), "one entry per app");
        assertEquals("stopped", dump.getJsonObject(2).getString("status"));
        assertEquals(app("b"), dump.getJsonObject(2).getJsonObject(Pm2Dump.JPM_APP));
        for (Object o : dump) {
            assertFalse(((JsonObject) o).containsKey("pm_id"), "pm2's save drops pm_id");
            assertFalse(((JsonObject) o).containsKey("instances"), "pm2's save drops instances");
        }
        assertEquals(apps, Pm2Dump.apps(dump.encode(), home));
    }

    @Test
    void anAppWithoutProcessIsStillNamed() {
        JsonArray dump = new JsonArray(Pm2Dump.render(new JsonArray().add(app("none")), new JsonArray()));
        assertEquals("none", dump.getJsonObject(0).getString("name"));
        assertEquals(new JsonArray().add(app("none")), Pm2Dump.apps(dump.encode(), home));
    }

    @Test
    void pm2sEmptyListAndWhatIsNotItsFormat() {
        assertEquals(new JsonArray(), Pm2Dump.apps("[]", home));
        assertThrows(RuntimeException.class, () -> Pm2Dump.apps("[{", home));
        assertThrows(IllegalArgumentException.class, () -> Pm2Dump.apps("{\"version\":1,\"apps\":[]}", home));
        assertThrows(IllegalArgumentException.class, () -> Pm2Dump.apps("[{\"pm_exec_path\":\"/a.js\"}]", home));
    }

    /** A process as pm2 7 saves it (fields from a dump.pm2 of pm2 7.0.4, trimmed). */
    private JsonObject pm2s(String name, int pmId, String status, String mode) {
        return new JsonObject()
                .put("name", name)
                .put("namespace", "default")
                .put(
                        "env",
                        new JsonObject()
                                .put("PATH", "/usr/bin:/bin")
                                .put("FROM_SHELL", "yes")
                                .put("PORT", 3000)
                                .put(name, new JsonObject())
                                .put("unique_id", "6058d420"))
                .put("autorestart", true)
                .put("watch", false)
                .put("instance_var", "NODE_APP_INSTANCE")
                .put("treekill", true)
                .put("username", "someone")
                .put("node_args", new JsonArray())
                .put("args", new JsonArray().add("x"))
                .put("max_memory_restart", 314572800)
                .put("pm_exec_path", "/srv/" + name + ".js")
                .put("pm_cwd", "/srv")
                .put("exec_interpreter", "node")
                .put("exec_mode", mode)
                .put(
                        "pm_out_log_path",
                        home.resolve("logs/" + name + "-out-" + pmId + ".log").toString())
                .put("pm_err_log_path", "/var/log/" + name + "-err-" + pmId + ".log")
                .put(
                        "pm_pid_path",
                        home.resolve("pids/" + name + "-" + pmId + ".pid").toString())
                .put("PATH", "/usr/bin:/bin")
                .put("FROM_SHELL", "yes")
                .put("status", status)
                .put("restart_time", 3)
                .put("axm_options", new JsonObject().put("module_name", name))
                .put("version", "1.0.0")
                .put("node_version", "20.20.2");
    }

    /** A pm2 user's own dump.pm2: each app once with its processes counted, pm2's fields read as options. */
    @Test
    void aDumpPm2ItselfWroteGivesJpmsEntries() {
        JsonArray dump = new JsonArray()
                .add(pm2s("api", 0, "online", "cluster_mode"))
                .add(pm2s("api", 1, "stopped", "cluster_mode"))
                .add(pm2s("job", 2, "stopped", "fork_mode"));
        JsonArray apps = Pm2Dump.apps(dump.encode(), home);
        assertEquals(2, apps.size());
        JsonObject api = apps.getJsonObject(0);
        assertEquals("api", api.getString("name"));
        JsonObject source = api.getJsonObject("source");
        assertEquals("/srv/api.js", source.getString("script"));
        assertEquals("/srv", source.getString("cwd"));
        assertEquals("node", source.getString("interpreter"));
        assertEquals("cluster", source.getString("exec_mode"));
        assertEquals(2, source.getInteger("instances"));
        assertEquals(new JsonArray().add("x"), source.getJsonArray("args"));
        assertEquals(314572800, source.getInteger("max_memory_restart"));
        assertEquals("default", source.getString("namespace"));
        assertFalse(source.containsKey("node_args"), "no node args: none given");
        assertFalse(source.containsKey("username"), "who ran it under pm2");
        assertFalse(source.containsKey("PATH"), "a variable pm2 merged into pm2_env is no option");
        assertFalse(source.containsKey("version"), "pm2's reading of package.json");
        // pm2's default log and pid places are jpm's too; another one is kept, without pm2's -<pm_id>
        assertFalse(source.containsKey("out_file"));
        assertFalse(source.containsKey("pid_file"));
        assertEquals("/var/log/api-err.log", source.getString("error_file"));
        JsonObject env = api.getJsonObject("env");
        assertEquals("yes", env.getString("FROM_SHELL"));
        assertEquals("3000", env.getString("PORT"));
        assertFalse(env.containsKey("api"), "pm2's empty module configuration, never in the process's environment");
        assertFalse(env.containsKey("unique_id"));
        assertEquals(new JsonArray().add(1), api.getJsonArray("stopped"));
        assertEquals("/srv", api.getString("command_cwd"));

        JsonObject job = apps.getJsonObject(1);
        assertEquals("fork", job.getJsonObject("source").getString("exec_mode"));
        assertEquals(1, job.getJsonObject("source").getInteger("instances"));
        assertEquals(
                "/var/log/job-err-2.log",
                job.getJsonObject("source").getString("error_file"),
                "a fork app alone: as pm2 named it");
        assertEquals(new JsonArray().add(0), job.getJsonArray("stopped"));
    }

    @Test
    void jpmsEntriesAndPm2sKeepTheDumpsOrder() {
        JsonArray jpms = new JsonArray(
                Pm2Dump.render(new JsonArray().add(app("mine")), new JsonArray().add(process(1, "mine", "online"))));
        JsonArray dump =
                new JsonArray().add(pm2s("theirs", 0, "online", "fork_mode")).add(jpms.getJsonObject(0));
        JsonArray apps = Pm2Dump.apps(dump.encode(), home);
        assertEquals("theirs", apps.getJsonObject(0).getString("name"));
        assertEquals(app("mine"), apps.getJsonObject(1));
    }

    @Test
    void theUserDumpUnderPm2sNamesIsDumpPm2WithItsBakAndReadsBack() throws Exception {
        DumpFile dump = DumpFile.userDump(home, HomeFileNames.PM2);
        assertEquals(home.resolve("dump.pm2"), dump.path());
        JsonArray first = new JsonArray().add(app("a"));
        dump.write(dump.format().render(first, new JsonArray().add(process(0, "a", "online"))));
        assertFalse(Files.exists(home.resolve("dump.pm2.bak")), "pm2's first save leaves no .bak");
        JsonArray second = new JsonArray().add(app("a")).add(app("b"));
        dump.write(dump.format()
                .render(second, new JsonArray().add(process(0, "a", "online")).add(process(1, "b", "online"))));
        assertEquals(second, dump.read().apps());
        Files.writeString(home.resolve("dump.pm2"), "[{");
        DumpFile.Read read = dump.read();
        assertEquals(home.resolve("dump.pm2.bak"), read.from());
        assertEquals(first, read.apps());
        assertFalse(Files.exists(home.resolve("dump.pm2")), "pm2 deletes a dump it cannot read");
    }
}
