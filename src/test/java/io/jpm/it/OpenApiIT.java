package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpm.testkit.OpenApiSchemas;
import io.jpm.testkit.Ports;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code /api/openapi.json} on a real daemon: served without a token, and each route it describes
 * answers something other than 404 (its path parameters filled with their examples, an app named
 * {@code api} running); a JSON answer 200 matches the schema the document gives it. The reads go first,
 * then the commands, delete last.
 */
@ExtendWith(JpmExtension.class)
class OpenApiIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    record Operation(String method, String path, JsonNode spec) {}

    @Test
    void everyDescribedRouteAnswersAndItsJsonMatchesTheDescription(Jpm jpm) throws Exception {
        WebClient web = WebClient.start(jpm, Ports.free());
        jpm.ok("start", Jpm.fixture("tree.sh").toString(), "--name", "api");
        jpm.awaitStatus("api", "online");
        HttpResponse<String> served = http.send(
                HttpRequest.newBuilder(URI.create(web.base + "/api/openapi.json"))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, served.statusCode(), "the description needs no token: " + served.body());
        JsonNode doc = JSON.readTree(served.body());
        List<String> problems = new ArrayList<>();
        List<String> checked = new ArrayList<>();
        for (Operation op : operations(doc)) {
            String path = filled(doc, op);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(web.base + path))
                    .timeout(Duration.ofSeconds(60))
                    .header("Authorization", "Bearer " + web.admin);
            if (op.method().equals("POST")) {
                request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"));
            }
            // an event stream never ends: its status and headers are enough
            HttpResponse<InputStream> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            String type = answer.headers().firstValue("Content-Type").orElse("");
            String body;
            try (InputStream in = answer.body()) {
                body = type.startsWith("text/event-stream")
                        ? ""
                        : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            String what = op.method() + " " + path + " answered " + answer.statusCode() + " " + body;
            if (answer.statusCode() == 404) {
                problems.add(what);
            } else if (answer.statusCode() == 200 && type.startsWith("application/json")) {
                JsonNode schema = op.spec()
                        .path("responses")
                        .path("200")
                        .path("content")
                        .path("application/json")
                        .path("schema");
                checked.add(op.method() + " " + path);
                OpenApiSchemas.mismatches(doc, schema, JSON.readTree(body))
                        .forEach(m -> problems.add(op.method() + " " + path + ": the answer does not match: " + m));
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        // the reads and the commands that act on a running app answer JSON 200: each was held to its schema
        assertTrue(checked.size() >= 10, "only these answers were checked against their schema: " + checked);
    }

    /** Every operation, the GETs first and delete last (it takes the app away). */
    private static List<Operation> operations(JsonNode doc) {
        List<Operation> ops = new ArrayList<>();
        doc.get("paths").fields().forEachRemaining(path -> path.getValue()
                .fields()
                .forEachRemaining(
                        m -> ops.add(new Operation(m.getKey().toUpperCase(Locale.ROOT), path.getKey(), m.getValue()))));
        ops.sort(Comparator.comparing((Operation o) -> o.method().equals("POST"))
                .thenComparing(o -> o.path().endsWith("/delete")));
        return ops;
    }

    /** The path with each {parameter} replaced by its example (the document's own or its component's). */
    private static String filled(JsonNode doc, Operation op) {
        String path = op.path();
        for (JsonNode parameter : op.spec().path("parameters")) {
            JsonNode p = parameter.has("$ref")
                    ? doc.at(parameter.get("$ref").asText().substring(1))
                    : parameter;
            if (p.path("in").asText().equals("path")) {
                assertTrue(
                        p.has("example"), "path parameter " + p.path("name") + " of " + op.path() + " has no example");
                path = path.replace(
                        "{" + p.get("name").asText() + "}", p.get("example").asText());
            }
        }
        assertTrue(!path.contains("{"), "a path parameter of " + op.path() + " is not described");
        return path;
    }
}
