package io.jpm.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        assertEquals(apps, Pm2Dump.apps(dump.encode()));
    }

    @Test
    void anAppWithoutProcessIsStillNamed() {
        JsonArray dump = new JsonArray(Pm2Dump.render(new JsonArray().add(app("none")), new JsonArray()));
        assertEquals("none", dump.getJsonObject(0).getString("name"));
        assertEquals(new JsonArray().add(app("none")), Pm2Dump.apps(dump.encode()));
    }

    @Test
    void pm2sEmptyListAndWhatIsNotItsFormat() {
        assertEquals(new JsonArray(), Pm2Dump.apps("[]"));
        assertThrows(RuntimeException.class, () -> Pm2Dump.apps("[{"));
        assertThrows(IllegalArgumentException.class, () -> Pm2Dump.apps("{\"version\":1,\"apps\":[]}"));
        IllegalArgumentException pm2s = assertThrows(
                IllegalArgumentException.class, () -> Pm2Dump.apps("[{\"name\":\"api\",\"pm_exec_path\":\"/a.js\"}]"));
        assertTrue(pm2s.getMessage().contains("api"), pm2s.getMessage());
    }

    @Test
    void theUserDumpUnderPm2sNamesIsDumpPm2WithItsBakAndReadsBack() throws Exception {
        DumpFile dump = DumpFile.userDump(home, HomeFileNames.PM2);
        assertEquals(home.resolve("dump.pm2"), dump.path());
        JsonArray first = new JsonArray().add(app("a"));
        dump.write(dump.format().render(first, new JsonArray().add(process(0, "a", "online"))));
        JsonArray second = new JsonArray().add(app("a")).add(app("b"));
        dump.write(dump.format()
                .render(second, new JsonArray().add(process(0, "a", "online")).add(process(1, "b", "online"))));
        assertEquals(second, dump.read().apps());
        Files.writeString(home.resolve("dump.pm2"), "[{");
        DumpFile.Read read = dump.read();
        assertEquals(home.resolve("dump.pm2.bak"), read.from());
        assertEquals(first, read.apps());
    }
}
