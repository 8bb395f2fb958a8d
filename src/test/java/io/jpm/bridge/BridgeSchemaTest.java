package io.jpm.bridge;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.jpm.verticle.FrameShape;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/bridge-messages.schema.json against the bridge's own rules: it is a JSON Schema 2020-12; each
 * frame the frame guard ({@link FrameShape}) refuses for its shape fails it, and the frames a client
 * sends in docs/PROTOCOL.md pass. BridgeSchemaIT checks it against a real daemon's frames.
 */
class BridgeSchemaTest {
    static final Path SCHEMA = Path.of("docs", "bridge-messages.schema.json");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static JsonSchema schema;

    @BeforeAll
    static void load() throws IOException {
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        Set<ValidationMessage> notASchema =
                factory.getSchema(SchemaLocation.of(SchemaId.V202012)).validate(JSON.readTree(SCHEMA.toFile()));
        assertTrue(notASchema.isEmpty(), SCHEMA + " is not a JSON Schema 2020-12: " + notASchema);
        schema = factory.getSchema(JSON.readTree(SCHEMA.toFile()));
    }

    static Set<ValidationMessage> problems(String frame) throws IOException {
        return schema.validate(JSON.readTree(frame));
    }

    /** Frames the frame guard refuses, one per shape rule it has. */
    private static final List<String> REFUSED_SHAPES = List.of(
            "{}",
            "{\"type\":\"subscribe\",\"address\":\"jpm.events.process\"}",
            "{\"type\":42}",
            "{\"type\":\"send\",\"body\":{}}",
            "{\"type\":\"register\"}",
            "{\"type\":\"unregister\",\"address\":7}",
            "{\"type\":\"send\",\"address\":\"jpm.query.list\",\"body\":\"api\"}",
            "{\"type\":\"send\",\"address\":\"jpm.query.list\",\"body\":[1,2]}",
            "{\"type\":\"publish\",\"address\":\"jpm.cmd.stop\",\"body\":3}",
            "{\"type\":\"ping\",\"headers\":\"token\"}",
            "{\"type\":\"send\",\"address\":\"jpm.query.list\",\"body\":{},\"headers\":{\"timeout\":0}}",
            "{\"type\":\"send\",\"address\":\"jpm.query.list\",\"body\":{},\"headers\":{\"timeout\":\"5s\"}}",
            "{\"type\":\"send\",\"address\":\"jpm.query.list\",\"body\":{},\"headers\":{\"localOnly\":\"yes\"}}");

    @Test
    void everyFrameTheGuardRefusesForItsShapeFailsTheSchema() throws IOException {
        for (String frame : REFUSED_SHAPES) {
            assertNotNull(FrameShape.problemWith(new JsonObject(frame)), "the guard takes " + frame);
            assertTrue(!problems(frame).isEmpty(), "the schema takes a frame the bridge refuses: " + frame);
        }
    }

    @Test
    void theFramesOfTheProtocolPass() throws IOException {
        List<String> frames = List.of(
                "{\"type\":\"ping\",\"headers\":{\"token\":\"t\"}}",
                "{\"type\":\"ping\"}",
                "{\"type\":\"send\",\"address\":\"jpm.query.list\",\"body\":{},\"replyAddress\":\"r1\","
                        + "\"headers\":{\"token\":\"t\",\"timeout\":120000}}",
                "{\"type\":\"register\",\"address\":\"jpm.events.process\"}",
                "{\"type\":\"unregister\",\"address\":\"jpm.host.web-2.events.log\",\"headers\":{}}",
                "{\"type\":\"send\",\"address\":\"jpm.cmd.stop\",\"replyAddress\":\"r2\","
                        + "\"body\":{\"targets\":[\"api\",\"3\",\"/^worker-/\"],\"cwd\":\"/srv\"}}",
                "{\"type\":\"send\",\"address\":\"jpm.cmd.restart\",\"replyAddress\":\"r3\","
                        + "\"body\":{\"targets\":[\"api\"],\"update_env\":true,\"env\":{\"LEVEL\":\"debug\"},\"parallel\":2}}",
                "{\"type\":\"send\",\"address\":\"jpm.cmd.start\",\"replyAddress\":\"r4\",\"body\":{\"apps\":"
                        + "[{\"script\":\"worker.py\",\"name\":\"w\",\"instances\":2}],\"cwd\":\"/srv\"}}",
                "{\"type\":\"send\",\"address\":\"jpm.cmd.scale\",\"body\":{\"name\":\"api\",\"count\":\"+2\"}}",
                "{\"type\":\"send\",\"address\":\"jpm.cmd.signal\",\"body\":{\"signal\":\"SIGUSR2\",\"target\":{\"targets\":[\"api\"]}}}",
                "{\"type\":\"send\",\"address\":\"jpm.cmd.sendData\",\"body\":{\"pm_id\":3,\"packet\":{\"topic\":\"t\",\"data\":{}}}}",
                "{\"type\":\"send\",\"address\":\"jpm.cmd.trigger\",\"body\":{\"target\":\"api\",\"action\":\"db:flush\",\"params\":\"x\"}}",
                "{\"type\":\"send\",\"address\":\"jpm.cmd.monitor\",\"body\":{\"targets\":[\"api\"]}}",
                "{\"type\":\"send\",\"address\":\"jpm.cmd.unmonitor\",\"body\":{\"targets\":[\"all\"]}}",
                "{\"type\":\"send\",\"address\":\"jpm.cmd.set\",\"body\":{\"key\":\"persist.auto_dump\",\"value\":\"false\"}}",
                "{\"type\":\"send\",\"address\":\"jpm.cmd.kill\",\"body\":{}}",
                "{\"type\":\"message\",\"address\":\"r1\",\"headers\":{},\"body\":{\"ok\":true,\"data\":[]},\"send\":true}",
                "{\"type\":\"message\",\"address\":\"jpm.events.process\",\"headers\":{},\"send\":false,\"body\":"
                        + "{\"app\":\"api\",\"pm_id\":0,\"pid\":1234,\"from\":\"online\",\"to\":\"waiting restart\","
                        + "\"reason\":\"exited with code 1; restart in 100 ms\",\"exit_code\":1,\"signal\":null,"
                        + "\"time\":1795320564471,\"host\":\"box\",\"old_run\":false}}",
                "{\"type\":\"err\",\"address\":\"r1\",\"sourceAddress\":\"jpm.cmd.stop\",\"failureCode\":11,"
                        + "\"failureType\":\"RECIPIENT_FAILURE\",\"message\":\"process or namespace api not found\"}",
                "{\"type\":\"err\",\"message\":\"access_denied\"}",
                "{\"type\":\"pong\"}");
        for (String frame : frames) {
            assertNull(
                    frame.contains("\"type\":\"message\"")
                                    || frame.contains("\"type\":\"err\"")
                                    || frame.contains("\"type\":\"pong\"")
                            ? null
                            : FrameShape.problemWith(new JsonObject(frame)),
                    frame);
            assertTrue(problems(frame).isEmpty(), frame + ": " + problems(frame));
        }
    }

    @Test
    void aBodyTheDaemonRefusesForAFieldFailsTooNamingTheField() throws IOException {
        // {"targets":"api"} is refused with code 10, 'targets' must be an array
        Set<ValidationMessage> wrong =
                problems("{\"type\":\"send\",\"address\":\"jpm.cmd.restart\",\"body\":{\"targets\":\"api\"}}");
        assertTrue(wrong.stream().anyMatch(m -> m.getMessage().contains("targets")), wrong.toString());
        Set<ValidationMessage> event = problems("{\"type\":\"message\",\"address\":\"jpm.events.process\","
                + "\"body\":{\"app\":\"api\",\"pm_id\":0,\"from\":\"online\",\"to\":\"sleeping\",\"reason\":\"\","
                + "\"time\":1,\"host\":\"box\"}}");
        assertTrue(event.stream().anyMatch(m -> m.getMessage().contains("to")), event.toString());
    }
}
