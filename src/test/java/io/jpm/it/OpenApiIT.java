package io.jpm.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jpm.testkit.OpenApiSchemas;
import io.jpm.testkit.Ports;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
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
    /** A standard OpenAPI validator from the npm registry (3.0 and 3.1). */
    private static final String VALIDATOR = "@apidevtools/swagger-parser";

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
            } else if (!described(op, answer.statusCode())) {
                problems.add(what + ": a status the description does not give");
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

    /**
     * The description failed a standard validator ({@code info.license} without
     * {@code identifier} or {@code url}). Checked by swagger-parser, installed from the npm registry
     * into the test's own folder, on the document the daemon serves.
     */
    @Test
    void aStandardValidatorAcceptsTheDescription(Jpm jpm) throws Exception {
        assumeTrue(available("node") && available("npm"), "node and npm are needed");
        WebClient web = WebClient.start(jpm, Ports.free());
        Path project = Files.createDirectories(jpm.scratch.resolve("openapi-validator"));
        Files.writeString(project.resolve("package.json"), "{\"private\":true}\n");
        Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error", VALIDATOR)
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(project.resolve("npm.log").toFile())
                .start();
        assertTrue(npm.waitFor(5, TimeUnit.MINUTES), "npm install did not finish in 5 minutes");
        assertEquals(0, npm.exitValue(), () -> "npm install " + VALIDATOR + ": " + read(project.resolve("npm.log")));
        Files.writeString(
                project.resolve("served.json"),
                web.get("/api/openapi.json", null).body());
        Files.writeString(
                project.resolve("validate.js"),
                "require('" + VALIDATOR + "').validate(process.argv[2])"
                        + ".then(() => console.log('valid'), e => { console.log(e.message); process.exit(1); });\n");
        Jpm.Result run = Jpm.run(
                new ProcessBuilder("node", "validate.js", "served.json").directory(project.toFile()),
                jpm.scratch,
                "node validate.js");
        assertEquals("valid\n", run.out(), run.toString());
    }

    /**
     * {@code POST /api/processes} answers 409 for a name already running, which the
     * description left out. Every route is asked as a caller gets it wrong (no token, the read-only
     * token, an unknown target, a bad {@code lines}, a body that is no JSON) and as it goes right;
     * each status answered must be one the description gives for that route.
     */
    @Test
    void everyStatusARouteAnswersIsDescribed(Jpm jpm) throws Exception {
        WebClient web = WebClient.start(jpm, Ports.free());
        jpm.ok("start", Jpm.fixture("tree.sh").toString(), "--name", "api");
        jpm.awaitStatus("api", "online");
        JsonNode doc = JSON.readTree(web.get("/api/openapi.json", null).body());
        List<String> problems = new ArrayList<>();
        for (Operation op : operations(doc)) {
            if (op.path().endsWith("/delete")) {
                continue; // the first test asks it; here the app must stay
            }
            String path = filled(doc, op);
            List<Asked> asks = new ArrayList<>(List.of(
                    new Asked("no token", path, null, "{}"),
                    new Asked("the read-only token", path, web.readOnly, "{}"),
                    new Asked("a body that is no JSON", path, web.admin, "{not json")));
            if (op.path().contains("{target}")) {
                asks.add(new Asked(
                        "an unknown target",
                        path.replaceFirst("/api/processes/[^/]+", "/api/processes/nosuch"),
                        web.admin,
                        "{}"));
            }
            if (op.spec().toString().contains("#/components/parameters/lines")) {
                asks.add(new Asked("a bad lines", path + "?lines=many", web.admin, "{}"));
            }
            if (op.method().equals("POST") && op.path().equals("/api/processes")) {
                String running = "{\"apps\":[{\"script\":"
                        + JSON.writeValueAsString(Jpm.fixture("tree.sh").toString()) + ",\"name\":\"api\"}]}";
                asks.add(new Asked("a name already running", path, web.admin, running));
            }
            for (Asked ask : asks) {
                int status = status(op.method(), web.base + ask.path(), ask.token(), ask.body());
                if (!described(op, status)) {
                    problems.add(op.method() + " " + op.path() + " with " + ask.what() + " answered " + status
                            + ", which the description does not give");
                }
            }
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    private record Asked(String what, String path, String token, String body) {}

    /** Whether the operation's responses give this status (or a default). */
    private static boolean described(Operation op, int status) {
        JsonNode responses = op.spec().path("responses");
        return responses.has(Integer.toString(status)) || responses.has("default");
    }

    /** The status of a request; an event stream's body is not read (it never ends). */
    private int status(String method, String url, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (method.equals("POST")) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<InputStream> answer = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        answer.body().close();
        return answer.statusCode();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static boolean available(String command) throws InterruptedException {
        try {
            return new ProcessBuilder(command, "--version")
                            .redirectErrorStream(true)
                            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                            .start()
                            .waitFor()
                    == 0;
        } catch (IOException e) {
            return false;
        }
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
