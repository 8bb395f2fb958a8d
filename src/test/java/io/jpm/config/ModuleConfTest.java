package io.jpm.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jpm.protocol.JpmException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModuleConfTest {
    @Test
    void setNestsUnderTheAppAndKeepsTheRest() {
        JsonObject conf = ModuleConf.set(new JsonObject(), "key1", "val1");
        conf = ModuleConf.set(conf, "pm2-logrotate:max_size", "10M");
        conf = ModuleConf.set(conf, "myapp.api_key", "abc");
        assertEquals(
                new JsonObject(
                        "{\"key1\":\"val1\",\"pm2-logrotate\":{\"max_size\":\"10M\"},\"myapp\":{\"api_key\":\"abc\"}}"),
                conf);
        assertEquals(
                "xyz",
                ModuleConf.set(conf, "myapp:api_key", "xyz")
                        .getJsonObject("myapp")
                        .getString("api_key"));
    }

    @Test
    void setLeavesItsInputAloneAndReplacesAValueInTheWay() {
        JsonObject conf = new JsonObject().put("a", "text");
        JsonObject next = ModuleConf.set(conf, "a.b.c", "deep");
        assertEquals("text", conf.getString("a"));
        assertEquals("deep", next.getJsonObject("a").getJsonObject("b").getString("c"));
        assertEquals("flat", ModuleConf.set(next, "a", "flat").getString("a"));
    }

    @Test
    void unsetRemovesOneKeyAndAllEmptiesIt() {
        JsonObject conf = new JsonObject("{\"key1\":\"v\",\"myapp\":{\"api_key\":\"abc\"}}");
        assertEquals(new JsonObject("{\"myapp\":{\"api_key\":\"abc\"}}"), ModuleConf.unset(conf, "key1"));
        assertEquals(new JsonObject("{\"key1\":\"v\",\"myapp\":{}}"), ModuleConf.unset(conf, "myapp:api_key"));
        assertEquals(conf, ModuleConf.unset(conf, "nothere.deep"), "nothing made on the way");
        assertEquals(conf, ModuleConf.unset(conf, "key1.x"), "a value in the way is left alone");
        assertEquals(new JsonObject(), ModuleConf.unset(conf, "all"));
    }

    @Test
    void theFileReadsAsPm2WritesIt() {
        JsonObject conf = new JsonObject(
                "{\"key1\":\"val1\",\"pm2-logrotate\":{\"max_size\":\"10M\",\"retain\":\"5\"},\"e\":{}}");
        assertEquals(
                "{\n    \"key1\": \"val1\",\n    \"pm2-logrotate\": {\n        \"max_size\": \"10M\",\n"
                        + "        \"retain\": \"5\"\n    },\n    \"e\": {}\n}",
                ModuleConf.render(conf));
        assertEquals("{}", ModuleConf.render(new JsonObject()));
        assertEquals(
                "{\n    \"k\": \"a\\\"b\\\\c\\n\\u0001é\"\n}",
                ModuleConf.render(new JsonObject().put("k", "a\"b\\c\n\u0001é")));
        assertEquals(conf, ModuleConf.parse("f", ModuleConf.render(conf)));
    }

    @Test
    void aFileThatIsNoObjectIsRefused() {
        assertEquals(new JsonObject(), ModuleConf.parse("f", ""));
        JpmException e = assertThrows(JpmException.class, () -> ModuleConf.parse("/h/module_conf.json", "{\"a\":"));
        assertTrue(e.getMessage().startsWith("/h/module_conf.json does not read as a JSON object"), e.getMessage());
        assertThrows(JpmException.class, () -> ModuleConf.parse("f", "[1]"));
    }

    @Test
    void anAppGetsEachValueAndItsWholeEntryAsJsonUnderItsName() {
        JsonObject conf =
                new JsonObject("{\"echo\":{\"config_var\":\"false\",\"deep\":{\"x\":\"1\"},\"n\":3},\"top\":\"v\"}");
        assertEquals(
                Map.of(
                        "config_var",
                        "false",
                        "n",
                        "3",
                        "echo",
                        "{\"config_var\":\"false\",\"deep\":{\"x\":\"1\"},\"n\":3}"),
                ModuleConf.env(conf, "echo"));
        assertEquals(Map.of(), ModuleConf.env(conf, "other"), "pm2 gives {} then, which node leaves out");
        assertEquals(Map.of(), ModuleConf.env(conf, "top"), "a bare value is no app's entry");
        assertEquals(Map.of("empty", "{}"), ModuleConf.env(new JsonObject().put("empty", new JsonObject()), "empty"));
    }
}
