package io.jpm.verticle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the bridge writes for a reply with encoded parts, small and bigger than the scratch it keeps. */
class PartlyEncodedTest {
    @Test
    void theEncodedFieldsReadAsFieldsOfTheirObject() {
        Map<String, Object> steady = new LinkedHashMap<>();
        steady.put("name", "api");
        steady.put("env", Map.of("GREETING", "grüß dich"));
        PartlyEncoded row = new PartlyEncoded(Map.of("status", "online"), PartlyEncoded.fieldsOf(steady));
        JsonObject read =
                read(PartlyEncoded.encode(new JsonObject().put("ok", true).put("data", List.of(row)), 0));
        JsonObject expected = new JsonObject()
                .put("ok", true)
                .put("data", new JsonArray().add(new JsonObject(steady).put("status", "online")));
        assertEquals(expected, read);
    }

    @Test
    void aReplyBiggerThanTheKeptScratchIsWhole() {
        for (int round = 0; round < 2; round++) { // the second after the first left its big array
            JsonArray rows = new JsonArray();
            for (int i = 0; i < 2_000; i++) {
                rows.add(new PartlyEncoded(
                        Map.of("pm_id", i),
                        PartlyEncoded.fieldsOf(Map.of("name", "app-" + i, "pad", "x".repeat(100)))));
            }
            Buffer frame = PartlyEncoded.encode(new JsonObject().put("data", rows), 4);
            JsonArray read = read(frame.getBuffer(4, frame.length())).getJsonArray("data");
            assertEquals(2_000, read.size());
            assertEquals("app-1999", read.getJsonObject(1_999).getString("name"));
        }
    }

    @Test
    void noFieldsBesideTheEncodedOnesNeedsNoComma() {
        PartlyEncoded only = new PartlyEncoded(Map.of(), PartlyEncoded.fieldsOf(Map.of("a", 1)));
        assertEquals(new JsonObject().put("a", 1), read(PartlyEncoded.encode(only, 0)));
        PartlyEncoded none = new PartlyEncoded(Map.of("b", 2), new byte[0]);
        assertEquals("{\"b\":2}", PartlyEncoded.encode(none, 0).toString(StandardCharsets.UTF_8));
    }

    private static JsonObject read(Buffer json) {
        return new JsonObject(json);
    }
}
