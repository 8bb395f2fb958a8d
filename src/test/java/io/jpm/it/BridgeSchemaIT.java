package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.jpm.testkit.Deadline;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * docs/bridge-messages.schema.json against a real daemon: every frame a session sends (the stock
 * clients' replayed frames among them) and every frame the daemon answers or publishes (replies,
 * failures, pongs, process, log and metrics events) validates; the one frame the bridge refuses for
 * its shape does not.
 */
@ExtendWith(JpmExtension.class)
class BridgeSchemaIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonSchema schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
            .getSchema(
                    JSON.readTree(Path.of("docs", "bridge-messages.schema.json").toFile()));
    private final List<JsonObject> received = new ArrayList<>();

    BridgeSchemaIT() throws IOException {}

    private Set<ValidationMessage> problems(String frame) throws IOException {
        return schema.validate(JSON.readTree(frame));
    }

    /** Reads frames, keeping each, until one passes {@code wanted}. */
    private JsonObject until(RawBridge bridge, String what, Predicate<JsonObject> wanted) throws IOException {
        Deadline deadline = Deadline.in(Duration.ofSeconds(30));
        while (!deadline.passed()) {
            JsonObject frame = bridge.read(deadline.remainingMillis());
            if (frame != null) {
                received.add(frame);
                if (wanted.test(frame)) {
                    return frame;
                }
            }
        }
        throw new AssertionError("no " + what + " within 30 s; got " + received);
    }

    private static Predicate<JsonObject> to(String address) {
        return f -> address.equals(f.getString("address"));
    }

    private static Predicate<JsonObject> event(String address, Predicate<JsonObject> body) {
        return f -> address.equals(f.getString("address")) && body.test(f.getJsonObject("body"));
    }

    @Test
    void aSessionsFramesBothWaysMatchTheSchema(Jpm jpm) throws IOException {
        jpm.ok("ls");
        String token = RawBridge.token(jpm.home, "token");
        List<JsonObject> sent = new ArrayList<>();
        try (RawBridge bridge = new RawBridge(jpm.home)) {
            List<JsonObject> opening = List.of(
                    new JsonObject().put("type", "ping").put("headers", new JsonObject().put("token", token)),
                    new JsonObject().put("type", "register").put("address", "jpm.events.process"),
                    new JsonObject().put("type", "register").put("address", "jpm.events.log"),
                    new JsonObject().put("type", "register").put("address", "jpm.events.metrics"),
                    new JsonObject().put("type", "ping"));
            for (JsonObject frame : opening) {
                sent.add(frame);
                bridge.write(frame);
            }
            until(bridge, "the first pong", f -> "pong".equals(f.getString("type")));
            until(bridge, "the second pong", f -> "pong".equals(f.getString("type")));
            JsonObject start = RawBridge.send(
                    "jpm.cmd.start",
                    new JsonObject()
                            .put("apps", new JsonArray().add(Jpm.app("tick", Jpm.fixture("ticker.sh"))))
                            .put("cwd", jpm.scratch.toString()),
                    null,
                    "r.start");
            sent.add(start);
            bridge.write(start);
            until(bridge, "tick online", event("jpm.events.process", b -> "online".equals(b.getString("to"))));
            until(bridge, "a log batch", event("jpm.events.log", b -> true));
            until(bridge, "a metrics sample", event("jpm.events.metrics", b -> true));
            List<JsonObject> requests = List.of(
                    RawBridge.send("jpm.query.list", new JsonObject(), null, "r.list"),
                    RawBridge.send(
                            "jpm.query.describe",
                            new JsonObject().put("targets", new JsonArray().add("tick")),
                            null,
                            "r.describe"),
                    RawBridge.send("jpm.query.ping", new JsonObject(), null, "r.ping"),
                    RawBridge.send(
                            "jpm.cmd.restart",
                            new JsonObject().put("targets", new JsonArray().add("tick")),
                            null,
                            "r.restart"),
                    RawBridge.send(
                            "jpm.cmd.stop",
                            new JsonObject().put("targets", new JsonArray().add("ghost")),
                            null,
                            "r.ghost"),
                    RawBridge.send(
                            "jpm.cmd.delete",
                            new JsonObject().put("targets", new JsonArray().add("tick")),
                            token,
                            "r.delete"));
            for (JsonObject request : requests) {
                sent.add(request);
                bridge.write(request);
                until(bridge, "the answer to " + request.getString("address"), to(request.getString("replyAddress")));
            }
            JsonObject refused =
                    RawBridge.send("jpm.query.list", null, null, "r.refused").put("body", "api");
            bridge.write(refused);
            JsonObject err = until(bridge, "the refusal", to("r.refused"));
            assertEquals("err", err.getString("type"), err.encode());
            assertFalse(problems(refused.encode()).isEmpty(), "the schema takes a frame the bridge refused");
        }
        List<String> problems = new ArrayList<>();
        for (JsonObject frame : sent) {
            problems(frame.encode()).forEach(m -> problems.add("sent " + frame.encode() + ": " + m));
        }
        for (JsonObject frame : received) {
            problems(frame.encode()).forEach(m -> problems.add("received " + frame.encode() + ": " + m));
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        for (String type : List.of("message", "err", "pong")) {
            assertTrue(received.stream().anyMatch(f -> type.equals(f.getString("type"))), type + " in " + received);
        }
        assertNotNull(received.stream().filter(to("jpm.events.log")).findFirst().orElse(null));
    }

    @Test
    void theStockClientsReplayedFramesMatchTheSchema() throws IOException {
        for (String frame : List.of(
                StockClientFramesIT.PYTHON_PING,
                StockClientFramesIT.PYTHON_LIST,
                StockClientFramesIT.PYTHON_REGISTER_PROCESS,
                StockClientFramesIT.PYTHON_REGISTER_LOG,
                StockClientFramesIT.PYTHON_RESTART,
                StockClientFramesIT.NODE_PING,
                StockClientFramesIT.NODE_LIST,
                StockClientFramesIT.NODE_REGISTER_PROCESS,
                StockClientFramesIT.NODE_REGISTER_LOG,
                StockClientFramesIT.NODE_RESTART)) {
            assertTrue(problems(frame).isEmpty(), frame + ": " + problems(frame));
        }
    }
}
