package io.jpm.it;

import static org.junit.jupiter.api.Assertions.fail;

import io.jpm.testkit.Deadline;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;

/** A bridge connection registered on jpm.events.config: waits for the event a file edit causes. */
final class ConfigEvents implements AutoCloseable {
    private final RawBridge bridge;
    private final String token;

    ConfigEvents(Path home) throws IOException {
        bridge = new RawBridge(home);
        token = RawBridge.token(home, "token");
        bridge.write(new JsonObject()
                .put("type", "register")
                .put("address", "jpm.events.config")
                .put("headers", new JsonObject().put("token", token)));
        // frames are handled in order: once this answers, the registration is in place
        bridge.request("jpm.query.ping", new JsonObject(), token);
    }

    /** The next config event about {@code file} that matches, within 30 s. */
    JsonObject await(Path file, Predicate<JsonObject> matches) throws IOException {
        Deadline deadline = Deadline.in(Duration.ofSeconds(30));
        while (!deadline.passed()) {
            JsonObject frame = bridge.read(deadline.remainingMillis());
            if (frame != null && "jpm.events.config".equals(frame.getString("address"))) {
                JsonObject body = frame.getJsonObject("body");
                if (file.toString().equals(body.getString("file")) && matches.test(body)) {
                    return body;
                }
            }
        }
        fail("no config event about " + file + " within 30 s");
        return null;
    }

    JsonObject applied(Path file) throws IOException {
        return await(file, e -> "applied".equals(e.getString("status")));
    }

    JsonObject waiting(Path file) throws IOException {
        return await(file, e -> "waiting".equals(e.getString("status")));
    }

    JsonObject refused(Path file) throws IOException {
        return await(file, e -> "refused".equals(e.getString("status")));
    }

    @Override
    public void close() throws IOException {
        bridge.close();
    }
}
