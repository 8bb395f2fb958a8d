package io.jpm.ecosystem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfEditsTest {
    @TempDir
    Path home;

    private ConfEdits edits() {
        return new ConfEdits(home.resolve("jpm.json"), home.resolve("module_conf.json"));
    }

    private JsonObject apply(String key, String value) throws Exception {
        return edits().apply(List.of(new ConfEdits.Edit(key, value)));
    }

    private String moduleConf() throws Exception {
        return Files.readString(home.resolve("module_conf.json"));
    }

    @Test
    void aModuleKeyGoesToModuleConfOwnerOnlyAndJpmJsonIsNotTouched() throws Exception {
        JsonObject done = apply("myapp.api_key", "abc");
        assertEquals(home.resolve("module_conf.json").toString(), done.getString("file"));
        assertEquals("abc", done.getString("value"));
        assertEquals("{\n    \"myapp\": {\n        \"api_key\": \"abc\"\n    }\n}", moduleConf());
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("module_conf.json"))));
        assertFalse(Files.exists(home.resolve("jpm.json")));
        try (var left = Files.list(home)) {
            assertEquals(1, left.count(), "no temp file left");
        }
    }

    @Test
    void aSettingKeyGoesToJpmJsonAsBefore() throws Exception {
        JsonObject done = apply("persist.auto_dump", "false");
        assertEquals(false, done.getValue("value"));
        assertEquals(
                false,
                new JsonObject(Files.readString(home.resolve("jpm.json")))
                        .getJsonObject("persist")
                        .getBoolean("auto_dump"));
        assertFalse(Files.exists(home.resolve("module_conf.json")));
    }

    @Test
    void unsetAllLeavesAnEmptyFile() throws Exception {
        apply("key1", "val1");
        apply("all", null);
        assertEquals("{}", moduleConf());
        Files.delete(home.resolve("module_conf.json"));
        apply("all", null);
        assertEquals("{}", moduleConf(), "the file exists after unset all, as pm2's e2e get-set.sh checks");
    }

    @Test
    void pm2LogrotateKeysAlsoSetJpmsLogSettingsAndUnsetThem() throws Exception {
        JsonObject done = apply("pm2-logrotate:max_size", "1K");
        assertEquals("1K", done.getJsonObject("settings").getString("logs.max_size"));
        assertEquals(
                "1K",
                new JsonObject(Files.readString(home.resolve("jpm.json")))
                        .getJsonObject("logs")
                        .getString("max_size"));
        assertTrue(moduleConf().contains("\"max_size\": \"1K\""));
        apply("all", null);
        assertEquals(
                new JsonObject().put("logs", new JsonObject()),
                new JsonObject(Files.readString(home.resolve("jpm.json"))));
    }

    @Test
    void aBadValueChangesNeitherFile() throws Exception {
        apply("pm2-logrotate:retain", "5");
        String settings = Files.readString(home.resolve("jpm.json"));
        String module = moduleConf();
        JpmException e = assertThrows(JpmException.class, () -> edits().apply(List.of(
                new ConfEdits.Edit("myapp.key", "v"), new ConfEdits.Edit("pm2-logrotate:retain", "lots"))));
        assertTrue(
                e.getMessage().startsWith("pm2-logrotate:retain sets jpm's logs.retain, which refuses it:"),
                e.getMessage());
        assertThrows(JpmException.class, () -> apply("persist.auto_dump", "maybe"));
        assertEquals(settings, Files.readString(home.resolve("jpm.json")));
        assertEquals(module, moduleConf());
    }

    @Test
    void aFileThatDoesNotReadIsLeftForTheUser() throws Exception {
        Files.writeString(home.resolve("module_conf.json"), "{ broken");
        JpmException e = assertThrows(JpmException.class, () -> apply("k", "v"));
        assertTrue(e.getMessage().contains("does not read as a JSON object"), e.getMessage());
        assertEquals("{ broken", moduleConf());
    }

    @Test
    void aSymbolicLinkInPlaceOfTheFileIsReplacedNotFollowed() throws Exception {
        Path elsewhere = Files.writeString(home.resolve("elsewhere.json"), "{}");
        Files.createSymbolicLink(home.resolve("module_conf.json"), elsewhere);
        apply("k", "v");
        assertFalse(Files.isSymbolicLink(home.resolve("module_conf.json")));
        assertEquals("{}", Files.readString(elsewhere));
    }
}
