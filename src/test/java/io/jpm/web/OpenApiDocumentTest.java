package io.jpm.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SpecVersion;
import io.jpm.testkit.OpenApiSchemas;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The API description served at {@code /api/openapi.json} is an OpenAPI 3.1 document: its shape
 * (src/test/resources/openapi/openapi-3.1-shape.schema.json), each of its Schema Objects against the
 * JSON Schema 2020-12 meta-schema, and each example in it against the schema next to it.
 */
class OpenApiDocumentTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonSchemaFactory SCHEMAS = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

    static JsonNode resource(String name) throws IOException {
        try (InputStream in = OpenApiDocumentTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("no resource " + name);
            }
            return JSON.readTree(in);
        }
    }

    static JsonNode document() throws IOException {
        return resource(ApiDescription.RESOURCE);
    }

    /** What is wrong with {@code doc}, one line each: empty when it is a well-formed document. */
    static List<String> problems(JsonNode doc) throws IOException {
        List<String> problems = new ArrayList<>();
        JsonSchema shape = SCHEMAS.getSchema(resource("openapi/openapi-3.1-shape.schema.json"));
        shape.validate(doc).forEach(m -> problems.add("shape: " + m));
        JsonSchema meta = SCHEMAS.getSchema(SchemaLocation.of(SchemaId.V202012));
        walk(doc, "#", (where, node) -> {
            JsonNode schema = node.get("schema");
            if (schema != null) {
                meta.validate(schema).forEach(m -> problems.add(where + "/schema: not a JSON Schema: " + m));
                if (node.has("example")) {
                    check(doc, schema, node.get("example"), where + "/example", problems);
                }
            }
        });
        doc.path("components").path("schemas").fields().forEachRemaining(e -> meta.validate(e.getValue())
                .forEach(m -> problems.add("#/components/schemas/" + e.getKey() + ": not a JSON Schema: " + m)));
        return problems;
    }

    /** Validates {@code example} against {@code schema}, its {@code $ref}s read in {@code doc}'s components. */
    private static void check(JsonNode doc, JsonNode schema, JsonNode example, String where, List<String> problems) {
        OpenApiSchemas.mismatches(doc, schema, example)
                .forEach(m -> problems.add(where + ": does not match its schema: " + m));
    }

    interface Visitor {
        void visit(String where, JsonNode node);
    }

    /** Every object in the tree, with its JSON pointer. */
    static void walk(JsonNode node, String where, Visitor visitor) {
        if (node.isObject()) {
            visitor.visit(where, node);
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().equals("schema") && !e.getKey().equals("schemas")) {
                    walk(
                            e.getValue(),
                            where + "/" + e.getKey().replace("~", "~0").replace("/", "~1"),
                            visitor);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                walk(node.get(i), where + "/" + i, visitor);
            }
        }
    }

    @Test
    void theDescriptionIsAnOpenApi31DocumentAndItsExamplesMatchTheirSchemas() throws IOException {
        JsonNode doc = document();
        assertEquals("3.1.0", doc.get("openapi").asText());
        List<String> problems = problems(doc);
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    @Test
    void theCheckFindsAMisshapenOperationAndAnExampleThatLies() throws IOException {
        ObjectNode doc = (ObjectNode) document();
        ObjectNode ping = (ObjectNode) doc.path("paths").path("/api/ping").path("get");
        ping.remove("responses");
        ping.put("respones", "typo");
        ObjectNode scale = (ObjectNode) doc.path("paths")
                .path("/api/processes/{target}/scale")
                .path("post")
                .path("requestBody")
                .path("content")
                .path("application/json");
        scale.putObject("example").put("count", "two");
        List<String> problems = problems(doc);
        assertTrue(
                problems.stream().anyMatch(p -> p.startsWith("shape:") && p.contains("responses")),
                problems.toString());
        assertTrue(
                problems.stream().anyMatch(p -> p.contains("scale/post/requestBody/content/application~1json/example")),
                problems.toString());
        assertFalse(problems.isEmpty());
    }
}
